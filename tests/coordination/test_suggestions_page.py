"""The suggestions page: reasons, load, exclusion counts (each rule a targeted case), refine and re-rank,
"no strong match", inviting (with refusals that leave nothing behind), and freshness after a profile edit."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.engagements.models import Invitation
from expertnet.experts import services as expert_services
from expertnet.experts.models import Availability, ExpertProfile
from expertnet.experts.schemas import ProfileIn
from expertnet.experts.matcher_bridge import current_build
from expertnet.extensions import db
from expertnet.jobs import tasks
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.engagements.factories import invite

PICKS = re.compile(r'name="expert_ids" value="(\d+)"')
START = date.today() + timedelta(days=200)
TWIN = dict(headline="Customs targeting of precursor shipments at sea ports",
            expertise_statement="Risk profiling of precursor chemical shipments, HS codes 28 and 29, port targeting.")


@pytest.fixture(autouse=True)
def built_index(app):
    """These pages run on a worker that loads a built index: the job's own task builds it first (the network as
    it is then; the experts a test adds are applied on top, or the worker asks the job for a new build, which
    the tests' immediate queue runs at once); the page never fits one itself."""
    tasks.build_matcher_index()
    assert current_build() is not None
    yield
    index = app.extensions.get("expert_matcher")
    if index is not None and index.matcher is not None:
        assert index.build == current_build(), "the page ranked with the live build"


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def matching_request(coordinator):
    member = make_user(Role.MEMBER, make_organisation("Aqaba Port Customs", "JO"))
    return make_assistance_request(member, S.MATCHING, coordinator, start_date=START,
                                   end_date=START + timedelta(days=5))


def suggestions_page(client, assistance_request, **params):
    response = client.get(f"/coordination/requests/{assistance_request.id}/suggestions", query_string=params)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, [int(i) for i in PICKS.findall(html)]


def test_reasons_load_and_availability_are_shown(client, auth, coordinator, matching_request):
    profile = make_expert(capacity=3, commitments=1, **TWIN)
    auth.login(coordinator)
    html, picks = suggestions_page(client, matching_request)
    assert picks == [profile.id]
    assert "<dt>Topics</dt>" in html and "<dt>Terms</dt>" in html and "<dt>Languages</dt>" in html
    assert "1 / 3" in html and "Available" in html
    assert "0 excluded" not in html


EXCLUSIONS = {
    "same_organisation": ("from the requesting organisation", lambda r: {"organisation_id": r.organisation_id}),
    "conflict_organisation": ("conflict of interest", None),
    "conflict_country": ("conflict of interest", lambda r: {"conflict_countries": ["JO"]}),
    "unvetted": ("not vetted or inactive", lambda r: {"vetted": False}),
    "inactive": ("not vetted or inactive", None),
    "at_capacity": ("at capacity", lambda r: {"capacity": 1, "commitments": 1}),
    "unavailable": ("unavailable", lambda r: {"availability": Availability.UNAVAILABLE}),
}


@pytest.mark.parametrize("rule", EXCLUSIONS)
def test_each_exclusion_rule_is_enforced_and_counted(client, auth, coordinator, matching_request, rule):
    label, overrides = EXCLUSIONS[rule]
    eligible = make_expert(**TWIN)
    excluded = make_expert(**TWIN, **(overrides(matching_request) if overrides else {}))
    if rule == "conflict_organisation":
        excluded.conflict_organisations = [matching_request.organisation]
    elif rule == "inactive":
        excluded.user.is_active = False
    if overrides is None:
        from expertnet.experts.matcher_bridge import mark_expert_changed

        mark_expert_changed(excluded)
        db.session.commit()
    auth.login(coordinator)
    html, picks = suggestions_page(client, matching_request)
    assert eligible.id in picks and excluded.id not in picks
    assert re.search(rf"1 excluded:\s*<a href=\"#excluded-[a-z_]+\">1 {label}</a>", html), re.search(r"excluded:[^<]*", html)


def test_language_requirement_and_region_requirement(client, auth, coordinator, matching_request):
    english = make_expert(**TWIN)
    arabic = make_expert(languages=[{"code": "ar", "proficiency": "native"}], countries=["EG"], **TWIN)
    auth.login(coordinator)
    html, picks = suggestions_page(client, matching_request, language="ar")
    assert picks == [arabic.id] and "1 language mismatch" in html
    html, picks = suggestions_page(client, matching_request, region="EG")
    assert picks == [arabic.id] and "outside the required region" in html
    _html, picks = suggestions_page(client, matching_request)
    assert set(picks) == {english.id, arabic.id}


def test_include_unavailable_and_extra_keywords_rerank(client, auth, coordinator, matching_request):
    away = make_expert(availability=Availability.UNAVAILABLE, **TWIN)
    lab = make_expert(topics=("customs-interdiction",), headline="Customs officer",
                      expertise_statement="Raman spectroscopy and handheld detectors at borders.")
    targeting = make_expert(topics=("customs-interdiction",), headline="Customs officer",
                            expertise_statement="Container targeting and manifests review.")
    auth.login(coordinator)
    _html, picks = suggestions_page(client, matching_request)
    assert away.id not in picks
    _html, picks = suggestions_page(client, matching_request, include_unavailable="y")
    assert away.id in picks
    _html, picks = suggestions_page(client, matching_request, keywords="Raman spectroscopy handheld detectors")
    assert picks.index(lab.id) < picks.index(targeting.id)


def test_weak_matches_say_so(client, auth, coordinator, matching_request):
    make_expert(topics=("decontamination",), headline="Hospital decontamination planner",
                expertise_statement="Mass casualty decontamination corridors and triage tents.")
    auth.login(coordinator)
    html, _picks = suggestions_page(client, matching_request)
    assert "No strong match in the network" in html


def test_suggestions_follow_a_profile_edit_without_restart(client, auth, coordinator, matching_request):
    customs = make_expert(**TWIN)
    other = make_expert(topics=("decontamination",), headline="Decontamination planner",
                        expertise_statement="Mass casualty decontamination corridors.")
    auth.login(coordinator)
    _html, picks = suggestions_page(client, matching_request)
    assert picks[0] == customs.id
    data = ProfileIn().load({"headline": TWIN["headline"], "expertise_statement": TWIN["expertise_statement"] +
                             " Senior customs targeting officer for precursor shipments at Aqaba port.",
                             "topics": [{"slug": "customs-interdiction", "level": "expert"},
                                        {"slug": "explosives-precursor-controls", "level": "expert"}],
                             "languages": [{"code": "en", "proficiency": "fluent"}], "capacity": 2})
    expert_services.update_profile(other.user, other, data)
    db.session.commit()
    _html, picks = suggestions_page(client, matching_request)
    assert other.id in picks[:2]
    expert_services.update_profile(customs.user, customs, ProfileIn().load({**_plain(customs), "capacity": 0}))
    db.session.commit()
    _html, picks = suggestions_page(client, matching_request)
    assert customs.id not in picks


def _plain(profile: ExpertProfile) -> dict:
    return {"headline": profile.headline, "expertise_statement": profile.expertise_statement,
            "topics": [{"slug": t.topic.slug, "level": t.level.value} for t in profile.topics],
            "languages": profile.languages}


def invite_form(*expert_ids, days=5, message="Can you help the port customs?"):
    return {"expert_ids": list(expert_ids), "message": message,
            "respond_by": (date.today() + timedelta(days=days)).isoformat()}


def test_invite_refusals_are_form_errors_and_write_nothing(client, auth, coordinator, matching_request):
    first, second = make_expert(**TWIN), make_expert(capacity=1, **TWIN)
    auth.login(coordinator)
    url = f"/coordination/requests/{matching_request.id}/suggestions"
    assert client.post(url, data=invite_form(first.id, days=0)).status_code == 422
    assert client.post(url, data=invite_form(first.id, message="")).status_code == 422
    assert client.post(url, data=invite_form()).status_code == 422
    assert client.post(url, data=invite_form(424242)).status_code == 422
    # The second expert fills up elsewhere between page load and submit: all or nothing.
    other = make_assistance_request(status=S.MATCHING, coordinator=coordinator)
    invite(coordinator, other, second)
    response = client.post(url, data=invite_form(first.id, second.id))
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(
        Invitation.request_id == matching_request.id)) == 0
    db.session.refresh(first)
    assert first.commitments == 0
    db.session.refresh(matching_request)
    assert matching_request.status == S.MATCHING


def test_invited_experts_leave_the_list_and_cannot_be_invited_twice(client, auth, coordinator, matching_request):
    first = make_expert(**TWIN)
    auth.login(coordinator)
    url = f"/coordination/requests/{matching_request.id}/suggestions"
    assert client.post(url, data=invite_form(first.id)).status_code == 303
    html, picks = suggestions_page(client, matching_request)
    assert first.id not in picks and "1 already invited" in html
    assert client.post(url, data=invite_form(first.id)).status_code == 422


def test_languages_regions_and_countries_are_chosen_from_lists(client, auth, coordinator, matching_request):
    """Issue 13 bug 11: typing "Arabic" or "Jordan" matched nobody and said "no strong match in the network".
    The filters are lists (names in the reader's language, codes as values); a value from elsewhere is a 400
    with the reason on the field, and the page ranks without it instead of showing nobody."""
    arabic = make_expert(languages=[{"code": "ar", "proficiency": "native"}], countries=["EG"], regions=["mena"],
                         **TWIN)
    auth.login(coordinator)
    url = f"/coordination/requests/{matching_request.id}/suggestions"
    html = client.get(url).get_data(as_text=True)
    assert '<select id="language" name="language">' in html and '<option value="ar">Arabic</option>' in html
    assert '<option value="mena">Middle East and North Africa</option>' in html
    assert '<option value="JO">Jordan</option>' in html and 'name="region" type="text"' not in html

    for params, message in (({"language": "Arabic"}, "Choose a language from the list."),
                            ({"region": "Jordan"}, "Choose a region or a country from the list.")):
        response = client.get(url, query_string=params)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, params
        assert message in html and "No strong match in the network" not in html
        assert [int(i) for i in PICKS.findall(html)] == [arabic.id]

    # Codes in either case still work (old links), and so does a named region.
    for params in ({"language": "AR"}, {"region": "eg"}, {"region": "mena"}):
        html, picks = suggestions_page(client, matching_request, **params)
        assert picks == [arabic.id], params

    client.post("/language", data={"locale": "ar"})  # names in the reader's language
    html = client.get(url).get_data(as_text=True)
    assert '<option value="ar">العربية</option>' in html and '<option value="JO">الأردن</option>' in html


def test_queue_country_is_a_list_and_refuses_a_name(client, auth, coordinator, matching_request):
    auth.login(coordinator)
    html = client.get("/coordination/queue").get_data(as_text=True)
    assert '<option value="JO">Jordan</option>' in html and 'name="country" type="text"' not in html
    html = client.get("/coordination/queue", query_string={"country": "Jordan"}).get_data(as_text=True)
    assert "Choose a country from the list." in html
    assert f'href="/coordination/requests/{matching_request.id}"' in html  # the refused filter is not applied
