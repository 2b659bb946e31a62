"""Change capture that cannot be forgotten (issue 15): every change that can move a ranking, made through the real
forms or by a plain SQLAlchemy statement in a service, marks the expert changed through session events, so the
ranking follows with no hand call; unrelated changes and rolled-back ones mark nothing."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.engagements.suggestions import rank_for_request
from expertnet.experts.models import BlackoutPeriod, ExpertProfile, MatcherState, TopicLevel
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest
from tests.conftest import make_organisation, make_user
from tests.engagements.factories import make_assistance_request, make_expert
from tests.experts.test_profile import profile_form

START = date.today() + timedelta(days=60)


@pytest.fixture
def lab_request(app):
    """A forensic request in Kenya on fixed dates; the network's ranking is warmed up (the index is built)."""
    return make_assistance_request(title="Attribution of a post-blast scene", country="KE",
                                   summary="Forensic chemistry support after an explosion.",
                                   topics=("forensic-chemistry-attribution",),
                                   start_date=START, end_date=START + timedelta(days=5))


@pytest.fixture
def forensic(app):
    """A vetted forensic chemist: first in the lab request's ranking."""
    return make_expert(topics=("forensic-chemistry-attribution",), level=TopicLevel.EXPERT,
                       headline="Forensic chemist, post-blast casework", countries=["KE"], regions=["east-africa"],
                       expertise_statement="Attribution of improvised explosives and post-blast forensic chemistry.")


def outcome(assistance_request, expert, **options) -> str:
    """'ranked' or the reason the expert is left out, as the suggestions page sees it."""
    db.session.expire_all()
    suggestions = rank_for_request(db.session.get(AssistanceRequest, assistance_request.id), **options)
    if expert.id in [p.id for p, _score, _reasons in suggestions.experts]:
        return "ranked"
    return suggestions.excluded_experts.get(expert.id, "not ranked")


def data_version() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(MatcherState.data_version)) or 0


def saved(client, **fields):
    response = client.post("/profile", data=profile_form(**fields))
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def own_form(**fields) -> dict:
    """The forensic chemist's own profile as the form sends it, with `fields` changed."""
    base = dict(countries="KE", regions="east-africa", conflict_countries="", availability="available",
                **{"blackouts-0-starts_on": "", "blackouts-0-ends_on": "", "blackouts-0-note": ""})
    return {**base, **fields}


@pytest.mark.parametrize("change, reason", [
    ({"capacity": "0"}, "at_capacity"),
    ({"availability": "unavailable", "unavailable_until": (START + timedelta(days=30)).isoformat()}, "unavailable"),
    ({"blackouts-0-starts_on": START.isoformat(), "blackouts-0-ends_on": (START + timedelta(days=9)).isoformat(),
      "blackouts-0-note": "Leave"}, "unavailable"),
    ({"conflict_countries": "KE"}, "conflict_of_interest"),
    ({"topics-0-slug": "customs-interdiction", "topics-1-slug": "", "headline": "Customs officer",
      "expertise_statement": "Customs targeting of shipments.", "biography": "Customs.",
      "experiences-0-role": "Customs officer", "experiences-0-organisation": "Customs", "experiences-0-description": "",
      "publications-0-title": "Tariff classification", "publications-0-summary": "Customs course."}, "not ranked"),
])
def test_each_profile_field_saved_through_the_form_moves_the_ranking(client, auth, lab_request, forensic, change,
                                                                     reason):
    auth.login(forensic.user)
    saved(client, **own_form())
    assert outcome(lab_request, forensic) == "ranked"
    saved(client, **own_form(**change))
    assert outcome(lab_request, forensic) == reason
    saved(client, **own_form())
    assert outcome(lab_request, forensic) == "ranked", "and back again"


def test_languages_regions_experiences_and_publications_through_the_form(client, auth, lab_request, forensic):
    auth.login(forensic.user)
    saved(client, **own_form(**{"languages-0-code": "en", "languages-1-code": ""}))
    assert outcome(lab_request, forensic, required_languages=["ar"]) == "language"
    saved(client, **own_form())  # Arabic (native) and English
    assert outcome(lab_request, forensic, required_languages=["ar"]) == "ranked"
    assert outcome(lab_request, forensic, required_region="JO") == "region"
    saved(client, **own_form(countries="KE, JO"))
    assert outcome(lab_request, forensic, required_region="JO") == "ranked"
    # Only the experience and the publication speak of the request's subject.
    plain = own_form(**{"topics-0-slug": "customs-interdiction", "topics-1-slug": "", "headline": "Officer",
                        "expertise_statement": "Customs targeting.", "biography": "", "experiences-0-description": "",
                        "experiences-0-role": "Officer", "experiences-0-organisation": "Customs", "affiliation": "Customs",
                        "publications-0-title": "Tariffs", "publications-0-summary": ""})
    saved(client, **plain)
    assert outcome(lab_request, forensic) == "not ranked"
    saved(client, **{**plain, "experiences-0-description": "Post-blast attribution of improvised explosives.",
                     "publications-0-title": "Forensic chemistry after an explosion"})
    assert outcome(lab_request, forensic) == "ranked"


def test_conflict_organisation_through_the_form(client, auth, lab_request, forensic):
    auth.login(forensic.user)
    saved(client, **own_form())
    assert outcome(lab_request, forensic) == "ranked"
    saved(client, **own_form(conflict_organisation_ids=[str(lab_request.organisation_id)]))
    assert outcome(lab_request, forensic) != "ranked"


def test_vetting_leaving_and_the_account_through_the_forms(client, auth, lab_request, forensic):
    coordinator, admin = make_user(Role.COORDINATOR), make_user(Role.ADMIN)
    assert outcome(lab_request, forensic) == "ranked"
    auth.login(coordinator)
    client.post(f"/experts/{forensic.id}/vetting-status",
                data={"vetting_status": "rejected", "vetting_reason": "Credentials withdrawn"})
    assert outcome(lab_request, forensic) != "ranked"
    client.post(f"/experts/{forensic.id}/vetting-status", data={"vetting_status": "approved", "vetting_reason": "Back"})
    assert outcome(lab_request, forensic) == "ranked"
    auth.logout()
    auth.login(admin)
    client.post(f"/admin/users/{forensic.user_id}/active", data={"active": "0"})
    assert outcome(lab_request, forensic) != "ranked"
    client.post(f"/admin/users/{forensic.user_id}/active", data={"active": "1"})
    assert outcome(lab_request, forensic) == "ranked"
    auth.logout()
    auth.login(forensic.user)
    client.post("/profile/deactivate")
    assert outcome(lab_request, forensic) != "ranked"


def test_a_plain_sqlalchemy_statement_in_a_service_counts(app, lab_request, forensic):
    assert outcome(lab_request, forensic) == "ranked"
    db.session.execute(sa.update(ExpertProfile).where(ExpertProfile.id == forensic.id).values(capacity=0))
    db.session.commit()
    assert outcome(lab_request, forensic) == "at_capacity"
    db.session.execute(ExpertProfile.__table__.update().where(ExpertProfile.__table__.c.id == forensic.id)
                       .values(capacity=2))
    db.session.commit()
    assert outcome(lab_request, forensic) == "ranked"
    db.session.execute(sa.insert(BlackoutPeriod), [{"expert_id": forensic.id, "starts_on": START, "ends_on": START}])
    db.session.commit()
    assert outcome(lab_request, forensic) == "unavailable"
    db.session.execute(sa.delete(BlackoutPeriod).where(BlackoutPeriod.expert_id == forensic.id))
    db.session.commit()
    assert outcome(lab_request, forensic) == "ranked"


def test_an_uncommitted_change_is_seen_by_a_ranking_in_the_same_transaction(app, lab_request, forensic):
    assert outcome(lab_request, forensic) == "ranked"
    forensic.capacity = 0
    assert rank_for_request(lab_request).excluded_experts.get(forensic.id) == "at_capacity"
    db.session.rollback()
    assert outcome(lab_request, forensic) == "ranked"


def test_unrelated_and_rolled_back_changes_mark_nothing(client, auth, lab_request, forensic):
    outcome(lab_request, forensic)
    member = make_user(Role.MEMBER, make_organisation("Unrelated agency"))
    before = data_version()
    auth.login(member)  # a sign-in writes the account (last sign-in), not what a ranking reads
    lab_request.title = "Attribution of a post-blast scene, revised"
    member.full_name = "Renamed member"  # not an expert
    make_organisation("Another agency")
    db.session.commit()
    db.session.execute(sa.update(AssistanceRequest).where(AssistanceRequest.id == lab_request.id).values(priority=1))
    db.session.commit()
    assert data_version() == before
    forensic.headline = "Rolled back"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert data_version() == before
    forensic.user.full_name = "Renamed expert"  # an expert's name: shown with the ranking
    db.session.commit()
    assert data_version() != before


def test_a_coordinators_inclusion_marks_the_expert(client, auth, lab_request, forensic):
    """A row of a feature above experts (the exclusion override) counts once it is tracked."""
    assert outcome(lab_request, forensic, required_languages=["fr"]) == "language"
    before = data_version()
    auth.login(make_user(Role.COORDINATOR))
    response = client.post(f"/coordination/requests/{lab_request.id}/suggestions/include",
                           data={"expert_id": forensic.id, "reason": "Interpreter arranged.", "language": "fr"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    assert data_version() != before
    assert outcome(lab_request, forensic, required_languages=["fr"]) == "ranked"
