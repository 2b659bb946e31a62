"""Issue 13 guard rail: closing a request with fewer accepted experts than requested, or before its planned end,
needs an explicit confirmation on the desk, and the request machine enforces it (not the page's script)."""
from datetime import timedelta

import pytest

from expertnet.accounts.models import Role
from expertnet.db import utcnow
from expertnet.engagements import services
from expertnet.extensions import db
from expertnet.requests import lifecycle
from expertnet.requests.lifecycle import TransitionNotAllowed
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


def assigned_with_one_of_two(coordinator, **overrides):
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator, experts_wanted=2,
                                                 **overrides)
    accept(invite(coordinator, assistance_request, make_expert()))
    return assistance_request


def move(client, assistance_request, **extra):
    return client.post(f"/coordination/requests/{assistance_request.id}/move",
                       data={"to_status": "closed", "note": "", **extra})


def test_closing_with_fewer_experts_than_wanted_needs_the_confirmation(client, auth, coordinator):
    assistance_request = assigned_with_one_of_two(coordinator)
    auth.login(coordinator)
    desk = client.get(f"/coordination/requests/{assistance_request.id}").get_data(as_text=True)
    assert 'id="closing-warnings"' in desk and "1 expert accepted of the 2 requested." in desk
    assert 'name="confirm_close"' in desk
    refused = move(client, assistance_request)
    assert refused.status_code == 422 and "tick the box" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert assistance_request.status == S.ASSIGNED
    assert move(client, assistance_request, confirm_close="y").status_code == 303
    db.session.expire_all()
    assert assistance_request.status == S.CLOSED


def test_closing_before_the_planned_end_is_refused_by_the_machine_without_confirmation(coordinator):
    today = utcnow().date()
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator,
                                                 start_date=today, end_date=today + timedelta(days=20))
    engagement = accept(invite(coordinator, assistance_request, make_expert()))
    services.start_engagement(engagement.expert.user, engagement)
    services.submit_report(engagement.expert.user, engagement, "Done early.")
    services.accept_report(coordinator, engagement)
    db.session.commit()
    assert assistance_request.status == S.DELIVERED
    warnings = lifecycle.closing_warnings(assistance_request)
    assert len(warnings) == 1 and "planned end date" in warnings[0]
    with pytest.raises(TransitionNotAllowed, match="close_unconfirmed"):
        lifecycle.transition(assistance_request, S.CLOSED, coordinator, "")
    db.session.rollback()
    lifecycle.transition(assistance_request, S.CLOSED, coordinator, "", confirmed=True)
    db.session.commit()
    assert assistance_request.status == S.CLOSED


def test_a_request_delivered_as_planned_closes_without_a_warning(client, auth, coordinator):
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator)
    engagement = accept(invite(coordinator, assistance_request, make_expert()))
    services.start_engagement(engagement.expert.user, engagement)
    services.submit_report(engagement.expert.user, engagement, "Done.")
    services.accept_report(coordinator, engagement)
    db.session.commit()
    auth.login(coordinator)
    desk = client.get(f"/coordination/requests/{assistance_request.id}").get_data(as_text=True)
    assert 'id="closing-warnings"' not in desk and 'value="closed"' in desk
    assert move(client, assistance_request).status_code == 303
    db.session.expire_all()
    assert assistance_request.status == S.CLOSED
