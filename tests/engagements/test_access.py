"""Who reaches what: a matrix of roles x the experts' and engagements' routes, and the redaction guarantee that an
invited expert who has not accepted sees no labelled part beyond the shareable summary, anywhere."""
import io

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.attachments.services import store_attachment
from expertnet.engagements import services
from expertnet.engagements.terms import CONFIDENTIALITY_TERMS_VERSION
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.sensitivity import Tlp
from tests.engagements.factories import (SECRET_ANNEX, SECRET_GAP, SECRET_OUTCOME, SECRET_URGENCY, accept, invite,
                                         make_assistance_request, make_expert)

SECRETS = (SECRET_GAP, SECRET_OUTCOME, SECRET_ANNEX, SECRET_URGENCY, "deliverable-secret.pdf", "annex-secret.pdf")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(users):
    coordinator = users["coordinator"]
    assistance_request = make_assistance_request(member=users["member"], coordinator=coordinator)
    invited = make_expert()
    invitation = invite(coordinator, assistance_request, invited)
    working = make_expert()
    engagement = accept(invite(coordinator, make_assistance_request(member=users["member"], coordinator=coordinator),
                               working))
    return {"invitation": invitation, "engagement": engagement, "invited": invited, "working": working}


EXPERT_PAGES = ["/invitations", "/engagements", "/profile", "/profile/preview", "/profile/export.json"]
OBJECT_PAGES = ["/invitations/{i}", "/invitations/{i}.json", "/engagements/{e}"]
COORDINATOR_PAGES = ["/experts/import", "/experts/export.csv", "/experts/{p}/vetting-status"]
ROLES = ["anonymous", "member", "other_member", "expert", "coordinator", "admin"]


def _as(client, auth, users, role):
    if role != "anonymous":
        auth.login(users[role])


def _url(template, world):
    return template.format(i=world["invitation"].id, e=world["engagement"].id, p=world["invited"].id)


@pytest.mark.parametrize("role", ROLES)
def test_expert_only_pages(client, auth, users, world, role):
    _as(client, auth, users, role)
    for url in EXPERT_PAGES:
        status = client.get(url).status_code
        expected = {"anonymous": 302, "expert": 200}.get(role, 403)
        # users["expert"] has no profile: their own-profile pages are missing, the lists are empty.
        if role == "expert" and url.startswith("/profile"):
            expected = 404
        assert status == expected, (role, url, status)


@pytest.mark.parametrize("role", ROLES)
def test_object_pages_are_missing_for_everyone_but_their_expert(client, auth, users, world, role):
    _as(client, auth, users, role)
    for template in OBJECT_PAGES:
        url = _url(template, world)
        status = client.get(url).status_code
        if role == "anonymous":
            assert status == 302, url
        elif role in ("coordinator", "admin") and url.startswith("/engagements/"):
            assert status == 200, url  # coordinators follow every engagement
        elif role in ("member", "other_member", "coordinator", "admin") and url.startswith("/invitations"):
            assert status == 403, url  # an expert-only page
        else:
            assert status == 404, (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_coordinator_pages(client, auth, users, world, role):
    _as(client, auth, users, role)
    for template in COORDINATOR_PAGES:
        status = client.get(_url(template, world)).status_code
        assert status == {"anonymous": 302, "coordinator": 200, "admin": 200}.get(role, 403), (role, template)


def test_posts_by_another_expert_change_nothing(client, auth, world):
    auth.login(world["working"].user)
    invitation = world["invitation"]
    for url in (f"/invitations/{invitation.id}/terms", f"/invitations/{invitation.id}/accept",
                f"/invitations/{invitation.id}/decline"):
        assert client.post(url, data={"agree": "y", "reason": "dates", "terms_version": "2026-1"}).status_code == 404
    auth.logout()
    auth.login(world["invited"].user)
    engagement = world["engagement"]
    for url in (f"/engagements/{engagement.id}/start", f"/engagements/{engagement.id}/notes",
                f"/engagements/{engagement.id}/report", f"/engagements/{engagement.id}/messages"):
        assert client.post(url, data={"body": "x", "report": "x"}).status_code == 404
    db.session.expire_all()
    assert invitation.status.value == "pending" and invitation.terms_accepted_at is None
    assert engagement.status.value == "planned" and engagement.notes == []


def _reachable(client, invitation) -> dict[str, str]:
    urls = ["/", "/invitations", f"/invitations/{invitation.id}", f"/invitations/{invitation.id}.json", "/engagements",
            "/profile", "/profile/preview", "/profile/export.json", f"/requests/{invitation.request_id}",
            f"/requests/{invitation.request_id}/messages"]
    return {url: client.get(url).get_data(as_text=True) for url in urls}


@pytest.mark.parametrize("summary_tlp", [Tlp.GREEN, Tlp.RED])
def test_redaction_before_acceptance(client, auth, users, summary_tlp):
    coordinator = users["coordinator"]
    assistance_request = make_assistance_request(member=users["member"], coordinator=coordinator,
                                                 summary_tlp=summary_tlp)
    store_attachment(users["member"], assistance_request, FileStorage(io.BytesIO(PDF), "annex-secret.pdf"), Tlp.AMBER)
    db.session.commit()
    expert = make_expert()
    invitation = invite(coordinator, assistance_request, expert)
    auth.login(expert.user)
    for stage in ("invited", "terms accepted"):
        pages = _reachable(client, invitation)
        for url, body in pages.items():
            leaked = [secret for secret in SECRETS if secret in body]
            assert not leaked, (stage, url, leaked)
        summary_shown = "Customs needs risk indicators" in pages[f"/invitations/{invitation.id}"]
        assert summary_shown is (summary_tlp != Tlp.RED)
        services.accept_terms(expert.user, invitation, CONFIDENTIALITY_TERMS_VERSION)
        db.session.commit()
    mail = " ".join(m.text_body + m.html_body for m in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == expert.user.email)))
    assert mail and not any(secret in mail for secret in SECRETS)
