"""The admin audit log: filters (action prefix, actor, object type and number, dates), inline errors for bad
input, and a CSV export of exactly the filtered rows that is formula-safe, audited and never cached."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from tests.conftest import make_user


def event(action, actor=None, object_type=None, object_id=None, days_ago=0, **details):
    row = AuditEvent(action=action, actor_id=actor.id if actor else None, object_type=object_type,
                     object_id=object_id, details=details,
                     occurred_at=datetime(2026, 6, 15, 12, tzinfo=timezone.utc) - timedelta(days=days_ago))
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def log(client, auth):
    admin = make_user(Role.ADMIN, full_name="Amal Admin")
    clerk = make_user(Role.COORDINATOR, email="clerk@example.org", full_name="Omar Clerk")
    events = {
        # Object numbers no test row reaches, so "#1900000001" on a page is only ever this event.
        "viewed": event("request.viewed", clerk, "assistance_request", 1900000001, days_ago=0),
        "changed": event("request.status_changed", clerk, "assistance_request", 1900000002, days_ago=5),
        "formula": event("organisation.created", admin, "organisation", 1900000003, days_ago=10,
                         name="=HYPERLINK(\"x\")"),
    }
    auth.login(admin)
    return {"admin": admin, "clerk": clerk, **events}


def listed(client, query: str) -> str:
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def exported(client, query: str) -> list[dict]:
    response = client.get(f"/admin/audit/export.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("query, expected", [
    ("action=request.", {"viewed", "changed"}),
    ("actor=clerk%40example", {"viewed", "changed"}),
    ("actor=Amal", {"formula"}),
    ("object_type=organisation", {"formula"}),
    ("object_type=assistance_request&object_id=1900000002", {"changed"}),
    ("date_from=2026-06-10&date_to=2026-06-14", {"changed"}),
    ("date_from=2026-06-05&date_to=2026-06-05", {"formula"}),
])
def test_each_filter_selects_its_rows_on_the_page_and_in_the_export(client, log, query, expected):
    wanted_ids = {str(log[name].id) for name in expected}
    rows = [row for row in exported(client, query) if not row["action"].startswith(("auth.", "audit.", "user."))]
    assert {row["id"] for row in rows} == wanted_ids
    page = listed(client, query)
    for name in ("viewed", "changed", "formula"):
        assert (f"#{log[name].object_id}" in page) == (name in expected), name


@pytest.mark.parametrize("query, field", [
    ("date_from=2026-13-45", "date_from"),
    ("date_from=2026-06-10&date_to=2026-06-01", "date_to"),
    ("object_id=99999999999999999999", "object_id"),
    ("object_id=abc", "object_id"),
    ("object_type=no_such_table", "object_type"),
    ("action=" + "x" * 65, "action"),
])
def test_bad_filters_get_an_inline_error_not_a_500(client, log, query, field):
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    export = client.get(f"/admin/audit/export.csv?{query}")
    assert export.status_code == 302 and "/admin/audit?" in export.headers["Location"]


def test_the_export_is_audited_with_its_filters(client, log):
    rows = exported(client, "object_type=organisation")
    assert [row["action"] for row in rows] == ["organisation.created"]
    assert rows[0]["actor_email"] == log["admin"].email
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audit.exported")).all()
    assert len(audit) == 1 and audit[0].actor_id == log["admin"].id
    assert audit[0].details == {"filters": {"object_type": "organisation"}, "rows": 1}


def test_a_cell_starting_with_a_formula_is_prefixed(client, log):
    event("=cmd|' /C calc'!A0", log["clerk"])  # an action name no code writes, but the CSV must not trust it
    rows = exported(client, "actor=clerk")
    assert "'=cmd|' /C calc'!A0" in {row["action"] for row in rows}


def test_the_page_is_paginated(client, log):
    for number in range(55):
        event("bulk.entry", log["clerk"], "organisation", number + 100)
    first = listed(client, "action=bulk.")
    assert "#154" in first and "#100" not in first and 'rel="next"' in first
    assert "#100" in listed(client, "action=bulk.&page=2")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.COORDINATOR])
def test_only_admins_see_or_export_the_log(client, auth, role):
    auth.login(make_user(role))
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/admin/audit/export.csv").status_code == 302


def test_the_filters_are_translated(client, log):
    page = client.get("/admin/audit", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "نوع العنصر" in page and "تصدير هذه القيود (CSV)" in page
