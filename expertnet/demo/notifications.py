"""Demo step for in-app notifications (runs last): the demo sign-ins of every role find a few past
notifications about their own requests, invitations and engagements, some read and some not. (The pending
invitations of the demo experts and yesterday's SLA digest made theirs through the real services already.)"""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.db import utcnow
from expertnet.demo.credentials import demo_credentials
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.notifications.models import Notification
from expertnet.notifications.services import Link, link
from expertnet.requests.models import AssistanceRequest, RequestStatus

# (kind, facts, link, hours ago, read?) for one user.
Entry = tuple[str, dict, Link, float, bool]


def seed_notifications(admin, organisations: dict) -> None:
    for _role, email in demo_credentials():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        for kind, facts, to, hours_ago, read in HISTORY[user.role](user):
            moment = utcnow() - timedelta(hours=hours_ago)
            db.session.add(Notification(user_id=user.id, kind=kind, facts=facts, endpoint=to.endpoint,
                                        link_args=to.args, created_at=moment,
                                        read_at=moment + timedelta(minutes=40) if read else None))
    db.session.flush()


def _requests(*conditions) -> list[AssistanceRequest]:
    return list(db.session.scalars(sa.select(AssistanceRequest).where(
        AssistanceRequest.status != RequestStatus.DRAFT, *conditions).order_by(AssistanceRequest.id)))


def _member(user: User) -> list[Entry]:
    own = _requests(AssistanceRequest.organisation_id == user.organisation_id)
    entries: list[Entry] = []
    for hours, assistance_request in zip((70, 30), own):
        entries.append(("request_status_changed", {"reference": assistance_request.reference,
                                                   "status": assistance_request.status.value},
                        link("requests.detail", request_id=assistance_request.id), hours, True))
    if own:
        entries.append(("request_message", {"reference": own[-1].reference},
                        link("requests.detail", request_id=own[-1].id), 4, False))
    return entries


def _staff(user: User) -> list[Entry]:
    led = _requests(AssistanceRequest.lead_coordinator_id == user.id) or _requests()
    entries: list[Entry] = [("coordination_lead_assigned", {"reference": r.reference},
                             link("coordination.request_desk", request_id=r.id), 120 - 10 * number, True)
                            for number, r in enumerate(led[:2])]
    invitations = db.session.scalars(sa.select(Invitation).where(Invitation.request_id.in_([r.id for r in led]))
                                     .order_by(Invitation.id)).all()
    for invitation in invitations:
        if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED):
            entries.append((f"invitation_{invitation.status.value}",
                            {"reference": invitation.request.reference, "expert": invitation.expert.user.full_name},
                            link("coordination.request_desk", request_id=invitation.request_id), 26, False))
            break
    submitted = db.session.scalar(sa.select(Engagement).where(Engagement.status == EngagementStatus.REPORT_SUBMITTED)
                                  .order_by(Engagement.id).limit(1))
    if submitted is not None:
        entries.append(("engagement_report_submitted", {"reference": submitted.request.reference},
                        link("coordination.engagement", engagement_id=submitted.id), 2, False))
    if led:
        entries.append(("request_agency_message", {"reference": led[0].reference},
                        link("coordination.request_desk", request_id=led[0].id), 50, True))
    return entries


def _expert(user: User) -> list[Entry]:
    profile = db.session.scalar(sa.select(ExpertProfile).where(ExpertProfile.user_id == user.id))
    entries: list[Entry] = [("vetting_decision", {"approved": True}, link("experts.edit_profile"), 24 * 90, True)]
    engagement = db.session.scalar(sa.select(Engagement).where(
        Engagement.expert_id == profile.id,
        Engagement.status.in_([EngagementStatus.REPORT_ACCEPTED, EngagementStatus.CLOSED])).limit(1))
    if engagement is not None:
        entries.append(("engagement_report_accepted", {"reference": engagement.request.reference},
                        link("engagements.engagement_detail", engagement_id=engagement.id), 30, False))
    return entries


HISTORY = {Role.MEMBER: _member, Role.COORDINATOR: _staff, Role.ADMIN: _staff, Role.EXPERT: _expert}
