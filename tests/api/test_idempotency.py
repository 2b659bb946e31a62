"""`Idempotency-Key` on creates: the same key and body replay the first answer and create nothing more;
the same key with another body is refused; keys are per user."""
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id)))


def test_a_retry_with_the_same_key_and_body_gets_the_same_answer(app, users, api_as):
    api = api_as(users["member"])
    key = {"Idempotency-Key": "case-4711-filing"}
    first = api.post("/requests", json={"title": "Precursor risk indicators"}, headers=key)
    again = api.post("/requests", json={"title": "Precursor risk indicators"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count() == 1


def test_the_same_key_with_another_body_is_refused(app, users, api_as):
    api = api_as(users["member"])
    key = {"Idempotency-Key": "case-4712"}
    assert api.post("/requests", json={"title": "The first body"}, headers=key).status_code == 201
    refused = api.post("/requests", json={"title": "Another body"}, headers=key)
    assert refused.status_code == 422 and refused.get_json()["code"] == "idempotency_key_reused"
    assert _count() == 1


def test_without_a_key_each_post_creates(app, users, api_as):
    api = api_as(users["member"])
    api.post("/requests", json={"title": "Twice on purpose"})
    api.post("/requests", json={"title": "Twice on purpose"})
    assert _count() == 2


def test_keys_belong_to_their_user_and_a_refused_create_keeps_none(app, users, api_as):
    key = {"Idempotency-Key": "shared-key"}
    assert api_as(users["member"]).post("/requests", json={"title": "x"}, headers=key).status_code == 422
    assert api_as(users["member"]).post("/requests", json={"title": "Now valid"}, headers=key).status_code == 201
    assert api_as(users["other_member"]).post("/requests", json={"title": "Now valid"},
                                              headers=key).status_code == 201
    assert _count() == 2


def test_a_malformed_key_is_400(app, users, api_as):
    answer = api_as(users["member"]).post("/requests", json={"title": "Bad key"},
                                          headers={"Idempotency-Key": "no spaces allowed"})
    assert answer.status_code == 400 and answer.get_json()["code"] == "idempotency_key_invalid"
    assert _count() == 0
