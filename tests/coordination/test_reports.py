"""Dashboard figures equal independent counts in the database; CSV exports neutralise formulas;
the expiry/reminder cron command is idempotent."""
import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.coordination import stats
from expertnet.db import utcnow
from expertnet.engagements import services as engagement_services
from expertnet.engagements.models import DeclineReason, Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.conftest import make_user
from tests.coordination.factories import aged_request, make_expert
from tests.engagements.factories import accept, invite


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def network(coordinator):
    """A few requests at several stages, invitations answered every way, experts with some load."""
    requests = [aged_request(hours, status, coordinator) for hours, status in
                ((5, S.SUBMITTED), (30, S.TRIAGE), (50, S.MATCHING), (80, S.MATCHING), (200, S.CLOSED))]
    experts = [make_expert(capacity=2) for _ in range(4)]
    accept(invite(coordinator, requests[2], experts[0]))
    declined = invite(coordinator, requests[3], experts[1])
    engagement_services.decline_invitation(experts[1].user, declined, DeclineReason.NO_CAPACITY)
    invite(coordinator, requests[3], experts[2])
    db.session.commit()
    return requests, experts


def figure(html: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html).group(1)


def hours_of(html: str, element_id: str) -> float:
    return float(re.search(rf'id="{element_id}" data-hours="([^"]*)"', html).group(1))


def test_dashboard_numbers_match_the_database(client, auth, coordinator, network):
    auth.login(coordinator)
    html = client.get("/coordination/dashboard").get_data(as_text=True)
    open_count = db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id)).where(
        AssistanceRequest.status.not_in([S.DRAFT, S.CLOSED, S.REJECTED, S.WITHDRAWN])))
    assert figure(html, "open-total") == str(open_count) == "4"
    answered = db.session.scalars(sa.select(Invitation.status).where(Invitation.status.in_(
        [InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.EXPIRED,
         InvitationStatus.CONFLICT_DECLARED]))).all()
    accepted = answered.count(InvitationStatus.ACCEPTED)
    assert figure(html, "acceptance-rate") == f"{round(100 * accepted / len(answered), 1)}%" == "50.0%"
    rows = db.session.execute(sa.text("SELECT sum(commitments), sum(capacity) FROM expert_profile "
                                      "WHERE vetting_status = 'approved'")).one()
    assert figure(html, "utilisation") == f"{round(100 * rows[0] / rows[1], 1)}%"
    triaged = db.session.scalars(sa.select(AssistanceRequest).where(AssistanceRequest.triaged_at.is_not(None))).all()
    hours = sorted((r.triaged_at - r.submitted_at).total_seconds() / 3600 for r in triaged)
    assert hours_of(html, "median-triage") == pytest.approx(hours[len(hours) // 2], abs=0.1)
    by_status = stats.open_by_status()
    assert {s: n for s, n in by_status.items() if n} == {S.SUBMITTED: 1, S.TRIAGE: 1, S.INVITING: 1, S.ASSIGNED: 1}
    assert sum(count for _month, count in stats.by_month(12)) == db.session.scalar(
        sa.select(sa.func.count(AssistanceRequest.id)).where(AssistanceRequest.submitted_at.is_not(None)))
    assert dict(stats.by_country(12)[0]) == {"JO": 5}
    assert "<svg" in html and "style=" not in html


def test_csv_exports_neutralise_formulas(client, auth, coordinator, network):
    requests, _experts = network
    requests[0].title = '=HYPERLINK("http://evil.example","click")'
    db.session.commit()
    auth.login(coordinator)
    response = client.get("/coordination/export/requests.csv")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "reference" and len(rows) == 1 + 5
    assert {row[4] for row in rows[1:]} >= {"submitted", "closed"}  # values, not Python enum names
    titles = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)
    engagements = list(csv.reader(io.StringIO(client.get("/coordination/export/engagements.csv")
                                              .get_data(as_text=True).lstrip("\ufeff"))))
    assert len(engagements) == 2


def test_expiry_and_reminders_command_is_idempotent(runner, coordinator, sent_mail):
    requests = [aged_request(50, S.MATCHING, coordinator) for _ in range(2)]
    late, soon = make_expert(), make_expert()
    overdue = invite(coordinator, requests[0], late)
    overdue.respond_by = utcnow() - timedelta(hours=1)
    reminded = invite(coordinator, requests[1], soon)
    reminded.respond_by = utcnow() + timedelta(hours=20)
    db.session.commit()
    first = runner.invoke(args=["coordination", "expire-invitations"])
    assert "1 invitations expired, 1 reminders queued" in first.output
    second = runner.invoke(args=["coordination", "expire-invitations"])
    assert "0 invitations expired, 0 reminders queued" in second.output
    db.session.expire_all()
    assert db.session.get(Invitation, overdue.id).status == InvitationStatus.EXPIRED
    assert db.session.get(AssistanceRequest, requests[0].id).status == S.MATCHING  # nobody left: back to matching
    reminders = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "invitation_reminder")).all()
    assert [m.recipient for m in reminders] == [soon.user.email]
    assert len([m for m in sent_mail if m["To"] == soon.user.email]) == 2  # the invitation, then one reminder


def test_topics_and_countries_over_time_count_each_submitted_request(coordinator, network):
    quarters, rows = stats.over_time("country", "en")
    assert len(quarters) == 4 and quarters == sorted(quarters)
    assert list(dict(rows)) == ["Jordan"] and sum(dict(rows)["Jordan"]) == 5  # all five fall in the last two quarters
    _quarters, topic_rows = stats.over_time("topic", "en")
    assert sum(sum(counts) for _label, counts in topic_rows) == 5  # each factory request has one topic
