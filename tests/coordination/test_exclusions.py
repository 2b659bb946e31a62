"""Issue 13, "who was excluded, and why": the exclusion counts open into the excluded experts with their reason,
and a coordinator can include an expert an overridable rule left out (a required reason, audited), after which
the expert is among the request's suggestions with the override shown."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.engagements.models import ExclusionOverride
from expertnet.experts.matcher_bridge import mark_expert_changed
from expertnet.experts.models import Availability
from expertnet.extensions import db
from tests.conftest import make_user
from tests.coordination.factories import make_expert
# The same network and request as the suggestions page's tests.
from tests.coordination.test_suggestions_page import PICKS, TWIN, coordinator, matching_request  # noqa: F401
from tests.engagements.factories import invite


def page(client, assistance_request, **params):
    response = client.get(f"/coordination/requests/{assistance_request.id}/suggestions", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def excluded_section(html: str, reason: str) -> str:
    found = re.search(rf'<details id="excluded-{reason}".*?(?=<details id="excluded-|</section>)', html, re.S)
    return found.group(0) if found else ""


def include(client, assistance_request, expert_id, reason="Only Arabic speaker with port experience.", **extra):
    return client.post(f"/coordination/requests/{assistance_request.id}/suggestions/include",
                       data={"expert_id": expert_id, "reason": reason, **extra})


RULES = {  # reason key -> (profile overrides, set-up after creation, query string)
    "excluded_id": ({}, "invite", {}),
    "same_organisation": ({"same_org": True}, None, {}),
    "conflict_of_interest": ({"conflict_countries": ["JO"]}, None, {}),
    "at_capacity": ({"capacity": 1, "commitments": 1}, None, {}),
    "unavailable": ({"availability": Availability.UNAVAILABLE}, None, {}),
    "language": ({}, None, {"language": "ar"}),
    "region": ({}, None, {"region": "EG"}),
    "unvetted": ({"vetted": False}, None, {}),
}


@pytest.mark.parametrize("reason", RULES)
def test_each_exclusion_reason_lists_the_expert(client, auth, coordinator, matching_request, reason):
    overrides, setup, query = RULES[reason]
    overrides = dict(overrides)
    if overrides.pop("same_org", False):
        overrides["organisation_id"] = matching_request.organisation_id
    make_expert(**TWIN)
    excluded = make_expert(**TWIN, **overrides)
    if setup == "invite":
        invite(coordinator, matching_request, excluded)
    auth.login(coordinator)
    html = page(client, matching_request, **query)
    section = excluded_section(html, reason)
    assert f'id="excluded-expert-{excluded.id}"' in section, html
    assert f'href="/coordination/experts/{excluded.id}"' in section
    assert f'href="#excluded-{reason}"' in html  # the count opens into the list
    overridable = reason in ("unavailable", "language", "region")
    assert ('name="reason"' in section) == overridable


def test_including_an_unavailable_expert_puts_them_among_the_suggestions(client, auth, coordinator,
                                                                         matching_request):
    away = make_expert(availability=Availability.UNAVAILABLE, **TWIN)
    auth.login(coordinator)
    assert away.id not in [int(i) for i in PICKS.findall(page(client, matching_request))]
    response = include(client, matching_request, away.id)
    assert response.status_code == 303
    html = page(client, matching_request)
    assert away.id in [int(i) for i in PICKS.findall(html)]
    assert "Included by" in html and "Only Arabic speaker with port experience." in html
    assert f'id="excluded-expert-{away.id}"' not in html
    override = db.session.scalars(sa.select(ExclusionOverride)).one()
    assert (override.expert_id, override.exclusion, override.created_by_id) == (away.id, "unavailable", coordinator.id)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "suggestions.exclusion_overridden")).one()
    assert event.actor_id == coordinator.id and event.object_id == matching_request.id
    assert event.details == {"expert_id": away.id, "exclusion": "unavailable",
                             "reason": "Only Arabic speaker with port experience."}


def test_an_included_expert_can_be_invited(client, auth, coordinator, matching_request):
    away = make_expert(availability=Availability.UNAVAILABLE, **TWIN)
    auth.login(coordinator)
    include(client, matching_request, away.id)
    response = client.post(f"/coordination/requests/{matching_request.id}/suggestions", data={
        "expert_ids": [away.id], "message": "Please help.", "respond_by": (date.today() + timedelta(days=5)).isoformat()})
    assert response.status_code == 303


def test_including_despite_the_language_rule_keeps_the_refinement(client, auth, coordinator, matching_request):
    english = make_expert(**TWIN)
    auth.login(coordinator)
    response = include(client, matching_request, english.id, language="ar")
    assert response.status_code == 303 and "language=ar" in response.headers["Location"]
    html = page(client, matching_request, language="ar")
    assert english.id in [int(i) for i in PICKS.findall(html)]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_missing_or_bad_reason_is_a_form_message(client, auth, coordinator, matching_request, reason):
    away = make_expert(availability=Availability.UNAVAILABLE, **TWIN)
    auth.login(coordinator)
    response = include(client, matching_request, away.id, reason=reason)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    section = excluded_section(html, "unavailable")
    assert "open" in section.split(">", 1)[0] and section.count('role="alert"') == 1
    assert '<details class="include" open>' in section
    assert db.session.scalar(sa.select(sa.func.count(ExclusionOverride.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "suggestions.exclusion_overridden")) == 0


@pytest.mark.parametrize("expert_id", ["abc", "", "-3", "99999999999"])
def test_a_bad_expert_id_is_refused_not_a_500(client, auth, coordinator, matching_request, expert_id):
    auth.login(coordinator)
    response = include(client, matching_request, expert_id)
    assert response.status_code in (404, 422)


def test_hard_rules_cannot_be_set_aside(client, auth, coordinator, matching_request):
    conflicted = make_expert(conflict_countries=["JO"], **TWIN)
    eligible = make_expert(**TWIN)
    auth.login(coordinator)
    response = include(client, matching_request, conflicted.id)
    assert response.status_code == 422
    assert "cannot be set aside" in response.get_data(as_text=True)
    response = include(client, matching_request, eligible.id)  # not excluded at all
    assert response.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(ExclusionOverride.id))) == 0


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT])
def test_members_and_experts_may_not_include(client, auth, matching_request, role):
    away = make_expert(availability=Availability.UNAVAILABLE, **TWIN)
    user = make_user(role, matching_request.organisation if role == Role.MEMBER else None)
    auth.login(user)
    assert include(client, matching_request, away.id).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ExclusionOverride.id))) == 0


def test_a_deactivated_included_expert_leaves_the_suggestions(client, auth, coordinator, matching_request):
    away = make_expert(availability=Availability.UNAVAILABLE, **TWIN)
    auth.login(coordinator)
    include(client, matching_request, away.id)
    away.user.is_active = False
    mark_expert_changed(away)
    db.session.commit()
    assert away.id not in [int(i) for i in PICKS.findall(page(client, matching_request))]
