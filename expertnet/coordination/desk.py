"""The coordinator's side of invitations and engagements, on top of engagements.services (the domain rules):
inviting several experts at once, alternates after a decline, planned dates, milestones, replacing an expert."""
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import sqlalchemy as sa

from expertnet.audit.services import record
from expertnet.coordination.messages import REFUSALS
from expertnet.db import utcnow
from expertnet.engagements import services as engagement_services
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus, Milestone
from expertnet.engagements.suggestions import rank_for_request
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.matching_history.services import record_shown
from expertnet.requests.lifecycle import ALLOWED, transition
from expertnet.requests.models import RequestStatus
from expertnet.service_errors import ServiceError

NOT_ANSWERED_YES = (InvitationStatus.DECLINED, InvitationStatus.EXPIRED, InvitationStatus.CONFLICT_DECLARED,
                    InvitationStatus.REVOKED)


CONFLICTS = frozenset({"already_done", "not_excluded"})  # the state moved on under the user: 409


class DeskError(ServiceError):
    """A refused desk action; `.code` names the message, `.subject` the expert or item concerned, `reason`
    the refusal's own words when it comes from another feature (an invitation the engagements refused)."""

    messages = REFUSALS

    def __init__(self, code: str, subject: str = "", reason: str = ""):
        super().__init__(code, http_status=409 if code in CONFLICTS else None)
        self.subject, self.reason = subject, reason

    @property
    def message(self) -> str:
        text = self.reason or super().message
        return f"{self.subject}: {text}" if self.subject else text


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=timezone.utc)


@dataclass(frozen=True)
class Refinement:
    keywords: str = ""
    language: str = ""
    region: str = ""
    include_unavailable: bool = False

    def rank(self, assistance_request, k: int = 20, locale: str = "en"):
        return rank_for_request(assistance_request, k=k, extra_keywords=self.keywords,
                                required_languages=(self.language.lower(),) if self.language else (),
                                required_region=self.region or None, include_unavailable=self.include_unavailable,
                                locale=locale)


def show_suggestions(coordinator, assistance_request, refinement: Refinement, locale: str = "en"):
    """The suggestions page's ranking, recorded as what the coordinator was shown (matching_history)."""
    ranked = refinement.rank(assistance_request, locale=locale)
    record_shown(coordinator, assistance_request, ranked, locale=locale, keywords=refinement.keywords,
                 required_language=refinement.language, required_region=refinement.region,
                 include_unavailable=refinement.include_unavailable)
    return ranked


def invite_experts(coordinator, assistance_request, expert_ids: list[int], message: str, respond_by: date,
                   refinement: Refinement = Refinement()) -> list[Invitation]:
    """Invite each selected expert (all or nothing: the view rolls back on the first refusal).

    Scores come from a fresh ranking, never from the form, so the invitation records what the matcher said.
    """
    scores = {profile.id: score for profile, score, _ in refinement.rank(assistance_request, k=100).experts}
    deadline = end_of_day(respond_by)
    invitations = []
    for expert_id in dict.fromkeys(expert_ids):
        profile = db.session.get(ExpertProfile, expert_id)
        if profile is None:
            raise DeskError("unknown_expert", str(expert_id))
        try:
            invitations.append(engagement_services.invite_expert(
                coordinator, assistance_request, profile, message, deadline, scores.get(expert_id)))
        except engagement_services.InvitationError as exc:
            raise DeskError(exc.code, profile.user.full_name, exc.message) from exc
    return invitations


def invitations_of(assistance_request) -> list[Invitation]:
    return list(db.session.scalars(sa.select(Invitation).where(Invitation.request_id == assistance_request.id)
                                   .order_by(Invitation.created_at, Invitation.id)))


def needs_alternates(assistance_request, invitations: list[Invitation]) -> bool:
    """Someone said no (or let it lapse) and the request still lacks accepted experts: show who comes next,
    even while other invitations are pending, so the coordinator can line up a back-up."""
    accepted = sum(1 for i in invitations
                   if i.status == InvitationStatus.ACCEPTED and i.engagement.status != EngagementStatus.WITHDRAWN)
    lost = any(i.status in NOT_ANSWERED_YES for i in invitations)
    return lost and accepted < assistance_request.experts_wanted


def alternates(coordinator, assistance_request, k: int = 3, locale: str = "en"):
    """The next-ranked experts not yet invited (the bridge already leaves out everyone invited), recorded as
    what the coordinator was shown, like the suggestions page's lists (matching_history)."""
    ranked = Refinement().rank(assistance_request, k=k, locale=locale)
    record_shown(coordinator, assistance_request, ranked, locale=locale)
    return ranked.experts


def plan_engagement(coordinator, engagement: Engagement, start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise DeskError("dates_order")
    before = (engagement.planned_start, engagement.planned_end)
    engagement.planned_start, engagement.planned_end = start, end
    db.session.flush()
    record("engagement.planned_dates", coordinator, engagement, request_id=engagement.request_id,
           before=[d.isoformat() if d else None for d in before],
           after=[d.isoformat() if d else None for d in (start, end)])


def add_milestone(coordinator, engagement: Engagement, title: str, due_on: date | None) -> Milestone:
    if not (title or "").strip():
        raise DeskError("title_required")
    milestone = Milestone(engagement=engagement, title=title.strip(), due_on=due_on)
    db.session.add(milestone)
    db.session.flush()
    record("engagement.milestone_added", coordinator, engagement, milestone_id=milestone.id, title=milestone.title)
    return milestone


def complete_milestone(coordinator, milestone: Milestone) -> None:
    if milestone.done_at is not None:
        raise DeskError("already_done")
    milestone.done_at = utcnow()
    db.session.flush()
    record("engagement.milestone_done", coordinator, milestone.engagement, milestone_id=milestone.id)


def replace_expert(coordinator, engagement: Engagement, reason: str) -> None:
    """Withdraw the expert (history kept, need-to-know ended) and reopen the request for matching so an
    alternate can be invited; a repeat (already withdrawn) changes nothing."""
    if not engagement_services.withdraw_expert(coordinator, engagement, reason):
        return
    assistance_request = engagement.request
    if RequestStatus.MATCHING in ALLOWED[assistance_request.status]:
        transition(assistance_request, RequestStatus.MATCHING, coordinator, reason)
    record("engagement.replacement_sought", coordinator, engagement, request_id=engagement.request_id)


def engagements_of(assistance_request) -> list[Engagement]:
    return list(db.session.scalars(sa.select(Engagement).where(Engagement.request_id == assistance_request.id)
                                   .order_by(Engagement.created_at, Engagement.id)))
