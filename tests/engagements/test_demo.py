"""The demo's invitations and engagements agree with each request's status and with experts' commitments."""
import sqlalchemy as sa

from expertnet.attachments.services import attachments_of
from expertnet.demo.engagements import STAGE
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation, InvitationStatus
from expertnet.engagements.services import OPEN_ENGAGEMENT
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.need_to_know import accepted_outcomes
from expertnet.requests.models import AssistanceRequest, RequestStatus as S


def test_demo_history_is_consistent(demo_network):
    engagements = db.session.scalars(sa.select(Engagement)).all()
    assert len(engagements) >= 15
    withdrawn = [e for e in engagements if e.status == EngagementStatus.WITHDRAWN]
    assert len(withdrawn) == 1 and withdrawn[0].withdrawal_reason
    assert withdrawn[0].request.status == S.IN_PROGRESS
    for engagement in set(engagements) - set(withdrawn):
        assert engagement.status == STAGE.get(engagement.request.status, EngagementStatus.PLANNED)
    for assistance_request in db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.status == S.INVITING)):
        accepted = [i for i in db.session.scalars(sa.select(Invitation).where(Invitation.request_id == assistance_request.id))
                    if i.status == InvitationStatus.ACCEPTED]
        assert len(accepted) < assistance_request.experts_wanted
    for profile in db.session.scalars(sa.select(ExpertProfile)):
        pending = db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(
            Invitation.expert_id == profile.id, Invitation.status == InvitationStatus.PENDING))
        open_engagements = db.session.scalar(sa.select(sa.func.count(Engagement.id)).where(
            Engagement.expert_id == profile.id, Engagement.status.in_(OPEN_ENGAGEMENT)))
        assert profile.commitments == pending + open_engagements
    # Issue 13: pending invitations only where the request still invites; alternates close when it fills; a
    # delivered request's reports are accepted and come with their findings, its experts find the agency's files.
    pending = db.session.scalars(sa.select(Invitation).where(Invitation.status == InvitationStatus.PENDING)).all()
    assert pending and {i.request.status for i in pending} == {S.INVITING}
    closed = db.session.scalars(sa.select(Invitation).where(Invitation.closed_because.is_not(None))).all()
    assert closed and {i.closed_because.value for i in closed} == {"request_filled"}
    for delivered in db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.status == S.DELIVERED)):
        outcomes = accepted_outcomes(delivered)
        assert outcomes and all(o.deliverables for o in outcomes)
        agency_files = [a for a in attachments_of(delivered) if a.engagement_id is None]
        assert [a.filename for a in agency_files] == ["briefing-pack.pdf"]
    declined = db.session.scalars(sa.select(Invitation).where(Invitation.status == InvitationStatus.DECLINED)).all()
    assert declined and all(i.decline_reason for i in declined)


def test_demo_experts_have_distinct_headlines_and_one_override(demo_network):
    """Issue 13: no twin experts with identical headlines in the directory; the suggestions show one override."""
    from expertnet.engagements.models import ExclusionOverride

    headlines = db.session.scalars(sa.select(ExpertProfile.headline)).all()
    assert len(headlines) > 200 and len(set(headlines)) == len(headlines)
    override = db.session.scalars(sa.select(ExclusionOverride)).one()
    assert override.exclusion == "unavailable" and override.reason
