"""The development mail viewer (issue 13): with a local mail backend the admin outbox page lists every
message and shows each in full with working links, so a newcomer can follow an invitation; with SMTP
(production) message bodies stay private. The log backend writes each message readably."""
import logging
import re

import pytest

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.notifications.services import deliver_queued, send_mail
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_user
from tests.engagements.factories import invite, make_assistance_request, make_expert


@pytest.fixture
def invitation(app):
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = make_assistance_request(coordinator=coordinator, status=S.MATCHING)
    return invite(coordinator, assistance_request, make_expert())


def test_a_newcomer_follows_the_invitation_link_from_the_outbox(app, client, auth, invitation):
    deliver_queued()  # sent already: the viewer still shows it
    message = db.session.query(OutboxMessage).filter_by(kind="invitation_new").one()
    assert message.status == OutboxStatus.SENT
    auth.login(make_user(Role.ADMIN))
    listing = client.get("/admin/outbox?show=all").get_data(as_text=True)
    assert f'href="/admin/outbox/{message.id}"' in listing and invitation.expert.user.email in listing
    assert "/admin/outbox?show=all" in client.get("/admin/outbox").get_data(as_text=True)

    page = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert message.subject in page
    link = re.search(r'<a href="(/invitations/\d+)" dir="ltr">http://', page).group(1)
    assert link == f"/invitations/{invitation.id}"
    auth.logout()
    auth.login(invitation.expert.user)
    assert client.get(link).status_code == 200


def test_the_viewer_escapes_the_body(app, client, auth):
    message = OutboxMessage(recipient="x@example.org", subject="s", html_body="", kind="test",
                            text_body='<script>alert(1)</script> see https://example.org/a?b=1&c=<2>')
    db.session.add(message)
    db.session.commit()
    auth.login(make_user(Role.ADMIN))
    page = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://example.org/a?b=1&amp;c=" dir="ltr">' in page


def test_with_smtp_bodies_stay_private(app, client, auth, invitation):
    app.config["MAIL_BACKEND"] = "smtp"
    message = db.session.query(OutboxMessage).filter_by(kind="invitation_new").one()
    message.status = OutboxStatus.SENT
    db.session.commit()
    auth.login(make_user(Role.ADMIN))
    assert client.get(f"/admin/outbox/{message.id}").status_code == 404
    listing = client.get("/admin/outbox?show=all").get_data(as_text=True)
    assert invitation.expert.user.email not in listing, listing
    assert 'href="/admin/outbox?show=all"' not in listing


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.COORDINATOR])
def test_only_admins_read_messages(app, client, auth, invitation, role):
    message = db.session.query(OutboxMessage).filter_by(kind="invitation_new").one()
    auth.login(make_user(role))
    assert client.get(f"/admin/outbox/{message.id}").status_code == 403
    assert client.get("/admin/outbox?show=all").status_code == 403


def test_the_log_backend_writes_the_whole_message_readably(app, caplog):
    app.config["MAIL_BACKEND"] = "log"
    user = make_user(Role.MEMBER)
    send_mail(user.email, "request_message", assistance_request=type("R", (), {
        "id": 7, "reference": "TA-2026-0007", "title": "Port", "created_by": user})())
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="expertnet.notifications.services"):
        assert deliver_queued() == (1, 0)
    logged = caplog.text
    assert f"To: {user.email}" in logged and "Subject: TA-2026-0007: a new message from the coordinators" in logged
    assert "http://127.0.0.1:5000/requests/7" in logged and "/admin/outbox?show=all" in logged
