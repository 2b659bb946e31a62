"""A mail shows times in its recipient's zone, not in the zone of whoever's action sent it (issue 13, bug 13)."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_login import login_user

from expertnet.accounts.models import Role
from expertnet.engagements import services
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from tests.conftest import make_user
from tests.engagements.factories import make_assistance_request, make_expert

RESPOND_BY = datetime(2031, 1, 10, 18, 0, tzinfo=timezone.utc)  # 20:00 in Amman, 12:00 in Mexico City


def _invite_as(coordinator, expert_zone: str | None) -> OutboxMessage:
    expert = make_expert(user=make_user(Role.EXPERT, locale="en"))
    expert.user.time_zone = expert_zone
    db.session.commit()
    services.invite_expert(coordinator, make_assistance_request(coordinator=coordinator), expert, "Can you help?",
                           RESPOND_BY)
    db.session.commit()
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == expert.user.email)).one()


def _coordinator_in_amman():
    coordinator = make_user(Role.COORDINATOR, locale="en")
    coordinator.time_zone = "Asia/Amman"
    db.session.commit()
    login_user(coordinator)  # the action runs in the coordinator's request, as on the desk
    return coordinator


def test_the_invitation_mail_is_in_the_experts_zone_while_the_coordinator_sees_theirs(app):
    with app.test_request_context():
        mail = _invite_as(_coordinator_in_amman(), "America/Mexico_City")
        assert "12:00" in mail.text_body and "(Mexico City)" in mail.text_body
        assert "Amman" not in mail.text_body
        # The coordinator's own pages, in the same request, are back in their zone.
        assert "(Amman)" in app.jinja_env.globals["format_datetime"](RESPOND_BY)


def test_a_recipient_without_a_zone_gets_the_installations(app):
    with app.test_request_context():
        mail = _invite_as(_coordinator_in_amman(), None)
    assert "18:00" in mail.text_body or "6:00" in mail.text_body
    assert "Amman" not in mail.text_body
