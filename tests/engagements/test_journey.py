"""The whole expert journey through the Flask test client: apply -> vetted -> profile completed -> found by the
matcher -> invited -> confidentiality terms -> accept -> progress -> deliverable -> completion report -> closed."""
import io
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.engagements import services
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation
from expertnet.engagements.suggestions import rank_for_request
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.conftest import PASSWORD, make_user
from tests.engagements.factories import SECRET_GAP, ensure_topics, make_assistance_request
from tests.experts.test_profile import profile_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_expert_journey(client, auth, sent_mail):
    ensure_topics()
    coordinator = make_user(Role.COORDINATOR)
    applied = client.post("/apply", data={
        "full_name": "Nadia Farouk", "email": "nadia@example.org", "affiliation": "Forensic lab",
        "headline": "Forensic chemist", "expertise_statement": "Post-blast casework and attribution of "
        "improvised explosives in the national laboratory for twelve years.",
        "topics": ["forensic-chemistry-attribution"], "locale": "en", "password": PASSWORD, "confirm": PASSWORD})
    assert applied.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "nadia@example.org"))
    blast = make_assistance_request(title="Attribution after a post-blast scene",
                                    summary="Forensic chemistry support to attribute an improvised device.",
                                    topics=("forensic-chemistry-attribution",), coordinator=coordinator)
    assert user.expert_profile.id not in [p.id for p, _s, _r in rank_for_request(blast).experts]  # not vetted yet

    auth.login(coordinator)
    assert client.post(f"/vetting/{user.expert_profile.id}", data={"approve": "Approve"}).status_code == 302
    auth.logout()
    assert user.expert_profile.id in [p.id for p, _s, _r in rank_for_request(blast).experts]

    auth.login(user)
    assert client.post("/profile", data=profile_form()).status_code == 302
    preview = client.get("/profile/preview").get_data(as_text=True)
    assert "forensic" in preview.lower()
    suggestions = rank_for_request(blast)
    profile, score, reasons = suggestions.experts[0]
    assert profile.user_id == user.id and reasons

    invitation = services.invite_expert(coordinator, blast, profile, "Your post-blast work fits.",
                                        utcnow() + timedelta(days=5), match_score=score)
    db.session.commit()
    assert blast.status == S.INVITING
    inbox = client.get("/invitations").get_data(as_text=True)
    assert "Attribution after a post-blast scene" in inbox
    assert SECRET_GAP not in client.get(f"/invitations/{invitation.id}").get_data(as_text=True)
    client.post(f"/invitations/{invitation.id}/terms", data={"terms_version": CONFIDENTIALITY_TERMS_VERSION, "agree": "y"})
    accepted = client.post(f"/invitations/{invitation.id}/accept")
    engagement_url = accepted.headers["Location"]
    assert SECRET_GAP in client.get(engagement_url).get_data(as_text=True)
    db.session.expire_all()
    assert blast.status == S.ASSIGNED

    client.post(f"{engagement_url}/start")
    client.post(f"{engagement_url}/notes", data={"body": "Samples reviewed with the lab team."})
    client.post(f"{engagement_url}/deliverables", data={"file": (io.BytesIO(PDF), "attribution-report.pdf"),
                                                        "tlp": "TLP:AMBER"}, content_type="multipart/form-data")
    client.post(f"{engagement_url}/report", data={"report": "Attribution report delivered and briefed.", "days_spent": "6"})
    db.session.expire_all()
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.invitation_id == invitation.id))
    assert engagement.status == EngagementStatus.REPORT_SUBMITTED and blast.status == S.IN_PROGRESS

    services.accept_report(coordinator, engagement)
    services.close_engagement(coordinator, engagement)
    db.session.commit()
    assert engagement.status == EngagementStatus.CLOSED
    assert db.session.get(ExpertProfile, profile.id).commitments == 0
    past = client.get("/engagements").get_data(as_text=True)
    assert "Attribution after a post-blast scene" in past
    trail = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"expert.applied", "expert.approved", "expert.profile_updated", "invitation.created",
            "invitation.terms_accepted", "invitation.accepted", "engagement.active", "engagement.note_added",
            "attachment.uploaded", "engagement.report_submitted", "engagement.closed"} <= trail
    assert db.session.scalar(sa.select(Invitation.terms_version)) == CONFIDENTIALITY_TERMS_VERSION
