"""In-app notifications (issue 13): each e-mail to a user has its in-app twin, one per recipient and event;
read/unread per user; another user's notification is a 404; the list in English and Arabic."""
import re

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.coordination.digest import send_digest
from expertnet.db import utcnow
from expertnet.engagements import services as engagements
from expertnet.experts.models import VettingStatus
from expertnet.experts.services import decide_application
from expertnet.extensions import db
from expertnet.notifications.models import Notification, OutboxMessage
from expertnet.requests import services as requests
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_user
from tests.engagements.factories import (SECRET_ANNEX, SECRET_GAP, accept, invite, make_assistance_request,
                                         make_expert)

# E-mails that have no in-app twin: the onboarding invitation (no account yet) and the password reset
# (its reader is signed out).
MAIL_ONLY = {"onboarding_invitation", "password_reset"}


def notifications_of(user) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def kinds_of(user) -> list[str]:
    return [n.kind for n in notifications_of(user)]


def assert_mail_and_notifications_agree() -> None:
    """Every notification has its e-mail to the same person, and every e-mail to a user its notification."""
    mails = sorted((m.recipient, m.kind) for m in db.session.scalars(sa.select(OutboxMessage))
                   if m.kind not in MAIL_ONLY)
    notes = db.session.execute(sa.select(User.email, Notification.kind).join(User, User.id == Notification.user_id))
    assert mails == sorted(tuple(row) for row in notes)


@pytest.fixture
def team(app):
    member = make_user(Role.MEMBER)
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = make_assistance_request(member=member, coordinator=coordinator, status=S.MATCHING)
    assistance_request.lead_coordinator = coordinator
    db.session.commit()
    return member, coordinator, assistance_request, make_expert()


def test_each_event_makes_exactly_one_notification_per_recipient(team):
    member, coordinator, assistance_request, profile = team
    expert = profile.user

    invitation = invite(coordinator, assistance_request, profile)
    assert kinds_of(expert) == ["invitation_new"]
    engagement = accept(invitation)
    assert kinds_of(coordinator) == ["invitation_accepted"]

    requests.post_message(coordinator, assistance_request, "Could you share the port names?")
    db.session.commit()
    assert kinds_of(member) == ["request_message"]
    requests.post_message(member, assistance_request, "Aqaba and the dry port.")
    requests.post_message(coordinator, assistance_request, "Internal: check with customs", internal=True)
    db.session.commit()
    assert kinds_of(coordinator) == ["invitation_accepted", "request_agency_message"]
    assert kinds_of(member) == ["request_message"], "an internal note tells nobody"

    engagements.start_engagement(expert, engagement)
    engagements.submit_report(expert, engagement, "Indicators delivered.", 3)
    db.session.commit()
    assert kinds_of(coordinator)[-1] == "engagement_report_submitted"
    engagements.accept_report(coordinator, engagement)
    engagements.accept_report(coordinator, engagement)  # a repeat changes nothing and tells nobody again
    db.session.commit()
    assert kinds_of(expert) == ["invitation_new", "engagement_report_accepted"]

    assert_mail_and_notifications_agree()


def test_status_change_and_decline_and_digest_and_vetting(team):
    member, coordinator, assistance_request, profile = team
    in_triage = make_assistance_request(member=member, coordinator=coordinator, status=S.TRIAGE)
    requests.change_status(coordinator, in_triage, S.MATCHING)
    db.session.commit()
    assert kinds_of(member) == ["request_status_changed"]
    assert notifications_of(member)[0].facts == {"reference": in_triage.reference, "status": "matching"}
    assert notifications_of(member)[0].link_args == {"request_id": in_triage.id}

    invitation = invite(coordinator, assistance_request, profile)
    engagements.decline_invitation(profile.user, invitation, engagements.DeclineReason.NO_CAPACITY)
    db.session.commit()
    assert "invitation_declined" in kinds_of(coordinator)

    applicant = make_expert(vetted=False)
    assert applicant.vetting_status == VettingStatus.PENDING
    decide_application(coordinator, applicant, True, "")
    db.session.commit()
    assert kinds_of(applicant.user) == ["vetting_decision"]
    assert notifications_of(applicant.user)[0].facts == {"approved": True}

    send_digest(utcnow())
    send_digest(utcnow())  # once per day: neither a second mail nor a second notification
    db.session.commit()
    assert kinds_of(coordinator).count("digest_sla") <= 1
    assert_mail_and_notifications_agree()


def test_notification_text_holds_no_case_details(team, client, auth):
    member, coordinator, assistance_request, profile = team
    invite(coordinator, assistance_request, profile)
    auth.login(profile.user)
    page = client.get("/notifications").get_data(as_text=True)
    assert assistance_request.reference in page
    for secret in (SECRET_GAP, SECRET_ANNEX, assistance_request.title):
        assert secret not in page


def _unread_badge(html: str) -> str:
    return re.search(r'class="notification-bell" aria-label="([^"]*)"', html).group(1)


def test_read_unread_mark_one_and_all(team, client, auth):
    member, coordinator, assistance_request, profile = team
    for text in ("One", "Two", "Three"):
        requests.post_message(coordinator, assistance_request, text)
    db.session.commit()
    auth.login(member)
    page = client.get("/notifications").get_data(as_text=True)
    assert _unread_badge(page) == "3 unread notifications"
    assert page.count(">Unread</span>") == 3

    first = notifications_of(member)[0]
    response = client.post(f"/notifications/{first.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == f"/requests/{assistance_request.id}"
    db.session.refresh(first)
    assert first.read_at is not None
    assert _unread_badge(client.get("/notifications").get_data(as_text=True)) == "2 unread notifications"

    client.post(f"/notifications/{first.id}/open")  # opening again keeps it read, and the first reading time
    response = client.post("/notifications/read", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "2 notifications marked as read." in html
    assert _unread_badge(html) == "Notifications: none unread" and "Mark all as read" not in html
    assert all(n.read_at for n in notifications_of(member))


def test_one_user_cannot_read_or_mark_anothers(team, client, auth):
    member, coordinator, assistance_request, profile = team
    requests.post_message(coordinator, assistance_request, "For the agency")
    db.session.commit()
    theirs = notifications_of(member)[0]
    auth.login(make_user(Role.MEMBER))
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    assert client.post("/notifications/999999/open").status_code == 404
    client.post("/notifications/read")
    db.session.refresh(theirs)
    assert theirs.read_at is None, "marking all read touches only the reader's own"
    assert "For the agency" not in client.get("/notifications").get_data(as_text=True)


def test_signed_out_is_sent_to_sign_in_and_get_cannot_mark(team, client, auth):
    assert client.get("/notifications").status_code == 302
    assert client.post("/notifications/read").status_code == 302
    member = team[0]
    auth.login(member)
    assert client.get("/notifications/read").status_code == 405


def test_page_opens_the_object_and_the_object_rechecks_access(team, client, auth):
    """A revoked expert's notification still opens only their own invitation page, never the request."""
    member, coordinator, assistance_request, profile = team
    invitation = invite(coordinator, assistance_request, profile)
    engagements.revoke_invitation(coordinator, invitation, "Another expert fits better")
    db.session.commit()
    auth.login(profile.user)
    for notification in notifications_of(profile.user):
        target = client.post(f"/notifications/{notification.id}/open").headers["Location"]
        assert target == f"/invitations/{invitation.id}"
    assert client.get(f"/requests/{assistance_request.id}").status_code == 404


def test_empty_state_and_pagination(client, auth, app):
    user = make_user(Role.EXPERT)
    auth.login(user)
    page = client.get("/notifications").get_data(as_text=True)
    assert "No notifications yet" in page and "Mark all as read" not in page
    for number in range(45):
        db.session.add(Notification(user_id=user.id, kind="invitation_new", facts={"reference": f"TA-2026-{number:04d}"},
                                    endpoint="engagements.inbox", link_args={}))
    db.session.commit()
    first = client.get("/notifications").get_data(as_text=True)
    assert "TA-2026-0044" in first and "TA-2026-0000" not in first and "Page 1 of 3" in first
    assert "TA-2026-0000" in client.get("/notifications?page=3").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR, Role.EXPERT, Role.ADMIN])
def test_every_role_has_the_list_and_the_badge(client, auth, role):
    auth.login(make_user(role))
    page = client.get("/notifications")
    assert page.status_code == 200
    assert 'href="/notifications"' in client.get("/").get_data(as_text=True)


def test_arabic_page_and_plural_label(team, client, auth):
    member, coordinator, assistance_request, profile = team
    requests.post_message(coordinator, assistance_request, "first")
    requests.post_message(coordinator, assistance_request, "سؤال")
    db.session.commit()
    auth.login(member)
    client.post("/language", data={"locale": "ar", "next": "/notifications"})
    html = client.get("/notifications").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert "إشعاران غير مقروءين" in html  # Arabic's dual
    assert f"<bdi>{assistance_request.reference}</bdi>" in html
    for english in ("Unread", "Mark all as read", "a new message from the coordinators", "Notifications"):
        assert english not in html
