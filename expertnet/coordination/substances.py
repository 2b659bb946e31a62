"""The chemicals register on the desk: requests by substance and by list for the dashboard, and the untagged open
requests whose text names a substance of the register (offered for tagging)."""
import sqlalchemy as sa

from expertnet.chemicals import queries
from expertnet.chemicals.models import request_substance
from expertnet.chemicals.services import Recogniser
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus
from expertnet.requests.services import substance_text as request_text

UNTAGGED_SCANNED = 200  # the most recent untagged open requests read for substance names


def suggested_ids(assistance_request: AssistanceRequest) -> set[int]:
    return Recogniser().ids_in(request_text(assistance_request))


def untagged_naming_substances(open_statuses: tuple[RequestStatus, ...], limit: int = 10,
                               scope: list | None = None) -> list[tuple[AssistanceRequest, int]]:
    """(request, how many substances its text names) for recent open requests without a substance tag, within
    `scope` (the WHERE that keeps a regional coordinator to their regions' requests)."""
    tagged = sa.select(request_substance.c.request_id)
    rows = db.session.scalars(sa.select(AssistanceRequest).where(
        AssistanceRequest.status.in_(open_statuses), AssistanceRequest.id.not_in(tagged),
        *(scope or []))
        .order_by(AssistanceRequest.id.desc()).limit(UNTAGGED_SCANNED))
    recogniser = Recogniser()
    found = [(row, len(recogniser.ids_in(request_text(row)))) for row in rows]
    return [(row, n) for row, n in found if n][:limit]


def figures(submitted_ids, locale: str, open_statuses: tuple[RequestStatus, ...], scope: list | None = None) -> dict:
    """Submitted requests (the `submitted_ids` subquery) by tagged substance and by list, and the open requests
    to tag."""
    return {"by_substance": [(s.preferred(locale), n) for s, n in queries.requests_by_substance(submitted_ids, top=15)],
            "by_list": [(c.name(locale), n) for c, n in queries.requests_by_list(submitted_ids)],
            "untagged_naming": untagged_naming_substances(open_statuses, scope=scope)}
