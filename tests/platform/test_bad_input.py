"""Bad input anywhere is a 4xx or a form message, never a 500."""
import pytest

GARBAGE_QUERY = {"page": "-1", "per_page": "abc", "sort": "zzz", "status": "\x00", "q": "'; DROP TABLE x; --",
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
    auth.login(users["admin"])
    for rule in app.url_map.iter_rules():
        if ("GET" in rule.methods and rule.arguments and not rule.defaults
                and all(a.endswith("id") for a in rule.arguments)):
            path = rule.build({name: 987654 for name in rule.arguments}, append_unknown=False)[1]
            assert client.get(path).status_code in (403, 404), path


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
