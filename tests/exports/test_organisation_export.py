"""A member downloads their organisation's data: its requests as the agency sees them and its users, without
secrets, without coordinators' internal notes, never another organisation's rows; audited and not cached."""
import io
import json

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.accounts.models import Role
from expertnet.attachments.services import store_attachment
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.requests.access import record_sensitive_read
from expertnet.requests.models import Feedback, RequestMessage, RequestStatus as S
from expertnet.sensitivity import Tlp
from tests.conftest import make_user
from tests.requests.factories import invite_expert, make_request

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def agencies(users):
    member, other, coordinator = users["member"], users["other_member"], users["coordinator"]
    colleague = make_user(Role.MEMBER, member.organisation, full_name="Colleague Rana")
    own = make_request(member, S.CLOSED, coordinator, title="Precursor shipments at Aqaba")
    draft = make_request(colleague, title="A draft still being written")
    theirs = make_request(other, S.SUBMITTED, coordinator, title="Other agency's secret request")
    db.session.add_all([
        RequestMessage(request_id=own.id, author_id=member.id, body="Here are the HS codes."),
        RequestMessage(request_id=own.id, author_id=coordinator.id, body="INTERNAL: agency seems weak", internal=True),
        RequestMessage(request_id=theirs.id, author_id=other.id, body="Their private message"),
        Feedback(request_id=own.id, author_id=member.id, usefulness=5, timeliness=4, expertise=5,
                 comment="Very useful"),
    ])
    store_attachment(member, own, FileStorage(io.BytesIO(PNG_BYTES), "berth-plan.png"), Tlp.AMBER)
    invite_expert(own, users["expert"], accepted=True)
    invite_expert(theirs, make_user(Role.EXPERT, full_name="Expert Only Elsewhere"), accepted=True)
    record_sensitive_read(coordinator, own, "detail")
    db.session.commit()
    return {"member": member, "colleague": colleague, "other": other, "own": own, "draft": draft, "theirs": theirs}


def download(client):
    response = client.post("/organisation/export")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    return response


def test_the_export_holds_the_organisations_requests_as_the_agency_sees_them(client, auth, agencies, users):
    auth.login(agencies["member"])
    document = download(client).get_json()
    by_reference = {r["id"]: r for r in document["requests"]}
    assert set(by_reference) == {agencies["own"].id, agencies["draft"].id}
    own = by_reference[agencies["own"].id]
    assert own["title"] == "Precursor shipments at Aqaba" and own["gap_statement"]
    assert [m["body"] for m in own["messages"]] == ["Here are the HS codes."]
    assert [a["filename"] for a in own["attachments"]] == ["berth-plan.png"]
    assert own["feedback"]["comment"] == "Very useful"
    assert own["events"] and own["events"][-1]["to_status"] == "closed"
    assert own["experts"] == [users["expert"].full_name]
    assert [reader["name"] for reader in own["seen_by"]] == [users["coordinator"].full_name]
    assert {u["email"] for u in document["users"]} == {agencies["member"].email, agencies["colleague"].email}
    assert document["organisation"]["name"] == agencies["member"].organisation.name


def test_the_export_holds_no_secret_and_nothing_of_another_organisation(client, auth, agencies):
    auth.login(agencies["member"])
    body = download(client).get_data(as_text=True)
    for user in (agencies["member"], agencies["colleague"]):
        assert user.password_hash not in body and user.session_nonce not in body
    assert "password" not in body and "nonce" not in body
    assert "INTERNAL" not in body
    for leaked in ("Other agency's secret request", "Their private message", "Expert Only Elsewhere",
                   agencies["other"].email, agencies["other"].organisation.name):
        assert leaked not in body


def test_each_export_is_audited(client, auth, agencies):
    auth.login(agencies["member"])
    download(client)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.exported"))
    assert event.actor_id == agencies["member"].id
    assert event.object_type == "organisation" and event.object_id == agencies["member"].organisation_id
    assert event.details == {"requests": 2, "users": 2}


def test_the_page_and_the_home_button_are_there_for_members(client, auth, agencies):
    auth.login(agencies["member"])
    assert 'href="/organisation/export"' in client.get("/").get_data(as_text=True)
    page = client.get("/organisation/export")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'action="/organisation/export"' in page.get_data(as_text=True)
    arabic = client.get("/organisation/export", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "تصدير بيانات مؤسستك" in arabic


@pytest.mark.parametrize("role", ["expert", "coordinator", "admin"])
def test_only_members_may_export(client, auth, users, role):
    auth.login(users[role])
    assert client.get("/organisation/export").status_code == 403
    assert client.post("/organisation/export").status_code == 403
    assert "/organisation/export" not in client.get("/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.post("/organisation/export").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "organisation.exported")) == 0
