"""Lessons from engagements (issue 17): a coordinator drafts one from a closed engagement's completion report
(problem, approach, outcome, what to reuse) with identifying details removed; the owning agency (members of the
request's organisation) edits it, chooses its label and approves it or sends it back; only an approved lesson is
published. Lessons move through `LESSON_MACHINE` (draft -> awaiting agency -> approved -> published -> archived),
row-locked, audited (`hub_item.<status>`), a repeat a no-op, every other move 409."""
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from expertnet import statemachine
from expertnet.audit.services import record
from expertnet.engagements.models import Engagement, EngagementStatus
from expertnet.extensions import db
from expertnet.hub import access, services
from expertnet.hub.machine import LESSON_MACHINE, is_agency_member, lock_item
from expertnet.hub.messages import HubError
from expertnet.hub.models import ITEM_LABELS, HubItem, ItemStatus, Kind
from expertnet.sensitivity import Tlp

# ------------------------------------------------------------------ redaction
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{6,}\d(?!\w)")
PLACEHOLDERS = {"email": "[e-mail]", "phone": "[phone]"}


@dataclass
class Redacted:
    text: str
    removed: list[str] = field(default_factory=list)


def redact(text: str, names: dict[str, str]) -> Redacted:
    """`text` with the given names (placeholder by name: the agency, people, the request reference), e-mail
    addresses and phone numbers replaced; `removed` lists what was taken out, each once."""
    removed: list[str] = []

    def cut(placeholder: str):
        def replace(match: re.Match) -> str:
            if match.group(0) not in removed:
                removed.append(match.group(0))
            return placeholder
        return replace

    text = EMAIL.sub(cut(PLACEHOLDERS["email"]), text)
    for name, placeholder in sorted(names.items(), key=lambda pair: -len(pair[0])):
        if name.strip():
            text = re.compile(rf"(?<!\w){re.escape(name.strip())}(?!\w)", re.IGNORECASE).sub(cut(placeholder), text)
    text = PHONE.sub(cut(PLACEHOLDERS["phone"]), text)
    return Redacted(text, removed)


def identifying_names(engagement: Engagement) -> dict[str, str]:
    """What a lesson must not name: the agency, the people on the request and engagement, the reference."""
    request = engagement.request
    people = [request.created_by, request.lead_coordinator, engagement.expert.user]
    names = {request.organisation.name: _("[the agency]"), request.reference: _("[the request]")}
    for person in people:
        if person is not None and person.full_name:
            names[person.full_name] = _("[a person]")
            names.update({part: _("[a person]") for part in person.full_name.split() if len(part) > 3})
    return names


SECTIONS = ("problem", "approach", "outcome", "reuse")


def section_titles() -> dict[str, str]:
    return {"problem": _("Problem"), "approach": _("Approach"), "outcome": _("Outcome"),
            "reuse": _("What to reuse")}


def split_report(report: str) -> dict[str, str]:
    """The report's paragraphs shared out over the four sections: the first is the problem, the last what to
    reuse, the middle ones the approach and the outcome (a coordinator edits the rest)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", report or "") if p.strip()]
    if not paragraphs:
        return dict.fromkeys(SECTIONS, "")
    if len(paragraphs) < 4:
        paragraphs += [""] * (4 - len(paragraphs))
    middle = paragraphs[1:-1]
    half = max(1, len(middle) // 2)
    return {"problem": paragraphs[0], "approach": "\n\n".join(middle[:half]),
            "outcome": "\n\n".join(middle[half:]), "reuse": paragraphs[-1]}


def lesson_of(engagement: Engagement) -> HubItem | None:
    return db.session.scalar(sa.select(HubItem).where(HubItem.kind == Kind.LESSON,
                                                      HubItem.engagement_id == engagement.id))


def draft_lesson(actor: Any, engagement: Engagement, language: str) -> tuple[HubItem, list[str]]:
    """A draft lesson from the closed engagement's report, redacted; the second value lists what was removed.
    One lesson per engagement: asking again returns the existing one with nothing removed."""
    if engagement.status != EngagementStatus.CLOSED:
        raise HubError("engagement_not_closed")
    # Twin clicks: the second waits on the engagement's row, then finds the first one's lesson.
    db.session.execute(sa.select(Engagement.id).where(Engagement.id == engagement.id).with_for_update())
    existing = lesson_of(engagement)
    if existing is not None:
        return existing, []
    names = identifying_names(engagement)
    parts = split_report(engagement.completion_report or "")
    titles = section_titles()
    removed: list[str] = []
    body = []
    for name in SECTIONS:
        cleaned = redact(parts[name], names)
        removed += [r for r in cleaned.removed if r not in removed]
        body.append(f"{titles[name]}\n{cleaned.text}".strip())
    title = redact(engagement.request.title, names)
    removed += [r for r in title.removed if r not in removed]
    summary = (redact(parts["problem"], names).text or title.text)[:300]
    if len(summary) < 20:
        summary = _("A lesson from an engagement: %(title)s", title=title.text)
    item = services.create_item(actor, {
        "kind": Kind.LESSON, "tlp": Tlp.AMBER, "language": language, "title": title.text[:200],
        "summary": summary, "body": "\n\n".join(body), "audience": [engagement.request.organisation_id],
        "note": _("Drafted from the completion report")})
    item.request_id, item.engagement_id = engagement.request_id, engagement.id
    record("hub_item.lesson_drafted", actor, item, engagement_id=engagement.id, removed=len(removed))
    db.session.flush()
    return item, removed


def agency_review(actor: Any, item: HubItem, data: dict, approve: bool) -> None:
    """The owning agency's answer: its text edits and label, then approved or sent back (with a comment)."""
    if item.kind != Kind.LESSON or not is_agency_member(actor, item):
        raise HubError("not_allowed")
    lock_item(item)
    target = ItemStatus.APPROVED if approve else ItemStatus.DRAFT
    if item.status == target:  # a repeated answer changes nothing
        return
    statemachine.step_for(LESSON_MACHINE, item, ItemStatus.APPROVED)  # 409 unless it awaits the agency
    if data.get("tlp") not in ITEM_LABELS:
        raise HubError("choose_label")
    audience = [actor.organisation_id] if data["tlp"] == Tlp.AMBER else []
    audience += [i for i in data.get("audience") or [] if i not in audience and data["tlp"] == Tlp.AMBER]
    services.update_item(actor, item, {"tlp": data["tlp"], "audience": audience,
                                       "topics": [t.slug for t in item.topics], "language": data["language"], "title": data["title"],
                                       "summary": data["summary"], "body": data.get("body", ""),
                                       "note": data.get("note", "")})
    if not approve and not (data.get("note") or "").strip():
        raise HubError("comment_required")
    statemachine.transition(LESSON_MACHINE, item, target, actor, note=data.get("note", ""))



def lesson_for_request(user: Any, request: Any) -> HubItem | None:
    """The lesson of `request` that `user` may see (published, or awaiting/approved for its own agency)."""
    if request is None:
        return None
    return db.session.scalar(access.visible_items(user).where(HubItem.kind == Kind.LESSON,
                                                              HubItem.request_id == request.id)
                             .order_by(HubItem.id.desc()).limit(1))


TEMPLATE_GLOBALS = {"lesson_for_request": lesson_for_request, "lesson_of_engagement": lesson_of}
