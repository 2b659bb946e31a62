"""Demo invitations and engagements for the demo requests at inviting and later, consistent with each request's
status. Runs after the requests' seed step. Experts are picked with the real matcher bridge, so the demo shows
plausible matches; answers and engagement steps go through the real services, then get back-dated.
"""
import io
import random
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.accounts.models import User
from expertnet.attachments.services import store_attachment
from expertnet.db import utcnow
from expertnet.demo.credentials import demo_credentials
from expertnet.engagements import services
from expertnet.engagements.models import DeclineReason, Engagement, EngagementStatus, Invitation
from expertnet.engagements.suggestions import rank_for_request
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.extensions import db
from expertnet.notifications.models import Notification, OutboxMessage
from expertnet.requests.models import AssistanceRequest, RequestStatus
from expertnet.sensitivity import Tlp

# The engagement stage each request status implies for its accepted experts (the request follows its
# engagements: delivered once every report is accepted).
STAGE = {RequestStatus.ASSIGNED: EngagementStatus.PLANNED, RequestStatus.IN_PROGRESS: EngagementStatus.ACTIVE,
         RequestStatus.ON_HOLD: EngagementStatus.SUSPENDED, RequestStatus.DELIVERED: EngagementStatus.REPORT_ACCEPTED,
         RequestStatus.EVALUATION: EngagementStatus.REPORT_ACCEPTED, RequestStatus.CLOSED: EngagementStatus.CLOSED}
DECLINES = [(DeclineReason.DATES, "I am on another mission during those weeks."),
            (DeclineReason.NO_CAPACITY, "Two engagements already; I would not do it justice."),
            (DeclineReason.OUT_OF_EXPERTISE, "This is closer to laboratory work than my field."),
            (DeclineReason.CONFLICT, "I advised a supplier of this agency last year.")]
DECLINE_NOTES = {reason.value: note for reason, note in DECLINES}
NOTES = {
    "en": ["Kick-off call held with the agency's focal point; agenda agreed.",
           "Reviewed the documents received; first observations shared with the coordinator.",
           "Draft materials prepared for the working sessions."],
    "ar": ["عُقد اجتماع الانطلاق مع نقطة الاتصال في الجهة، واتُّفق على جدول الأعمال.",
           "راجعتُ الوثائق المستلمة وشاركتُ الملاحظات الأولى مع المنسّق.",
           "أُعدّت المواد الأولية لجلسات العمل."],
}
REPORT = {
    "en": "The assistance was delivered as agreed: findings, recommendations and the materials used are attached "
          "to this engagement. The agency should plan a follow-up exercise within six months.",
    "ar": "قُدّمت المساعدة كما اتُّفق عليه: النتائج والتوصيات والمواد المستخدمة مرفقة بهذا التكليف. "
          "نوصي الجهة بتنظيم تمرين متابعة خلال ستة أشهر.",
}
LATER = (RequestStatus.INVITING,) + tuple(STAGE)
# A one-page PDF: the demo's files (the agency's briefing pack, the experts' findings) are placeholders.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _demo_file(actor, assistance_request, filename: str, engagement_id: int | None = None) -> None:
    store_attachment(actor, assistance_request, FileStorage(io.BytesIO(DEMO_PDF), filename), Tlp.AMBER,
                     engagement_id=engagement_id)


def _files(assistance_request: AssistanceRequest, invitations: list[Invitation]) -> None:
    """The agency's briefing pack, which its experts find on their engagement page, and the findings of each
    engagement whose report was accepted, which the agency finds with the report."""
    engagements = [i.engagement for i in invitations if i.engagement is not None]
    if not engagements:
        return
    _demo_file(assistance_request.created_by, assistance_request, "briefing-pack.pdf")
    for engagement in engagements:
        if engagement.report_accepted_at is not None:
            _demo_file(engagement.expert.user, assistance_request, "findings-and-recommendations.pdf", engagement.id)


def _outcomes(assistance_request: AssistanceRequest, rng: random.Random) -> list[str]:
    wanted = assistance_request.experts_wanted
    if assistance_request.status == RequestStatus.INVITING:  # nobody accepted yet, or it would be assigned
        return ["pending", "pending", "declined"]
    # An alternate still pending when the others filled the request is closed by the filling ("pending_lapsed").
    return ["accepted"] * wanted + rng.sample(["declined", "declined", "pending_lapsed"], 1)


def _answer(invitation: Invitation, outcome: str, rng: random.Random) -> None:
    user = invitation.expert.user
    if outcome == "accepted":
        services.accept_terms(user, invitation, CONFIDENTIALITY_TERMS_VERSION)
        services.accept_invitation(user, invitation)
    elif outcome == "declined" or outcome in DECLINE_NOTES:  # a reason drawn at random, or the one named
        reason, note = rng.choice(DECLINES) if outcome == "declined" else (outcome, DECLINE_NOTES[outcome])
        services.decline_invitation(user, invitation, reason, note)


def _advance(engagement, target: EngagementStatus, coordinator, locale: str) -> None:
    user = engagement.expert.user
    if target == EngagementStatus.PLANNED:
        return
    services.start_engagement(user, engagement)
    for body in NOTES[locale][: 3 if target != EngagementStatus.ACTIVE else 2]:
        services.add_progress_note(user, engagement, body)
    if target == EngagementStatus.SUSPENDED:
        services.suspend_engagement(coordinator, engagement, "Paused while the agency confirms the venue.")
        return
    if target == EngagementStatus.ACTIVE:
        return
    services.submit_report(user, engagement, REPORT[locale], days_spent=float(3 + engagement.id % 6))
    if target in (EngagementStatus.REPORT_ACCEPTED, EngagementStatus.CLOSED):
        services.accept_report(coordinator, engagement)
    if target == EngagementStatus.CLOSED:
        services.close_engagement(coordinator, engagement)


def _backdate(invitation: Invitation, assistance_request: AssistanceRequest, number: int) -> None:
    """Place the history between the first invitation and the request's last status change."""
    start = assistance_request.first_invited_at or assistance_request.status_changed_at
    invitation.created_at = start + timedelta(hours=2 * number)
    answered = invitation.created_at + timedelta(days=1, hours=number)
    if invitation.status.value == "pending":
        invitation.respond_by = max(utcnow() + timedelta(days=3 + number), invitation.created_at + timedelta(days=7))
        return
    invitation.respond_by = invitation.created_at + timedelta(days=7)
    invitation.responded_at = answered
    if invitation.terms_accepted_at:
        invitation.terms_accepted_at = answered - timedelta(minutes=20)
    engagement = invitation.engagement
    if engagement is not None:
        engagement.created_at = answered
        for step, note in enumerate(engagement.notes, start=1):
            note.created_at = min(answered + timedelta(days=2 * step), utcnow() - timedelta(hours=3))
        if engagement.report_submitted_at:
            engagement.report_submitted_at = min(answered + timedelta(days=10), utcnow() - timedelta(hours=2))
        if engagement.report_accepted_at:
            engagement.report_accepted_at = min(answered + timedelta(days=12), utcnow() - timedelta(minutes=90))
        if engagement.closed_at:
            engagement.closed_at = utcnow() - timedelta(hours=1)


def seed_engagements(admin, organisations: dict) -> None:
    rng = random.Random(5)
    first_outbox = db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    first_notification = db.session.scalar(sa.select(sa.func.max(Notification.id))) or 0
    requests = db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.status.in_(LATER))
                                  .order_by(AssistanceRequest.id)).all()
    for assistance_request in requests:
        coordinator = assistance_request.lead_coordinator or admin
        outcomes = _outcomes(assistance_request, rng)
        picks = rank_for_request(assistance_request, k=len(outcomes)).experts
        # Back-filled history: requests past inviting no longer take invitations through invite_expert. All are
        # invited first, then answer, so the last acceptance closes a still pending alternate as the desk would.
        invitations = [services.record_invitation(coordinator, assistance_request, expert,
                                                  "Your profile fits this request well; could you help?",
                                                  utcnow() + timedelta(days=7), round(score, 3))
                       for expert, score, _reasons in picks[:len(outcomes)]]
        for invitation, outcome in sorted(zip(invitations, outcomes), key=lambda pair: pair[1] != "declined"):
            if invitation.status.value == "pending":
                _answer(invitation, outcome, rng)
        for number, invitation in enumerate(invitations):
            if invitation.engagement is not None:
                _advance(invitation.engagement, STAGE.get(assistance_request.status, EngagementStatus.PLANNED),
                         coordinator, "ar" if invitation.expert.user.locale == "ar" else "en")
            _backdate(invitation, assistance_request, number)
        _files(assistance_request, invitations)
    _withdraw_one_expert([r for r in requests if r.status == RequestStatus.IN_PROGRESS], admin)
    db.session.flush()
    # The back-filled history is not news: drop the mail (and its in-app twins) the services made for it.
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id > first_outbox))
    db.session.execute(sa.delete(Notification).where(Notification.id > first_notification))
    _invite_demo_experts(requests, admin)
    db.session.flush()


def _withdraw_one_expert(in_progress, admin) -> None:
    """One team lost an expert mid-way: the engagement stays as history and their need-to-know ended."""
    for assistance_request in in_progress:
        active = [e for e in db.session.scalars(sa.select(Engagement).where(
            Engagement.request_id == assistance_request.id, Engagement.status == EngagementStatus.ACTIVE)
            .order_by(Engagement.id))]
        if len(active) >= 2:
            services.withdraw_expert(assistance_request.lead_coordinator or admin, active[-1],
                                     "Travel clearance for the site visit was refused; the other expert covers "
                                     "the work remotely.")
            return


def _invite_demo_experts(requests, admin) -> None:
    """The expert accounts offered on the sign-in help page each get a pending invitation to try the journey,
    invited as a coordinator would: its e-mail waits in the outbox (the development mail viewer shows it, with
    the link to follow) and its notification under the expert's bell."""
    emails = [email for role, email in demo_credentials() if role.startswith("expert")]
    inviting = [r for r in requests if r.status == RequestStatus.INVITING]
    for email in emails:
        profile = db.session.scalar(sa.select(User).where(User.email == email)).expert_profile
        for assistance_request in inviting:
            try:
                services.check_invitable(assistance_request, profile)
            except services.InvitationError:
                continue
            services.invite_expert(assistance_request.lead_coordinator or admin, assistance_request, profile,
                                   "We would value your view on this request.", utcnow() + timedelta(days=10))
            break
