"""SLA clocks: targets per urgency, warning before a breach, time waiting on the agency excluded; the digest."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.coordination import sla
from expertnet.coordination.digest import send_digest, slipping
from expertnet.coordination.sla import Milestone, SlaState
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests.models import AssistanceRequest, RequestStatus as S, Urgency
from tests.conftest import make_user
from tests.coordination.factories import aged_request, step


@pytest.mark.parametrize("urgency, hours, expected", [
    (Urgency.ROUTINE, 10, SlaState.ON_TRACK),    # 72 h target
    (Urgency.ROUTINE, 60, SlaState.DUE_SOON),    # 12 h left < 25 % of 72 h
    (Urgency.ROUTINE, 80, SlaState.OVERDUE),
    (Urgency.URGENT, 2, SlaState.ON_TRACK),      # 4 h target
    (Urgency.URGENT, 3.5, SlaState.DUE_SOON),
    (Urgency.URGENT, 5, SlaState.OVERDUE),
])
def test_triage_clock_by_urgency(app, urgency, hours, expected):
    assistance_request = aged_request(hours, urgency=urgency, urgency_reason="Because.")
    clock = sla.current_clock(assistance_request)
    assert clock.milestone == Milestone.TRIAGE
    assert clock.state == expected


def test_targets_come_from_config(app):
    app.config["SLA_TARGETS"] = {**app.config["SLA_TARGETS"], "routine": {"triage": 1, "first_invitation": 2,
                                                                          "assignment": 3}}
    assert sla.current_clock(aged_request(2)).state == SlaState.OVERDUE


def test_reached_milestones_are_met_or_missed(app):
    coordinator = make_user(Role.COORDINATOR)
    on_time = aged_request(100, coordinator=coordinator)
    step(on_time, S.TRIAGE, coordinator, hours_ago=90)  # 10 h after submission, 72 h allowed
    late = aged_request(100, coordinator=coordinator)
    step(late, S.TRIAGE, coordinator, hours_ago=10)  # 90 h after submission
    assert sla.clock(on_time, Milestone.TRIAGE).state == SlaState.MET
    assert sla.clock(late, Milestone.TRIAGE).state == SlaState.MISSED
    assert sla.current_clock(on_time).milestone == Milestone.FIRST_INVITATION


def test_waiting_on_the_agency_does_not_count(app):
    coordinator = make_user(Role.COORDINATOR)
    # Routine: first invitation within 168 h. Submitted 200 h ago, but 150 h of it waiting on the agency.
    assistance_request = aged_request(200, S.TRIAGE, coordinator)
    step(assistance_request, S.INFO_REQUESTED, coordinator, hours_ago=190)
    paused_clock = sla.clock(assistance_request, Milestone.FIRST_INVITATION)
    assert paused_clock.state == SlaState.ON_TRACK, "the clock is paused right now"
    step(assistance_request, S.TRIAGE, coordinator, hours_ago=40)
    assert assistance_request.paused_seconds == pytest.approx(150 * 3600, abs=5)
    clock = sla.clock(assistance_request, Milestone.FIRST_INVITATION)
    assert clock.state == SlaState.ON_TRACK  # 50 working hours of 168
    assert clock.due_at - assistance_request.submitted_at == timedelta(hours=168 + 150)


def test_a_later_hold_does_not_flatter_an_earlier_milestone(app):
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = aged_request(500, S.IN_PROGRESS, coordinator)  # assigned at once, 500 h ago
    step(assistance_request, S.ON_HOLD, coordinator, hours_ago=300)
    step(assistance_request, S.IN_PROGRESS, coordinator, hours_ago=10)
    assert sla.elapsed_to(assistance_request, Milestone.ASSIGNMENT) < timedelta(minutes=5)
    assert sla.clock(assistance_request, Milestone.ASSIGNMENT).state == SlaState.MET


def test_closed_requests_stop_their_clocks(app):
    coordinator = make_user(Role.COORDINATOR)
    assistance_request = aged_request(100, S.TRIAGE, coordinator)
    step(assistance_request, S.REJECTED, coordinator, note="Out of scope")
    assert sla.clock(assistance_request, Milestone.FIRST_INVITATION).state == SlaState.STOPPED
    assert sla.current_clock(assistance_request) is None


def test_drafts_have_no_clock(app):
    assert sla.clocks(AssistanceRequest(title="Not submitted yet", urgency=Urgency.ROUTINE)) == []


def test_digest_lists_what_slips_once_a_day(app, sent_mail):
    lead = make_user(Role.COORDINATOR, full_name="Lina Lead")
    other = make_user(Role.COORDINATOR)
    overdue = aged_request(80, coordinator=lead, title="Overdue port request")
    overdue.lead_coordinator = lead
    aged_request(60, coordinator=lead, title="Due soon lab request")
    aged_request(1, coordinator=lead, title="Fresh request")
    db.session.commit()

    titles = [r.title for r, _clock in slipping()]
    assert titles == ["Overdue port request", "Due soon lab request"]
    assert send_digest() == 2  # one per active coordinator
    db.session.commit()
    assert send_digest() == 0, "a second run the same day queues nothing"
    db.session.commit()
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "digest_sla")).all()
    assert sorted(m.recipient for m in messages) == sorted([lead.email, other.email])
    body = next(m.text_body for m in messages if m.recipient == lead.email)
    assert "Overdue port request" in body and "Due soon lab request" in body and "Fresh request" not in body
    assert "2 requests are overdue or close to their SLA target (yours: 1)" in body
    assert send_digest(now=utcnow() + timedelta(days=1)) == 2, "the next day brings a new digest"


def test_digest_command_is_idempotent(app, runner, sent_mail):
    coordinator = make_user(Role.COORDINATOR)
    aged_request(80, coordinator=coordinator)
    first = runner.invoke(args=["coordination", "digest"])
    second = runner.invoke(args=["coordination", "digest"])
    assert "1 queued" in first.output and "0 queued" in second.output
    assert len([m for m in sent_mail if "SLA digest" in m["Subject"]]) == 1


def test_digest_is_in_each_coordinators_language(app):
    arabic = make_user(Role.COORDINATOR, locale="ar")
    aged_request(80, coordinator=arabic)
    send_digest()
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == arabic.email))
    assert 'dir="rtl"' in message.html_body and "SLA digest" not in message.subject


def test_no_digest_when_nothing_slips(app):
    aged_request(1)
    assert send_digest() == 0
