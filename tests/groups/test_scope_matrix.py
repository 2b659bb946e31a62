"""The group as a scope of need-to-know (issue 18), as one matrix on one world: a regional coordinator (MENA) sees
and triages the MENA agencies' requests only — the triage queue, the request desk, the suggestions page (GET and
POST), the engagement desk and list, the API's request endpoints, the group pages and the hub's TLP:AMBER items —
while a global coordinator and the admin see everything; members see AMBER items of their groups only."""
import re

import pytest

from expertnet.accounts.models import Role
from expertnet.coordination import stats
from expertnet.engagements.models import EngagementStatus
from expertnet.extensions import db
from expertnet.groups.access import in_scope, is_regional_coordinator
from expertnet.groups.models import GroupKind, GroupMember, GroupRole
from expertnet.requests.models import RequestStatus as S
from expertnet.sensitivity import Tlp
from tests.api.conftest import ApiClient, token_for
from tests.conftest import make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.engagements.factories import accept, invite
from tests.groups.factories import make_group, regional_coordinator
from tests.hub.factories import make_item


@pytest.fixture
def world(users):
    home, other = users["member"].organisation, users["other_member"].organisation  # JO and KE
    mena = make_group("mena", organisations=[home], name="Middle East and North Africa")
    africa = make_group("sub-saharan-africa", organisations=[other], name="Sub-Saharan Africa")
    advisory_expert = make_user(Role.EXPERT)
    make_group("advisory", kind=GroupKind.WORKING_GROUP, people=[advisory_expert], name="Cross-sector advisory group")
    regional = regional_coordinator(mena, full_name="Layla MENA", locale="en")
    ours = make_assistance_request(users["member"], S.MATCHING, users["coordinator"], title="Aqaba port precursors")
    theirs = make_assistance_request(users["other_member"], S.MATCHING, users["coordinator"],
                                     title="Mombasa chemical crimes unit")
    engagement = accept(invite(users["coordinator"], theirs, make_expert()))
    db.session.commit()
    items = {name: make_item(users["admin"], tlp=Tlp.AMBER, title=title, audience_groups=[group.id])
             for name, title, group in (("mena_item", "Regional checklist for MENA ports", mena),
                                        ("africa_item", "East African contact points", africa))}
    items["org_item"] = make_item(users["admin"], tlp=Tlp.AMBER, title="Note for the Kenyan police", audience=[other])
    return {"regional": regional, "ours": ours, "theirs": theirs, "engagement": engagement,
            "advisory_expert": advisory_expert, "mena": mena, "africa": africa, **items}


def _seen(client, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_a_regional_coordinator_sees_nothing_of_other_regions(client, auth, users, world):
    ours, theirs = world["ours"], world["theirs"]
    assert is_regional_coordinator(world["regional"]) and not is_regional_coordinator(users["coordinator"])
    for who, sees_theirs in ((world["regional"], False), (users["coordinator"], True), (users["admin"], True)):
        auth.login(who)
        status, queue = _seen(client, "/coordination/queue")
        queue += _seen(client, "/coordination/queue?status=active")[1]  # an engaged request has left the triage stage
        assert status == 200 and ours.reference in queue and (theirs.reference in queue) == sees_theirs, who.email
        hidden = 200 if sees_theirs else 404
        for path in (f"/coordination/requests/{theirs.id}", f"/coordination/requests/{theirs.id}/suggestions",
                     f"/coordination/engagements/{world['engagement'].id}", f"/hub/{world['africa_item'].id}",
                     f"/hub/{world['org_item'].id}", "/groups/sub-saharan-africa"):
            assert client.get(path).status_code == hidden, (who.email, path)
        if not sees_theirs:
            assert client.post(f"/coordination/requests/{theirs.id}/suggestions", data={}).status_code == 404
        for path in (f"/coordination/requests/{ours.id}", f"/coordination/requests/{ours.id}/suggestions",
                     f"/hub/{world['mena_item'].id}", "/groups/mena"):
            assert client.get(path).status_code == 200, (who.email, path)
        status, engagements = _seen(client, "/coordination/engagements")
        assert (theirs.title in engagements) == sees_theirs
        for export in ("/coordination/export/requests.csv", "/coordination/export/engagements.csv"):
            assert (theirs.title in _seen(client, export)[1]) == sees_theirs, export
        status, hub = _seen(client, "/hub/")
        assert "Regional checklist for MENA ports" in hub and ("East African contact points" in hub) == sees_theirs
        status, group_page = _seen(client, "/groups/mena")
        assert ours.title in group_page and theirs.title not in group_page
        status, groups = _seen(client, "/groups/")
        assert ("Sub-Saharan Africa" in groups) == sees_theirs and "Middle East and North Africa" in groups
        auth.logout()


def test_the_api_goes_through_the_same_scope(client, users, world):
    regional = ApiClient(client, token_for(world["regional"]))
    assert regional.get(f"/requests/{world['theirs'].id}").status_code == 404
    assert regional.get(f"/requests/{world['ours'].id}").status_code == 200
    assert regional.get(f"/requests/{world['theirs'].id}/messages").status_code == 404
    listed = regional.get("/requests").get_data(as_text=True)
    assert world["ours"].reference in listed and world["theirs"].reference not in listed
    everyone = ApiClient(client, token_for(users["coordinator"])).get("/requests").get_data(as_text=True)
    assert world["theirs"].reference in everyone
    other_regions_engagement = world["engagement"].id
    assert regional.get(f"/engagements/{other_regions_engagement}").status_code == 404
    assert regional.get("/engagements").get_json() == []
    assert ApiClient(client, token_for(users["coordinator"])).get(
        f"/engagements/{other_regions_engagement}").status_code == 200


def test_the_engagement_pages_go_through_the_same_scope(client, auth, world):
    auth.login(world["regional"])
    assert client.get(f"/engagements/{world['engagement'].id}").status_code == 404


def test_members_read_the_amber_items_of_their_groups_only(client, auth, users, world):
    cases = [(users["member"], {"mena_item"}), (users["other_member"], {"africa_item", "org_item"}),
             (world["advisory_expert"], set()), (users["expert"], set())]
    for who, readable in cases:
        auth.login(who)
        for name in ("mena_item", "africa_item", "org_item"):
            assert client.get(f"/hub/{world[name].id}").status_code == (200 if name in readable else 404), (who, name)
        auth.logout()


def test_the_scope_follows_membership_at_once(users, world):
    regional = world["regional"]
    assert in_scope(regional, users["member"].organisation_id)
    assert not in_scope(regional, users["other_member"].organisation_id)
    world["africa"].organisations.append(users["other_member"].organisation)
    db.session.commit()
    assert not in_scope(regional, users["other_member"].organisation_id)  # placed, but not in a region she coordinates
    db.session.add(GroupMember(group_id=world["africa"].id, user_id=regional.id, role=GroupRole.GROUP_COORDINATOR))
    db.session.commit()
    assert in_scope(regional, users["other_member"].organisation_id)


def _figure(html: str, pattern: str) -> int:
    return int(re.search(pattern, html).group(1))


def test_dashboard_and_home_counts_keep_to_the_regions(client, auth, users, world):
    """The dashboard's request figures and the home page's engagement counts (issue 18 leftovers) take the same
    scope: a MENA coordinator's exclude the Kenyan request and its engagement; a global coordinator's include them."""
    under_way = r'<span class="figure">(\d+)</span><span class="caption">engagements? under way'
    to_review = r"\((\d+) reports? to review\)"
    for who, theirs_counted in ((world["regional"], 0), (users["coordinator"], 1)):
        auth.logout()
        auth.login(who)
        dashboard = client.get("/coordination/dashboard").get_data(as_text=True)
        assert _figure(dashboard, r'id="open-total">(\d+)<') == 1 + theirs_counted, who.email
        countries, without_country = stats.by_country(12, who)
        assert sum(n for _c, n in countries) + without_country == 1 + theirs_counted, who.email
        assert _figure(client.get("/").get_data(as_text=True), under_way) == theirs_counted, who.email
    world["engagement"].status = EngagementStatus.REPORT_SUBMITTED
    db.session.commit()
    for who, theirs_counted in ((world["regional"], 0), (users["coordinator"], 1)):
        auth.logout()
        auth.login(who)
        assert _figure(client.get("/").get_data(as_text=True), to_review) == theirs_counted, who.email
