"""Bad input anywhere is a 4xx or a form message, never a 500."""
import time

import pytest

from tests.conftest import PASSWORD

GARBAGE_QUERY = {"page": "-1", "per_page": "abc", "sort": "zzz", "status": "bogus", "q": "'; DROP TABLE x; --",
                 "topic": "<script>", "urgency": "999", "from": "2026-13-45", "to": "yesterday", "view": "nope",
                 "lead": "x", "country": "ZZZZ", "role": "god", "action": "%"}


def parameterless_get_rules(app):
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static"))


@pytest.mark.parametrize("role", ["anonymous", "member", "expert", "coordinator", "admin"])
def test_garbage_query_strings_never_cause_a_server_error(app, client, auth, users, role):
    if role != "anonymous":
        auth.login(users[role])
    for path in parameterless_get_rules(app):
        response = client.get(path, query_string=GARBAGE_QUERY)
        assert response.status_code < 500, f"{path} -> {response.status_code}"


@pytest.mark.parametrize("role", ["member", "expert", "coordinator", "admin"])
def test_empty_and_junk_posts_never_cause_a_server_error(app, client, auth, users, role):
    auth.login(users[role])
    rules = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if "POST" in rule.methods and not rule.arguments and rule.rule not in ("/sign-out",))
    for path in rules:
        for data in ({}, {"title": "x" * 100_000, "body": "\x00", "locale": "xx", "email": "not-an-email"}):
            response = client.post(path, data=data)
            assert response.status_code < 500, f"POST {path} -> {response.status_code}"


def test_unknown_ids_in_urls_are_not_found(app, client, auth, users):
    """Pages with the admin's session; the JSON API (which ignores cookies) with the admin's token."""
    from expertnet.accounts.api_tokens import Scope, create_token
    from expertnet.extensions import db

    auth.login(users["admin"])
    _token, secret = create_token(users["admin"], "bad input", Scope.READ)
    db.session.commit()
    for rule in app.url_map.iter_rules():
        if ("GET" in rule.methods and rule.arguments and not rule.defaults
                and all(a.endswith("id") for a in rule.arguments)):
            path = rule.build({name: 987654 for name in rule.arguments}, append_unknown=False)[1]
            headers = {"Authorization": f"Bearer {secret}"} if path.startswith("/api/") else {}
            assert client.get(path, headers=headers).status_code in (403, 404), path


def test_a_concurrent_duplicate_write_is_a_conflict_not_a_server_error(app, client, auth, users):
    """Simulated by a route that writes a duplicate unique key, as a racing second writer would."""
    from expertnet.accounts.models import Organisation, OrganisationKind
    from expertnet.extensions import db

    @app.post("/_test/duplicate")
    def duplicate():
        db.session.add(Organisation(name="Home Agency", country="JO", kind=OrganisationKind.REGULATOR))
        db.session.commit()
        return "written"

    response = client.post("/_test/duplicate")
    assert response.status_code == 409
    assert db.session.query(Organisation).filter_by(name="Home Agency").count() == 1


HUGE_IDS = (2**31, 2**63, 10**30)


def rules_with_id_arguments(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.arguments and all(a.endswith("id") for a in rule.arguments)), key=lambda r: r.rule)


@pytest.mark.parametrize("huge_id", HUGE_IDS)
def test_ids_beyond_the_database_integer_range_are_not_found(app, client, auth, users, huge_id):
    auth.login(users["admin"])
    rules = rules_with_id_arguments(app)
    assert len(rules) >= 20
    for rule in rules:
        if "<" not in rule.rule:
            continue  # an id given as a rule default, as for a "new" page
        path = "/".join(str(huge_id) if part.startswith("<") else part for part in rule.rule.split("/"))
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method)
            assert response.status_code == 404, f"{method} {path} -> {response.status_code}"


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**31), str(2**63), "-99999999999999999999"])
def test_huge_page_numbers_are_never_a_server_error(app, client, auth, users, page):
    auth.login(users["admin"])
    for path in parameterless_get_rules(app):
        response = client.get(path, query_string={"page": page})
        assert response.status_code < 500, f"{path}?page={page} -> {response.status_code}"


@pytest.mark.parametrize("role", ["anonymous", "member", "coordinator", "admin"])
def test_control_characters_in_query_strings_are_refused(app, client, auth, users, role):
    if role != "anonymous":
        auth.login(users[role])
    for path in parameterless_get_rules(app):
        for query in ({"q": "a\x00b"}, {"status\x00": "x"}, {"search": "\x1b[31m"}):
            response = client.get(path, query_string=query)
            assert response.status_code == 400, f"{path} {query!r} -> {response.status_code}"


@pytest.mark.parametrize("role", ["member", "expert", "coordinator", "admin"])
def test_nul_bytes_in_every_posted_field_are_refused(app, client, auth, users, role):
    """On PostgreSQL a NUL in a text column is a database error: it must never get that far."""
    auth.login(users[role])
    fields = ("title", "body", "name", "full_name", "email", "note", "message", "search", "reason", "summary")
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.arguments and rule.rule != "/sign-out":
            response = client.post(rule.rule, data={name: f"ok\x00{name}" for name in fields})
            assert response.status_code == 400, f"POST {rule.rule} -> {response.status_code}"


def test_nul_in_a_json_body_is_refused(app, client, auth, users):
    auth.login(users["member"])
    response = client.post("/requests/new", json={"title": "fine", "nested": [{"x\x00": "y"}]})
    assert response.status_code == 400


def test_nul_in_a_path_segment_is_refused(client):
    assert client.get("/requests/%00").status_code == 400


def test_multi_line_text_keeps_its_line_breaks_and_tabs(app, client, auth, users):
    auth.login(users["member"])
    response = client.get("/requests/", query_string={"q": "line one\r\nline\ttwo"})
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["/requests\r\nSet-Cookie: x=1", "/\\evil.example",
                                    "//evil.example/", "https://evil.example/", "/requests\nx",
                                    "/\t/evil.example", "/\r\n/evil.example"])
def test_next_with_line_breaks_or_another_host_falls_back_home(app, client, users, target):
    response = client.post("/sign-in", query_string={"next": target},
                           data={"email": users["member"].email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/requests\r\nX-Injected: 1", "//evil.example"])
def test_language_switch_never_redirects_to_a_crafted_next(client, target):
    response = client.post("/language", data={"locale": "ar", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_same_site_next_is_followed(client, users):
    response = client.post("/sign-in", query_string={"next": "/requests?status=draft"},
                           data={"email": users["member"].email, "password": PASSWORD})
    assert response.headers["Location"] == "/requests?status=draft"


def test_a_huge_form_field_is_refused_quickly(client):
    started = time.monotonic()
    response = client.post("/sign-in", data={"email": "a" * 25 * 1024 * 1024, "password": "x"})
    assert response.status_code == 413
    assert time.monotonic() - started < 2
