"""The triage queue (filters, saved views, sort, pagination) and the triage actions through the lifecycle."""
import re

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.notifications.models import OutboxMessage
from expertnet.requests.models import AssistanceRequest, RequestMessage, RequestStatus as S, Urgency
from tests.conftest import make_user
from tests.coordination.factories import aged_request

ROW = re.compile(r'href="/coordination/requests/(\d+)"')


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR, full_name="Queue Coordinator")


def listed(client, **params) -> list[int]:
    response = client.get("/coordination/queue", query_string=params)
    assert response.status_code == 200
    return [int(i) for i in ROW.findall(response.get_data(as_text=True))]


def test_queue_filters_views_and_sorting(client, auth, coordinator):
    urgent_late = aged_request(6, coordinator=coordinator, urgency=Urgency.URGENT, urgency_reason="Summit",
                               title="Urgent overdue", country="EG")
    routine_new = aged_request(2, coordinator=coordinator, title="Routine new", topics=("decontamination",))
    waiting = aged_request(30, S.INFO_REQUESTED, coordinator, title="Waiting on agency")
    led = aged_request(140, S.TRIAGE, coordinator, title="Led and due soon")  # 28 h of 168 left
    led.lead_coordinator = coordinator
    assigned = aged_request(5, S.ASSIGNED, coordinator, title="Already assigned")
    db.session.commit()
    auth.login(coordinator)

    assert set(listed(client)) == {urgent_late.id, routine_new.id, waiting.id, led.id}
    assert listed(client, view="overdue") == [urgent_late.id]
    assert listed(client, view="urgent_unassigned") == [urgent_late.id]
    assert listed(client, view="waiting_on_agency") == [waiting.id]
    assert listed(client, view="mine") == [led.id]
    assert set(listed(client, view="unled")) == {urgent_late.id, routine_new.id, waiting.id}
    assert listed(client, sla="slipping") == [urgent_late.id, led.id]
    assert listed(client, status="active") == [assigned.id]
    assert listed(client, topic="decontamination") == [routine_new.id]
    assert listed(client, country="eg") == [urgent_late.id]
    assert listed(client, q="Routine") == [routine_new.id]
    assert listed(client, sort="age") == [led.id, waiting.id, urgent_late.id, routine_new.id]
    assert listed(client)[0] == urgent_late.id, "SLA due first by default"
    # Nonsense in the query string is refused by the form and ignored, never a 500.
    assert set(listed(client, status="nope", sla="x", sort="drop table", view="evil", page="abc")) == {
        urgent_late.id, routine_new.id, waiting.id, led.id}


def test_queue_paginates(client, auth, coordinator, app):
    app.config["ITEMS_PER_PAGE"] = 2
    created = [aged_request(hours, coordinator=coordinator).id for hours in (1, 2, 3)]
    auth.login(coordinator)
    first, second = listed(client, sort="age"), listed(client, sort="age", page=2)
    assert first + second == created[::-1]
    assert "Page 1 of 2" in client.get("/coordination/queue").get_data(as_text=True)


def move(client, assistance_request, to_status, note=""):
    return client.post(f"/coordination/requests/{assistance_request.id}/move",
                       data={"to_status": to_status, "note": note})


def test_accept_ask_for_information_and_the_clock_pauses(client, auth, coordinator, sent_mail):
    assistance_request = aged_request(3, coordinator=coordinator)
    auth.login(coordinator)
    assert move(client, assistance_request, "triage").status_code == 303
    response = move(client, assistance_request, "info_requested", "Which ports are concerned?")
    assert response.status_code == 303
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.INFO_REQUESTED and assistance_request.paused_since is not None
    message = db.session.scalar(sa.select(RequestMessage).where(RequestMessage.request_id == assistance_request.id))
    assert message.body == "Which ports are concerned?" and not message.internal
    mail = [m for m in sent_mail if m["To"] == assistance_request.created_by.email]
    assert mail and "need more information" in mail[-1]["Subject"]
    assert "Which ports are concerned?" in mail[-1].get_body(("plain",)).get_content()


def test_decline_needs_a_reason_and_tells_the_agency(client, auth, coordinator, sent_mail):
    assistance_request = aged_request(3, S.TRIAGE, coordinator)
    auth.login(coordinator)
    audit_before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    response = move(client, assistance_request, "rejected", "   ")
    assert response.status_code == 422 and "Write a note for the agency" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, assistance_request.id).status == S.TRIAGE
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == audit_before
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
    assert move(client, assistance_request, "rejected", "Outside the network's scope.").status_code == 303
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.REJECTED
    assert any("declined" in m["Subject"] for m in sent_mail)


def test_illegal_transitions_are_409_and_unknown_ones_400(client, auth, coordinator):
    assistance_request = aged_request(3, coordinator=coordinator)
    auth.login(coordinator)
    assert move(client, assistance_request, "closed").status_code == 409
    assert move(client, assistance_request, "flying").status_code == 400
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.SUBMITTED


def test_priority_and_lead(client, auth, coordinator, sent_mail):
    assistance_request = aged_request(3, coordinator=coordinator)
    colleague = make_user(Role.COORDINATOR, full_name="Colleague Lead")
    expert = make_user(Role.EXPERT)
    auth.login(coordinator)
    url = f"/coordination/requests/{assistance_request.id}"
    assert client.post(f"{url}/priority", data={"priority": 1}).status_code == 303
    assert client.post(f"{url}/priority", data={"priority": 9}).status_code == 400
    assert client.post(f"{url}/lead", data={"lead": colleague.id}).status_code == 303
    assert client.post(f"{url}/lead", data={"lead": expert.id}).status_code == 400
    db.session.refresh(assistance_request)
    assert assistance_request.priority == 1 and assistance_request.lead_coordinator_id == colleague.id
    assert [m["To"] for m in sent_mail] == [colleague.email]
    actions = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_id == assistance_request.id, AuditEvent.action.like("request.%_set")
        | AuditEvent.action.like("request.lead%"))).all()
    assert sorted(actions) == ["request.lead_assigned", "request.priority_set"]
    assert "Colleague Lead" in client.get(url).get_data(as_text=True)


def test_quick_actions_in_the_queue_return_to_the_same_view(client, auth, coordinator):
    assistance_request = aged_request(3, coordinator=coordinator)
    auth.login(coordinator)
    page = client.get("/coordination/queue?view=unled&sort=age").get_data(as_text=True)
    assert 'name="to_status" value="triage"' in page and 'name="lead"' in page
    back = {"back": "queue", "back_query": "view=unled&sort=age"}
    response = client.post(f"/coordination/requests/{assistance_request.id}/move", data={"to_status": "triage", **back})
    assert response.status_code == 303 and response.headers["Location"].endswith("/coordination/queue?view=unled&sort=age")
    response = client.post(f"/coordination/requests/{assistance_request.id}/lead", data={"lead": coordinator.id, **back})
    assert response.headers["Location"].startswith("/coordination/queue?")
    db.session.refresh(assistance_request)
    assert assistance_request.status == S.TRIAGE and assistance_request.lead_coordinator_id == coordinator.id
    assert listed(client, view="unled") == []


def test_home_panel_counts_what_needs_attention(client, auth, coordinator):
    aged_request(80, coordinator=coordinator)  # overdue, waiting for triage
    aged_request(1, coordinator=coordinator)
    auth.login(coordinator)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<span class="figure">2</span><span class="caption">requests waiting for triage', page)
    assert re.search(r'<span class="figure">1</span><span class="caption">request past its SLA target', page)


def test_a_change_made_meanwhile_by_someone_else_is_a_409(client, auth, coordinator, monkeypatch):
    """The request row is versioned: an update based on a stale version is refused, not silently applied."""
    assistance_request = aged_request(3, coordinator=coordinator)
    auth.login(coordinator)
    real_set_priority = __import__("expertnet.coordination.triage", fromlist=["set_priority"]).set_priority

    def set_priority_while_someone_else_writes(who, req, priority):
        # Another coordinator's committed change lands between our read and our write.
        db.session.execute(sa.update(AssistanceRequest).where(AssistanceRequest.id == req.id)
                           .values(version=AssistanceRequest.version + 1)
                           .execution_options(synchronize_session=False))
        real_set_priority(who, req, priority)

    monkeypatch.setattr("expertnet.coordination.triage.set_priority", set_priority_while_someone_else_writes)
    response = client.post(f"/coordination/requests/{assistance_request.id}/priority", data={"priority": 1})
    assert response.status_code == 409 and "Someone else changed this request" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AssistanceRequest, assistance_request.id).priority == 3
    assert not db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "request.priority_set")).all()


def test_view_counts_match_the_views(client, auth, coordinator):
    from expertnet.coordination.queue import SAVED_VIEWS, QueueFilters, triage_queue, view_counts

    aged_request(6, coordinator=coordinator, urgency=Urgency.URGENT, urgency_reason="Summit")
    aged_request(30, S.INFO_REQUESTED, coordinator)
    led = aged_request(140, S.TRIAGE, coordinator)
    led.lead_coordinator = coordinator
    db.session.commit()
    counts = view_counts(coordinator)
    for name in SAVED_VIEWS:
        assert counts[name] == triage_queue(QueueFilters(view=name).with_view(), coordinator).total, name
    assert counts == {"all": 3, "urgent_unassigned": 1, "waiting_on_agency": 1, "overdue": 1, "unled": 2, "mine": 1}
