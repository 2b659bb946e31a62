"""The register's pages' reads: search by any language's name or CAS number, facets by list, and the counts
of tagged requests by substance and by list (the coordinators' dashboard)."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.chemicals.cas import normalise_cas
from expertnet.chemicals.models import ControlList, Listing, Substance, SubstanceName, request_substance
from expertnet.chemicals.names import name_key
from expertnet.extensions import db


def all_lists() -> list[ControlList]:
    return list(db.session.scalars(sa.select(ControlList).order_by(ControlList.position, ControlList.code)))


def search_substances(text: str = "", list_code: str = "", include_retired: bool = False):
    """Substances whose CAS number or any name contains `text` (folded as names are), on `list_code` if given."""
    query = sa.select(Substance).options(selectinload(Substance.names), selectinload(Substance.listings))
    text = (text or "").strip()
    if text:
        key = name_key(text)
        cas = normalise_cas(text) or text
        query = query.where(sa.or_(Substance.cas.contains(cas, autoescape=True), Substance.id.in_(
            sa.select(SubstanceName.substance_id).where(SubstanceName.key.contains(key, autoescape=True)))))
    if list_code:
        query = query.where(Substance.id.in_(sa.select(Listing.substance_id).join(ControlList)
                                             .where(ControlList.code == list_code)))
    if not include_retired:
        query = query.where(~Substance.is_retired)
    return query.order_by(Substance.cas)


def list_counts(include_retired: bool = False) -> dict[str, int]:
    """List code -> how many substances it holds (the facets)."""
    query = (sa.select(ControlList.code, sa.func.count(Listing.id)).join(Listing).join(Substance)
             .group_by(ControlList.code))
    if not include_retired:
        query = query.where(~Substance.is_retired)
    return {code: count for code, count in db.session.execute(query)}


def tagged_request_count(substance_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(request_substance)
                             .where(request_substance.c.substance_id == substance_id)) or 0


def requests_by_substance(request_ids, top: int = 10) -> list[tuple[Substance, int]]:
    """The substances most requests (among `request_ids`, a subquery) are tagged with, and how many."""
    count = sa.func.count(sa.distinct(request_substance.c.request_id))
    query = (sa.select(Substance, count).join(request_substance, request_substance.c.substance_id == Substance.id)
             .where(request_substance.c.request_id.in_(request_ids))
             .group_by(Substance.id).order_by(count.desc(), Substance.cas).limit(top))
    return [(substance, n) for substance, n in db.session.execute(query)]


def requests_by_list(request_ids) -> list[tuple[ControlList, int]]:
    """Each list and how many requests (among `request_ids`) are tagged with a substance on it."""
    count = sa.func.count(sa.distinct(request_substance.c.request_id))
    query = (sa.select(ControlList, count).join(Listing, Listing.list_id == ControlList.id)
             .join(request_substance, request_substance.c.substance_id == Listing.substance_id)
             .where(request_substance.c.request_id.in_(request_ids))
             .group_by(ControlList.id).order_by(ControlList.position))
    return [(control_list, n) for control_list, n in db.session.execute(query)]
