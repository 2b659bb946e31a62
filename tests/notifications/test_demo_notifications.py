"""The demo (issue 13): every demo sign-in finds read and unread notifications that open pages they may see,
and the demo experts' invitation e-mails wait in the outbox for the development mail viewer."""
import sqlalchemy as sa

from expertnet.accounts.models import User
from expertnet.demo.credentials import DEMO_PASSWORD, demo_credentials
from expertnet.extensions import db
from expertnet.notifications.models import Notification, OutboxMessage


def test_demo_users_of_every_role_have_notifications_that_open(demo_network, client, auth):
    roles_seen = set()
    for role, email in demo_credentials():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        notifications = db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)).all()
        assert any(n.read_at for n in notifications) and any(n.read_at is None for n in notifications), role
        roles_seen.add(user.role)
        auth.login(email, DEMO_PASSWORD)
        page = client.get("/notifications").get_data(as_text=True)
        assert 'class="notification unread"' in page and 'class="notification"' in page
        for notification in notifications:
            target = client.post(f"/notifications/{notification.id}/open").headers["Location"]
            opened = client.get(target, follow_redirects=True)  # a post's address leads on to its thread's page
            assert opened.status_code == 200 and opened.request.path != "/sign-in", (role, notification.kind, target)
        auth.logout()
    assert len(roles_seen) == 4

    experts = [email for role, email in demo_credentials() if role.startswith("expert")]
    invitations = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "invitation_new")).all()
    assert sorted(m.recipient for m in invitations) == sorted(experts)
