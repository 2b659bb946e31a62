"""Issue 13, the expert directory for coordinators: search and filters, sorting, pagination, empty state, bad
query strings (a form message, never a 500), the expert's page (facts, history, feedback, the matcher's view),
suggested names linking to it, and who may see it."""
import re

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.engagements.models import Engagement, EngagementStatus, Invitation
from expertnet.experts.models import Availability
from expertnet.extensions import db
from expertnet.requests.models import Feedback
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.engagements.factories import invite

PROFILE_LINK = re.compile(r'href="/coordination/experts/(\d+)"')


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def network(app):
    return {
        "amal": make_expert(user=make_user(Role.EXPERT, full_name="Amal Haddad"), headline="Port customs targeting",
                            languages=[{"code": "ar", "proficiency": "native"}], countries=["JO"], regions=["middle-east"]),
        "bruno": make_expert(user=make_user(Role.EXPERT, full_name="Bruno Costa"), headline="Forensic chemistry lab",
                             topics=("forensic-chemistry-attribution",), languages=[{"code": "pt", "proficiency": "native"}],
                             countries=["BR"], regions=["latin-america"], capacity=2, commitments=2),
        "chen": make_expert(user=make_user(Role.EXPERT, full_name="Chen Wei"), headline="Precursor regulation",
                            availability=Availability.UNAVAILABLE, countries=["SG"], regions=["asia"]),
        "pending": make_expert(user=make_user(Role.EXPERT, full_name="Dana Pending"), headline="Port customs applicant",
                               vetted=False),
    }


def listed(client, **params) -> list[int]:
    response = client.get("/coordination/experts", query_string=params)
    assert response.status_code == 200, response.status_code
    return [int(i) for i in PROFILE_LINK.findall(response.get_data(as_text=True))]


@pytest.mark.parametrize("params, expected", [
    ({}, ["amal", "bruno", "chen"]),
    ({"q": "customs"}, ["amal"]),
    ({"q": "chen"}, ["chen"]),
    ({"topic": "forensic-chemistry-attribution"}, ["bruno"]),
    ({"language": "ar"}, ["amal"]),
    ({"country": "BR"}, ["bruno"]),
    ({"region": "asia"}, ["chen"]),
    ({"availability": "unavailable"}, ["chen"]),
    ({"load": "full"}, ["bruno"]),
    ({"load": "free"}, ["amal", "chen"]),
    ({"sort": "load"}, ["bruno", "amal", "chen"]),
])
def test_search_filters_and_sorts_vetted_experts(client, auth, coordinator, network, params, expected):
    auth.login(coordinator)
    assert listed(client, **params) == [network[name].id for name in expected]


def test_empty_state(client, auth, coordinator, network):
    auth.login(coordinator)
    html = client.get("/coordination/experts", query_string={"q": "nobody like this"}).get_data(as_text=True)
    assert "No expert found" in html and 'href="/coordination/experts"' in html


@pytest.mark.parametrize("params", [
    {"language": "klingon"}, {"country": "XX"}, {"availability": "sometimes"}, {"load": "lots"}, {"sort": "salary"},
    {"topic": "<script>"}, {"q": "x" * 500}, {"page": "abc"}, {"page": "-4"}, {"page": "99999999999999"},
    {"q": "100%_\\"},
])
def test_bad_query_strings_are_a_form_message_never_a_500(client, auth, coordinator, network, params):
    auth.login(coordinator)
    response = client.get("/coordination/experts", query_string=params)
    assert response.status_code < 500
    if response.status_code == 200 and "page" not in params and "q" not in params:
        assert 'class="error"' in response.get_data(as_text=True)


def test_pagination(app, client, auth, coordinator, network):
    app.config["ITEMS_PER_PAGE"] = 2
    auth.login(coordinator)
    assert listed(client) == [network["amal"].id, network["bruno"].id]
    assert listed(client, page=2) == [network["chen"].id]
    assert listed(client, page=50) == [network["chen"].id]


def test_expert_page_shows_history_feedback_and_the_matchers_view(client, auth, coordinator, network):
    amal = network["amal"]
    done = make_assistance_request(status=S.MATCHING, coordinator=coordinator, title="Port risk indicators")
    invite(coordinator, done, amal)
    member = make_user(Role.MEMBER, done.organisation)
    invitation = db.session.scalars(sa.select(Invitation)).one()
    db.session.add(Engagement(invitation=invitation, request_id=done.id, expert_id=amal.id,
                              status=EngagementStatus.CLOSED))
    db.session.add(Feedback(request_id=done.id, author_id=member.id, usefulness=5, timeliness=4, expertise=5,
                            comment="Clear, practical indicators."))
    db.session.commit()
    auth.login(coordinator)
    html = client.get(f"/coordination/experts/{amal.id}").get_data(as_text=True)
    assert "Port risk indicators" in html and "Awaiting answer" in html
    assert "Clear, practical indicators." in html and "5/5" in html
    assert "How the matcher sees this expert" in html
    assert re.search(r'<ul class="matcher-view"><li><bdi>[^<]+</bdi>', html)  # at least one weighted term
    assert amal.user.email in html


def test_suggested_names_link_to_the_directory_page(client, auth, coordinator, network):
    assistance_request = make_assistance_request(status=S.MATCHING, coordinator=coordinator)
    auth.login(coordinator)
    html = client.get(f"/coordination/requests/{assistance_request.id}/suggestions").get_data(as_text=True)
    assert f'href="/coordination/experts/{network["amal"].id}"' in html


def test_unknown_expert_is_404(client, auth, coordinator):
    auth.login(coordinator)
    assert client.get("/coordination/experts/987654").status_code == 404


@pytest.mark.parametrize("role, allowed", [(None, False), (Role.MEMBER, False), (Role.EXPERT, False),
                                           (Role.COORDINATOR, True), (Role.ADMIN, True)])
@pytest.mark.parametrize("page", ["directory", "profile"])
def test_authorization_matrix(client, auth, network, role, allowed, page):
    if role is not None:
        auth.login(make_expert(headline="Another expert").user if role == Role.EXPERT else make_user(role))
    url = "/coordination/experts" if page == "directory" else f"/coordination/experts/{network['amal'].id}"
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
        return
    assert response.status_code in (302, 403)
    html = response.get_data(as_text=True)
    assert network["amal"].user.email not in html and "Amal Haddad" not in html


def test_the_navigation_offers_the_directory_to_coordinators_only(client, auth, coordinator):
    auth.login(coordinator)
    assert 'href="/coordination/experts"' in client.get("/coordination/queue").get_data(as_text=True)
    client.post("/sign-out")
    auth.login(make_user(Role.MEMBER))
    assert 'href="/coordination/experts"' not in client.get("/").get_data(as_text=True)
