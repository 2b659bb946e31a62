"""The API's request rate: per token, and per client address for calls without a valid token; past the limit a
429 problem with `Retry-After` (the rest of the window), documented on every operation; a new window lets the
caller in again."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import ThrottleCounter
from expertnet.extensions import db


def _limits(app, per_token: int = 0, anonymous: int = 0) -> None:
    app.config.update(API_RATE_LIMIT=per_token, API_RATE_LIMIT_ANONYMOUS=anonymous, API_RATE_WINDOW_SECONDS=60)


def _refused(answer) -> None:
    assert answer.status_code == 429, answer.get_json()
    assert answer.content_type == "application/problem+json"
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    assert answer.get_json()["status"] == 429


def test_a_token_past_its_limit_waits_and_another_token_does_not(app, users, api_as):
    _limits(app, per_token=3)
    busy, other = api_as(users["member"]), api_as(users["member"])
    assert [busy.get("/me").status_code, busy.get("/requests/12345").status_code,
            busy.get("/taxonomy/topics").status_code] == [200, 404, 200]
    _refused(busy.get("/me"))  # validated against the document: 429 is one of its answers
    _refused(busy.post("/requests", json={"title": "Counted too"}))
    assert other.get("/me").status_code == 200

    for counter in db.session.scalars(sa.select(ThrottleCounter)):
        counter.last_event_at -= timedelta(seconds=61)  # the window has closed
    db.session.commit()
    assert busy.get("/me").status_code == 200


def test_calls_without_a_valid_token_count_per_address(app, client):
    _limits(app, anonymous=2)
    guesses = [client.get("/api/v1/me", headers={"Authorization": f"Bearer guess-{n}"}) for n in range(2)]
    assert [answer.status_code for answer in guesses] == [401, 401]
    _refused(client.get("/api/v1/me"))
    elsewhere = client.get("/api/v1/me", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 401


def test_a_limit_of_zero_counts_nothing(app, users, api_as):
    _limits(app)
    caller = api_as(users["member"])
    assert {caller.get("/me").status_code for _ in range(5)} == {200}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThrottleCounter)) == 0
