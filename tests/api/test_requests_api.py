"""Every operation of the first API slice, as a member agency's system and a coordinator would use it; every
answer is validated against the served OpenAPI document (tests/api/conftest.py)."""
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus as S
from tests.conftest import make_user
from tests.requests.factories import ensure_topics, make_draft, make_request, request_data


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(AssistanceRequest.id)))


def test_me_names_the_caller_and_the_token(app, users, api_as):
    answer = api_as(users["member"]).get("/me")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["email"] == users["member"].email and body["role"] == "member"
    assert body["organisation"]["name"] == "Home Agency" and body["token"]["scope"] == "write"


def test_topics_are_the_leaves_with_their_labels(app, users, api_as):
    ensure_topics()
    topics = api_as(users["expert"], "read").get("/taxonomy/topics").get_json()
    slugs = {topic["slug"] for topic in topics}
    assert "customs-interdiction" in slugs and all(topic["labels"].get("en") for topic in topics)


def test_a_member_files_edits_submits_and_withdraws(app, users, api_as):
    ensure_topics()
    api = api_as(users["member"])
    created = api.post("/requests", json={"title": "Precursor risk indicators"})
    assert created.status_code == 201
    draft = created.get_json()
    assert draft["status"] == "draft" and draft["reference"] is None
    assert created.headers["Location"].endswith(f"/api/v1/requests/{draft['id']}")
    assert draft["created_at"].endswith("+00:00")  # ISO-8601, UTC

    read = api.get(f"/requests/{draft['id']}")
    etag = read.headers["ETag"]
    changed = api.patch(f"/requests/{draft['id']}", json={k: v for k, v in request_data().items() if k != "title"},
                        headers={"If-Match": etag})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["topics"] == ["customs-interdiction"] and changed.headers["ETag"] != etag

    submitted = api.post(f"/requests/{draft['id']}/submit")
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert submitted.get_json()["reference"]
    # The request machine answers a repeated step 409 (lifecycle.REQUEST_MACHINE: repeat_is_noop=False), pages too.
    repeat = api.post(f"/requests/{draft['id']}/submit")
    assert repeat.status_code == 409 and repeat.get_json()["code"] == "illegal_transition"

    refused = api.post(f"/requests/{draft['id']}/withdraw", json={"reason": ""})
    assert refused.status_code == 422 and refused.get_json()["code"] == "reason_required"
    withdrawn = api.post(f"/requests/{draft['id']}/withdraw", json={"reason": "Solved locally."})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert api.post(f"/requests/{draft['id']}/withdraw", json={"reason": "Again"}).status_code == 409
    conflict = api.post(f"/requests/{draft['id']}/submit")
    assert conflict.status_code == 409 and conflict.content_type == "application/problem+json"


def test_patch_needs_if_match_and_refuses_a_stale_one(app, users, api_as):
    draft = make_draft(users["member"])
    api = api_as(users["member"])
    etag = api.get(f"/requests/{draft.id}").headers["ETag"]
    assert api.patch(f"/requests/{draft.id}", json={"title": "No precondition"}).status_code == 428
    assert api.patch(f"/requests/{draft.id}", json={"title": "First writer wins"},
                     headers={"If-Match": etag}).status_code == 200
    stale = api.patch(f"/requests/{draft.id}", json={"title": "Second writer"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.content_type == "application/problem+json"
    db.session.expire_all()
    assert draft.title == "First writer wins"


def test_patch_after_submission_is_refused(app, users, api_as):
    assistance_request = make_request(users["member"], S.SUBMITTED)
    api = api_as(users["member"])
    etag = api.get(f"/requests/{assistance_request.id}").headers["ETag"]
    refused = api.patch(f"/requests/{assistance_request.id}", json={"title": "Too late"}, headers={"If-Match": etag})
    assert refused.status_code == 409 and refused.get_json()["code"] == "not_editable"


def test_invalid_input_is_a_problem_with_field_messages(app, users, api_as):
    api = api_as(users["member"])
    answer = api.post("/requests", json={"title": "x", "experts_wanted": 99, "colour": "red"})
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    errors = answer.get_json()["errors"]
    assert {"title", "experts_wanted", "colour"} <= set(errors)
    assert _count() == 0


def test_the_list_filters_sorts_and_paginates(app, users, api_as):
    member = users["member"]
    drafts = [make_draft(member, title=f"Draft number {n}") for n in range(3)]
    submitted = make_request(member, S.SUBMITTED)
    make_draft(users["other_member"])  # another agency's: never listed
    api = api_as(member)
    everything = api.get("/requests?page_size=2&sort=created_at")
    assert everything.status_code == 200
    assert everything.headers["X-Total-Count"] == "4"
    assert [r["id"] for r in everything.get_json()] == [drafts[0].id, drafts[1].id]
    assert 'rel="next"' in everything.headers["Link"] and "page=2" in everything.headers["Link"]
    second = api.get("/requests?page_size=2&page=2&sort=created_at")
    assert [r["id"] for r in second.get_json()] == [drafts[2].id, submitted.id]
    assert 'rel="prev"' in second.headers["Link"] and 'rel="next"' not in second.headers["Link"]
    only = api.get("/requests?status=submitted").get_json()
    assert [r["id"] for r in only] == [submitted.id]
    assert api.get("/requests?sort=title").status_code == 422
    assert api.get("/requests?page_size=1000").status_code == 422


def test_a_coordinator_sees_submitted_requests_but_never_drafts_and_cannot_act_as_the_agency(app, users, api_as):
    draft = make_draft(users["member"])
    submitted = make_request(users["member"], S.SUBMITTED)
    api = api_as(users["coordinator"])
    assert [r["id"] for r in api.get("/requests").get_json()] == [submitted.id]
    assert api.get(f"/requests/{draft.id}").status_code == 404
    assert api.get(f"/requests/{submitted.id}").status_code == 200
    assert api.post(f"/requests/{submitted.id}/withdraw", json={"reason": "No"}).status_code == 403
    assert api.post("/requests", json={"title": "Coordinators do not file"}).status_code == 403


def test_reading_a_request_is_audited_like_its_page(app, users, api_as):
    from expertnet.audit.models import AuditEvent

    submitted = make_request(users["member"], S.SUBMITTED)
    api_as(users["coordinator"]).get(f"/requests/{submitted.id}")
    reads = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "request.read_sensitive",
                                                           AuditEvent.actor_id == users["coordinator"].id)).all()
    assert reads and reads[0].object_id == submitted.id


def test_huge_ids_and_bodies_are_4xx(app, users, api_as):
    api = api_as(users["member"])
    assert api.get("/requests/99999999999999999999").status_code == 404
    assert api.post("/requests", json={"title": "t" * 100_000}).status_code == 422  # over the schema's 200
    huge = api.post("/requests", json={"title": "t" * 600_000})  # over MAX_FORM_MEMORY_SIZE: refused unread
    assert huge.status_code == 413 and huge.content_type == "application/problem+json"
    assert api.post("/requests", json={"title": "A title", "experts_wanted": 10**30}).status_code == 422


def test_wrong_method_and_media_type_are_problems(app, users, api_as):
    api = api_as(users["member"])
    deleted = api.client.delete("/api/v1/me", headers={"Authorization": f"Bearer {api.secret}"})
    assert deleted.status_code == 405 and deleted.content_type == "application/problem+json"
    assert "GET" in deleted.headers["Allow"]
    form = api.client.post("/api/v1/requests", data={"title": "A form post"},
                           headers={"Authorization": f"Bearer {api.secret}"})
    assert form.status_code == 415 and form.content_type == "application/problem+json"
    broken = api.client.post("/api/v1/requests", data="{not json", content_type="application/json",
                             headers={"Authorization": f"Bearer {api.secret}"})
    assert broken.status_code == 400 and broken.content_type == "application/problem+json"


def test_experts_are_not_served_requests_in_this_slice(app, users, api_as):
    api = api_as(users["expert"])
    assert api.get("/requests").status_code == 403
    assert api.get("/me").status_code == 200


def test_an_inactive_users_token_stops_working(app, users, api_as):
    api = api_as(make_user(Role.MEMBER))
    user = db.session.scalar(sa.select(type(users["member"])).where(type(users["member"]).id != users["member"].id)
                             .order_by(type(users["member"]).id.desc()))
    user.is_active = False
    db.session.commit()
    assert api.get("/me").status_code == 401


def test_regressions_found_by_schemathesis(app, users, api_as):
    """A page number past any database offset was a 500 (OverflowError on SQLite); the 412 of a stale
    If-Match was documented as application/json while answered as problem+json."""
    draft = make_draft(users["member"])
    api = api_as(users["member"])
    beyond = api.get("/requests?page=3074457345618258387&page_size=4")
    assert beyond.status_code == 200 and beyond.get_json() == [] and beyond.headers["X-Total-Count"] == "1"
    stale = api.patch(f"/requests/{draft.id}", json={"country": "SD"}, headers={"If-Match": 'W/""'})
    assert stale.status_code == 412  # and the client validated it against the document
