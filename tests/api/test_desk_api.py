"""The coordinators' desk through the API (issue 16, item 3): suggestions as the page ranks them (recorded as
shown), inviting among them with the page's rules and service, naming the lead; 503 with Retry-After while the
matcher's first index is being built."""
from datetime import date, timedelta

import sqlalchemy as sa

from expertnet.engagements.models import Invitation, InvitationStatus
from expertnet.extensions import db
from expertnet.matching_history.models import ShownList
from tests.coordination.factories import make_expert
from tests.coordination.test_suggestions_page import coordinator, matching_request  # noqa: F401 - fixtures
from tests.matching_history.helpers import NEAR, TWIN


def _invite_body(*expert_ids, **overrides) -> dict:
    return {"expert_ids": list(expert_ids), "message": "Could you help this port team?",
            "respond_by": (date.today() + timedelta(days=7)).isoformat(), **overrides}


def test_suggestions_are_the_pages_ranking_recorded_as_shown(app, api_as, coordinator, matching_request):
    twin, near = make_expert(**TWIN), make_expert(**NEAR)
    answer = api_as(coordinator).get(f"/requests/{matching_request.id}/suggestions")
    assert answer.status_code == 200, answer.get_json()
    ranked = answer.get_json()
    assert [e["expert_id"] for e in ranked["experts"]][:2] == [twin.id, near.id]
    assert ranked["experts"][0]["name"] == twin.user.full_name and ranked["experts"][0]["reasons"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ShownList)) == 1


def test_a_refinement_outside_the_pages_lists_is_refused_on_its_field(app, api_as, coordinator, matching_request):
    answer = api_as(coordinator).get(f"/requests/{matching_request.id}/suggestions?language=klingon")
    assert answer.status_code == 422 and "language" in answer.get_json()["errors"]


def test_inviting_goes_through_the_desk_service_and_only_among_the_suggestions(app, api_as, coordinator,
                                                                               matching_request):
    twin = make_expert(**TWIN)
    desk = api_as(coordinator)
    path = f"/requests/{matching_request.id}/invitations"
    outsider = make_expert(headline="Forensic accountant", expertise_statement="Bank ledgers.", vetted=False)
    refused = desk.post(path, json=_invite_body(twin.id, outsider.id))
    assert refused.status_code == 422 and "expert_ids" in refused.get_json()["errors"]
    late = desk.post(path, json=_invite_body(twin.id, respond_by=(date.today() + timedelta(days=90)).isoformat()))
    assert late.status_code == 422 and "respond_by" in late.get_json()["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    sent = desk.post(path, json=_invite_body(twin.id))
    assert sent.status_code == 201, sent.get_json()
    [invitation] = sent.get_json()
    assert invitation["expert_id"] == twin.id and invitation["status"] == InvitationStatus.PENDING.value
    again = desk.post(path, json=_invite_body(twin.id))  # invited experts leave the suggestions
    assert again.status_code == 422


def test_the_lead_is_an_active_coordinator_or_nobody(app, users, api_as, coordinator, matching_request):
    desk = api_as(coordinator)
    path = f"/requests/{matching_request.id}/lead"
    named = desk.call("PUT", path, json={"lead_id": users["admin"].id})
    assert named.status_code == 200 and named.get_json()["lead"]["id"] == users["admin"].id
    assert matching_request.lead_coordinator_id == users["admin"].id
    assert desk.call("PUT", path, json={"lead_id": users["expert"].id}).status_code == 422
    assert desk.call("PUT", path, json={"lead_id": None}).get_json()["lead"] is None
