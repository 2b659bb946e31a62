"""Issue 14, item 3, through the bridge: a request's ticked topics, asked-for languages and country reach the
matcher as soft preferences, and the suggestions say why."""
from datetime import date

import pytest

from expertnet.accounts.models import Role
from expertnet.experts.matcher_bridge import rank_experts, request_query
from expertnet.experts.models import TopicLevel
from expertnet.geography import REGION_COUNTRIES, regions_of
from expertnet.i18n import COUNTRY_CODES, REGION_NAMES
from tests.conftest import make_user
from tests.engagements.factories import make_assistance_request, make_expert

STORES = dict(headline="Security of chemical stores",
              expertise_statement="Locks, fences, guard rounds and stock checks at chemical stores against theft.")


def test_every_region_is_one_of_the_networks_and_countries_are_real_codes():
    assert set(REGION_COUNTRIES) == set(REGION_NAMES)
    for members in REGION_COUNTRIES.values():
        assert members <= COUNTRY_CODES
    assert regions_of("jo") == {"middle-east", "mena"}
    assert regions_of("MA") == {"north-africa", "mena", "africa"}
    assert regions_of("FR") == {"europe"} and regions_of("") == frozenset() and regions_of("ZZ") == frozenset()


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


def request_for(coordinator, **overrides):
    fields = dict(title="Theft from our chemical stores", summary="Stock goes missing; the fences and guard rounds need review.",
                  languages=[], country="JO", topics=("cwc-scheduled-chemicals",), start_date=date(2031, 5, 1), end_date=date(2031, 5, 10))
    fields.update(overrides)
    return make_assistance_request(coordinator=coordinator, **fields)


def suggested(assistance_request):
    return [(profile.id, reasons) for profile, _score, reasons in rank_experts(assistance_request, set()).experts]


def test_the_query_carries_the_requests_own_signals(coordinator):
    assistance_request = request_for(coordinator, languages=["ar"], topics=("physical-protection",))
    query = request_query(assistance_request)
    assert query.topics == ("physical-protection",) and query.languages == {"ar"}
    assert query.region == "JO" and query.regions == {"middle-east", "mena"}
    assert request_query(assistance_request, required_region="europe").regions == frozenset()


def test_an_arabic_speaker_who_fits_as_well_ranks_first_when_the_request_asks_for_arabic(coordinator):
    english = make_expert(topics=(), languages=[{"code": "en", "proficiency": "fluent"}], countries=[], regions=[], **STORES)
    arabic = make_expert(topics=(), languages=[{"code": "en", "proficiency": "fluent"}, {"code": "ar", "proficiency": "native"}],
                         countries=[], regions=[], **STORES)
    assert [i for i, _ in suggested(request_for(coordinator, country=None))] == [english.id, arabic.id]  # the id decides
    ranked = suggested(request_for(coordinator, languages=["ar"], country=None))
    assert [i for i, _ in ranked] == [arabic.id, english.id]
    assert ("Arabic", "language") in [r[:2] for r in ranked[0][1]]


def test_an_expert_covering_the_requests_region_ranks_first(coordinator):
    far = make_expert(topics=(), countries=["FR"], regions=["europe"], **STORES)
    near = make_expert(topics=(), countries=[], regions=["mena"], **STORES)
    ranked = suggested(request_for(coordinator, country="JO"))
    assert [i for i, _ in ranked] == [near.id, far.id]
    assert [r.label for r in ranked[0][1] if r.kind == "region"] == ["MENA"]


def test_a_ticked_topic_ranks_its_expert_holder_first_with_the_level(coordinator):
    aware = make_expert(topics=("physical-protection",), level=TopicLevel.AWARENESS, **STORES)
    expert = make_expert(topics=("physical-protection",), level=TopicLevel.EXPERT, **STORES)
    ranked = suggested(request_for(coordinator, topics=("physical-protection",)))
    assert [i for i, _ in ranked][:2] == [expert.id, aware.id]
    labels = [r.label for r in ranked[0][1] if r.kind == "topic"]
    assert labels[0].endswith("(expert)")
