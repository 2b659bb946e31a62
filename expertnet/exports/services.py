"""The organisation export: what the member's own agency may see, never another agency's rows, never secrets
(no password hashes, no session nonces, no coordinators' internal notes).

It is built from the same functions as the request page (scoped query, visible messages, timeline, accepted
experts, readers of the sensitive parts), so it shows the agency exactly what its pages show."""
import sqlalchemy as sa

from expertnet.accounts.models import User
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.access import accepted_experts, sensitive_readers, visible_requests
from expertnet.requests.detail import timeline
from expertnet.requests.models import AssistanceRequest
from expertnet.requests.schemas import RequestOut
from expertnet.requests.services import feedback_of, visible_messages

FORMAT_VERSION = 1


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _name(user) -> str | None:
    return user.full_name if user else None


def _user(user: User) -> dict:
    return {"id": user.id, "email": user.email, "full_name": user.full_name, "role": user.role.value,
            "locale": user.locale, "is_active": user.is_active, "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at)}


def _feedback(assistance_request: AssistanceRequest) -> dict | None:
    feedback = feedback_of(assistance_request)
    if feedback is None:
        return None
    return {"usefulness": feedback.usefulness, "timeliness": feedback.timeliness, "expertise": feedback.expertise,
            "comment": feedback.comment, "author": _name(feedback.author), "created_at": _iso(feedback.created_at)}


def _request(member, assistance_request: AssistanceRequest) -> dict:
    data = RequestOut().dump(assistance_request)
    data["created_by"] = _name(assistance_request.created_by)
    data["closed_at"] = _iso(assistance_request.closed_at)
    data["events"] = [{"from_status": e.from_status, "to_status": e.to_status, "note": e.note,
                       "actor": _name(e.actor), "occurred_at": _iso(e.occurred_at)}
                      for e in timeline(assistance_request)]
    data["messages"] = [{"author": _name(m.author), "body": m.body, "created_at": _iso(m.created_at)}
                        for m in visible_messages(member, assistance_request)]
    data["feedback"] = _feedback(assistance_request)
    data["experts"] = [profile.user.full_name for profile in accepted_experts(assistance_request)]
    data["seen_by"] = [{"name": row["user"].full_name, "role": row["user"].role.value, "text_reads": row["reads"],
                        "file_downloads": row["downloads"],
                        "first": _iso(row["first"]), "last": _iso(row["last"])}
                       for row in sensitive_readers(assistance_request)]
    return data


def export_organisation(member) -> dict:
    """The member's organisation's data as one JSON-ready document; audited (the caller commits)."""
    organisation = member.organisation
    requests = list(db.session.scalars(visible_requests(member).order_by(AssistanceRequest.id)))
    users = list(db.session.scalars(sa.select(User).where(User.organisation_id == organisation.id).order_by(User.id)))
    record("organisation.exported", member, organisation, requests=len(requests), users=len(users))
    return {
        "format": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "exported_by": member.email,
        "organisation": {"id": organisation.id, "name": organisation.name, "country": organisation.country,
                         "kind": organisation.kind.value, "created_at": _iso(organisation.created_at)},
        "users": [_user(user) for user in users],
        "requests": [_request(member, r) for r in requests],
    }
