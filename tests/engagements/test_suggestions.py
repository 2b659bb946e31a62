"""The matcher bridge: rankings follow profile, capacity, availability and vetting changes at once, also when
the change is made by another app instance (another process) on the same database file."""
from datetime import date

import pytest

from expertnet.accounts.models import Role
from expertnet.app import create_app
from expertnet.engagements.suggestions import rank_for_request
from expertnet.experts import matcher_bridge
from expertnet.experts.matcher_bridge import describe_expert, mark_expert_changed
from expertnet.experts.models import (Availability, BlackoutPeriod, Experience, ExpertProfile, ExpertTopic, MatcherState,
                                      TopicLevel, VettingStatus)
from expertnet.experts.services import request_deactivation
from expertnet.extensions import db
from expertnet.taxonomy.services import topics_by_slug
from tests.conftest import make_user
from tests.engagements.factories import invite, make_assistance_request, make_expert


def ranked_ids(assistance_request, **kwargs) -> list[int]:
    return [profile.id for profile, _score, _reasons in rank_for_request(assistance_request, **kwargs).experts]


@pytest.fixture
def coordinator(app):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def setting(coordinator):
    customs = make_expert(headline="Customs targeting of precursor shipments at sea ports")
    lab = make_expert(topics=("lab-analysis-accreditation",), headline="ISO 17025 accreditation of forensic labs",
                      expertise_statement="Laboratory quality systems and proficiency testing.")
    assistance_request = make_assistance_request(coordinator=coordinator, start_date=date(2031, 5, 1),
                                                 end_date=date(2031, 5, 10))
    return customs, lab, assistance_request


def test_ranks_with_reasons_and_counts_exclusions(setting, coordinator):
    customs, lab, assistance_request = setting
    same_org = make_expert(organisation_id=assistance_request.organisation_id)
    unvetted = make_expert(vetted=False)
    result = rank_for_request(assistance_request, locale="en")
    assert [p.id for p, _s, _r in result.experts][0] == customs.id
    profile, score, reasons = result.experts[0]
    assert score > 0 and reasons
    assert result.excluded["same_organisation"] == 1 and result.excluded["unvetted"] == 1
    assert same_org.id not in ranked_ids(assistance_request) and unvetted.id not in ranked_ids(assistance_request)


def scores(assistance_request) -> dict[int, float]:
    return {profile.id: score for profile, score, _r in rank_for_request(assistance_request).experts}


def test_profile_text_and_topic_changes_move_the_ranking(setting):
    customs, lab, assistance_request = setting
    before = scores(assistance_request)
    assert max(before, key=before.get) == customs.id
    lab.experiences.append(Experience(role="Customs targeting officer", organisation="Aqaba port", start_year=2010,
                                      description="Risk profiling of precursor chemical shipments, HS codes 28 and 29, "
                                                  "targeting sea containers at the port for customs interdiction."))
    lab.headline = "Customs risk targeting of precursor shipments at ports"
    mark_expert_changed(lab)
    db.session.commit()
    after_text = scores(assistance_request)
    assert after_text[lab.id] > 2 * before.get(lab.id, 0.0)
    lab.topics.append(ExpertTopic(topic=topics_by_slug(["customs-interdiction"])["customs-interdiction"],
                                  level=TopicLevel.EXPERT))
    mark_expert_changed(lab)
    db.session.commit()
    assert scores(assistance_request)[lab.id] > after_text[lab.id]


@pytest.mark.parametrize("change, reason", [
    ("capacity", "at_capacity"), ("vetting", "unvetted"), ("unavailable", "unavailable"),
    ("blackout", "unavailable"), ("conflict_country", "conflict_of_interest"), ("invited", "excluded_id"),
    ("deactivated_elsewhere", "unvetted"), ("asked_to_leave", "unvetted"),
])
def test_each_kind_of_change_takes_effect_at_once(setting, coordinator, change, reason):
    customs, _lab, assistance_request = setting
    assert customs.id in ranked_ids(assistance_request)
    if change == "capacity":
        customs.capacity = 0
    elif change == "vetting":
        customs.vetting_status = VettingStatus.REJECTED
    elif change == "unavailable":
        customs.availability, customs.unavailable_until = Availability.UNAVAILABLE, date(2031, 5, 3)
    elif change == "blackout":
        customs.blackouts.append(BlackoutPeriod(starts_on=date(2031, 5, 8), ends_on=date(2031, 6, 1)))
    elif change == "conflict_country":
        customs.conflict_countries = ["JO"]
    elif change == "invited":
        invite(coordinator, assistance_request, customs)
    elif change == "asked_to_leave":
        request_deactivation(customs.user, customs)
    elif change == "deactivated_elsewhere":
        customs.user.is_active = False  # an admin's change that logs nothing for the matcher
    if change not in ("invited", "deactivated_elsewhere", "asked_to_leave"):
        mark_expert_changed(customs)
    db.session.commit()
    result = rank_for_request(assistance_request)
    assert customs.id not in [p.id for p, _s, _r in result.experts]
    assert result.excluded.get(reason, 0) >= 1


def test_unavailable_until_before_the_request_is_fine_and_include_unavailable(setting):
    customs, _lab, assistance_request = setting
    customs.availability, customs.unavailable_until = Availability.UNAVAILABLE, date(2031, 4, 1)
    mark_expert_changed(customs)
    db.session.commit()
    assert customs.id in ranked_ids(assistance_request)
    customs.unavailable_until = None
    mark_expert_changed(customs)
    db.session.commit()
    assert customs.id not in ranked_ids(assistance_request)
    assert customs.id in ranked_ids(assistance_request, include_unavailable=True)


def test_language_and_region_requirements(setting):
    customs, lab, assistance_request = setting
    second = make_expert(headline="Customs officer, precursor targeting at ports",
                         languages=[{"code": "ar", "proficiency": "native"}], countries=["EG"])
    assert set(ranked_ids(assistance_request)) >= {customs.id, second.id}
    assert ranked_ids(assistance_request, required_languages=["ar"]) == [second.id]
    assert ranked_ids(assistance_request, required_region="eg") == [second.id]
    assert rank_for_request(assistance_request, required_languages=["ar"]).excluded["language"] == 2


def test_describe_expert_shows_topics_and_terms(setting):
    customs, _lab, _request = setting
    reasons = describe_expert(customs, "en")
    assert reasons and any(r.kind == "topic" for r in reasons)
    assert describe_expert(customs, "ar")


def test_a_change_made_by_another_process_is_seen(setting, app_config):
    customs, lab, assistance_request = setting
    assert ranked_ids(assistance_request)[0] == customs.id  # this "process" has fitted its index
    other = create_app(dict(app_config))
    with other.app_context():
        expert = db.session.get(ExpertProfile, customs.id)
        expert.capacity = 0
        mark_expert_changed(expert)
        helper = db.session.get(ExpertProfile, lab.id)
        helper.headline = "Customs targeting of precursor shipments at sea ports, risk profiling"
        mark_expert_changed(helper)
        db.session.commit()
        db.session.remove()
        other_ids = [p.id for p, _s, _r in rank_for_request(
            db.session.get(type(assistance_request), assistance_request.id)).experts]
        db.session.remove()
    db.session.expire_all()
    mine = ranked_ids(assistance_request)
    assert customs.id not in mine and mine[0] == lab.id
    assert other_ids == mine


def test_a_process_that_missed_the_log_refits(setting, monkeypatch):
    customs, lab, assistance_request = setting
    ranked_ids(assistance_request)
    monkeypatch.setattr(matcher_bridge, "CHANGE_LOG_SIZE", 1)
    for expert in (lab, customs):
        expert.capacity = 0
        mark_expert_changed(expert)
    db.session.commit()
    assert ranked_ids(assistance_request) == []


def test_a_taxonomy_edit_refits_the_index(setting, coordinator):
    customs, _lab, assistance_request = setting
    from expertnet.taxonomy.services import update_topic

    def zebra_request():
        return make_assistance_request(coordinator=coordinator, title="Zebrafication",
                                       summary="Zebrafication of consignments.", topics=("lab-analysis-accreditation",))

    assert customs.id not in ranked_ids(zebra_request())
    topic = topics_by_slug(["customs-interdiction"])["customs-interdiction"]
    update_topic(topic, coordinator, {"en": "Customs interdiction and zebrafication"}, {}, True)
    db.session.commit()
    assert customs.id in ranked_ids(zebra_request())


def test_an_admin_deactivating_an_expert_removes_them_from_the_index_at_once(setting, client, auth):
    customs, _lab, assistance_request = setting
    assert customs.id in ranked_ids(assistance_request)
    eligible_before = rank_for_request(assistance_request).eligible
    auth.login(make_user(Role.ADMIN))
    assert client.post(f"/admin/users/{customs.user_id}/active", data={"active": "0"}).status_code == 302
    result = rank_for_request(assistance_request)
    assert customs.id not in [profile.id for profile, _score, _reasons in result.experts]
    assert result.eligible == eligible_before - 1


def test_the_data_version_outgrows_32_bits(setting):
    """Each change adds a random step of up to 2**20: a few thousand changes pass 2**31, which a 32-bit
    column (PostgreSQL's integer) refused, failing every later profile or invitation change."""
    customs, _lab, assistance_request = setting
    mark_expert_changed(customs)  # the state row exists from here on
    db.session.execute(db.update(MatcherState).values(data_version=2**31 - 1))
    db.session.commit()
    customs.headline = "Customs targeting of precursor shipments at sea and dry ports"
    mark_expert_changed(customs)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalars(db.select(MatcherState.data_version)).one() > 2**31
    assert customs.id in ranked_ids(assistance_request)
