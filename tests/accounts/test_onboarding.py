"""Invitation links (expired, reused, tampered), password reset, and the expert application to vetting."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from expertnet.accounts.models import OnboardingInvitation, Role, User
from expertnet.audit.models import AuditEvent
from expertnet.db import utcnow
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.extensions import db
from expertnet.taxonomy.services import load_bundled_topics
from tests.conftest import PASSWORD, make_organisation, make_user

NEW_PASSWORD = "a long new passphrase 42"


def link_in(mail) -> str:
    """The path of the link in the mail, which is built on PUBLIC_BASE_URL."""
    link = re.search(r"http://\S+", mail.get_body(("plain",)).get_content()).group(0)
    base = current_app.config["PUBLIC_BASE_URL"]
    assert link.startswith(base + "/")
    return link.removeprefix(base)


def invite_member(client, auth, sent_mail, email="officer@agency.example"):
    organisation = make_organisation()
    auth.login(make_user(Role.COORDINATOR))
    response = client.post("/admin/invite", data={"full_name": "Leila Officer", "email": email, "role": "member",
                                                  "organisation_id": organisation.id, "locale": ""})
    assert response.status_code == 302
    auth.logout()
    return link_in(sent_mail[-1])


def test_invited_member_creates_account_and_is_signed_in(client, auth, sent_mail):
    link = invite_member(client, auth, sent_mail)
    assert "Leila Officer" in client.get(link).get_data(as_text=True)
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "locale": "ar"})
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "officer@agency.example"))
    assert user.role == Role.MEMBER and user.organisation.name == "Port Authority of Testland" and user.locale == "ar"
    assert client.get("/settings").status_code == 200
    assert {"user.invited", "user.invitation_accepted"} <= set(db.session.scalars(sa.select(AuditEvent.action)))


def test_invitation_link_works_once(client, auth, sent_mail):
    link = invite_member(client, auth, sent_mail)
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "locale": ""})
    auth.logout()
    assert client.get(link).status_code == 410
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "locale": ""})
    assert response.status_code == 410
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email == "officer@agency.example")) == 1


def test_expired_invitation_is_refused(client, auth, sent_mail):
    link = invite_member(client, auth, sent_mail)
    invitation = db.session.scalar(sa.select(OnboardingInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 410


def test_tampered_invitation_token_is_refused(client, auth, sent_mail):
    link = invite_member(client, auth, sent_mail)
    assert client.get(link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")).status_code == 410
    assert client.get("/invitation/not-a-token").status_code == 410


def test_short_password_is_refused_inline(client, auth, sent_mail):
    link = invite_member(client, auth, sent_mail)
    response = client.post(link, data={"password": "short", "confirm": "short", "locale": ""})
    assert response.status_code == 200 and "12" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "officer@agency.example")) is None


def test_coordinator_cannot_invite_an_admin(client, auth):
    auth.login(make_user(Role.COORDINATOR))
    response = client.post("/admin/invite", data={"full_name": "X", "email": "x@example.org", "role": "admin",
                                                  "organisation_id": 0, "locale": ""})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(OnboardingInvitation)) is None


def test_member_invitation_needs_an_organisation(client, auth):
    auth.login(make_user(Role.ADMIN))
    response = client.post("/admin/invite", data={"full_name": "X", "email": "x@example.org", "role": "member",
                                                  "organisation_id": 0, "locale": ""})
    assert "must belong to an organisation" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(OnboardingInvitation)) is None


def test_password_reset_round_trip(client, auth, sent_mail):
    user = make_user(Role.MEMBER)
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 302
    link = link_in(sent_mail[-1])
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert auth.login(user, PASSWORD).status_code == 200
    assert auth.login(user, NEW_PASSWORD).status_code == 302
    # The link is single use: the password it was issued for no longer exists.
    auth.logout()
    assert client.post(link, data={"password": "another passphrase 99", "confirm": "another passphrase 99"}).status_code == 410


def test_password_reset_for_unknown_address_says_the_same_and_sends_nothing(client, sent_mail):
    response = client.post("/password/forgot", data={"email": "ghost@example.org"}, follow_redirects=True)
    assert "If an account exists" in response.get_data(as_text=True)
    assert sent_mail == []


def test_tampered_reset_token_is_refused(client):
    response = client.post("/password/reset/abc.def", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410


@pytest.fixture
def topics(app):
    load_bundled_topics()
    db.session.commit()


APPLICATION = {"full_name": "Dr Noor Saleh", "email": "noor@lab.example", "affiliation": "National Forensic Lab",
               "headline": "Forensic chemist", "locale": "ar", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
               "expertise_statement": "Twelve years of GC-MS attribution casework on explosives precursors.",
               "topics": ["forensic-chemistry-attribution", "post-blast-investigation"], "application_note": ""}


def test_expert_application_lands_in_vetting_and_is_approved(client, auth, sent_mail, topics):
    assert client.post("/apply", data=APPLICATION).status_code == 302
    profile = db.session.scalar(sa.select(ExpertProfile))
    assert profile.vetting_status == VettingStatus.PENDING and len(profile.topics) == 2
    coordinator = make_user(Role.COORDINATOR)
    auth.login(coordinator)
    assert "Dr Noor Saleh" in client.get("/vetting").get_data(as_text=True)
    assert client.post(f"/vetting/{profile.id}", data={"reason": "", "approve": "Approve"}).status_code == 302
    db.session.refresh(profile)
    assert profile.vetting_status == VettingStatus.APPROVED and profile.vetted_by_id == coordinator.id
    assert sent_mail[-1]["To"] == "noor@lab.example"
    assert "expert.approved" in db.session.scalars(sa.select(AuditEvent.action)).all()


def test_rejection_needs_a_reason(client, auth, topics):
    client.post("/apply", data=APPLICATION)
    profile = db.session.scalar(sa.select(ExpertProfile))
    auth.login(make_user(Role.COORDINATOR))
    response = client.post(f"/vetting/{profile.id}", data={"reason": "", "reject": "Reject"})
    assert "Give a reason" in response.get_data(as_text=True)
    db.session.refresh(profile)
    assert profile.vetting_status == VettingStatus.PENDING
    client.post(f"/vetting/{profile.id}", data={"reason": "References could not be verified", "reject": "Reject"})
    db.session.refresh(profile)
    assert profile.vetting_status == VettingStatus.REJECTED


def test_application_with_a_taken_email_or_unknown_topic_stores_nothing(client, topics):
    make_user(Role.MEMBER, email="noor@lab.example")
    response = client.post("/apply", data=APPLICATION)
    assert "already exists" in response.get_data(as_text=True)
    response = client.post("/apply", data={**APPLICATION, "email": "other@lab.example", "topics": ["no-such-topic"]})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(ExpertProfile.id))) == 0
