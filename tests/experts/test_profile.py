"""Profile editing through the form (every field), completeness hints, the matcher preview, export, deactivation,
and the coordinators-only vetting status — each change visible to the matcher bridge at once."""
import json

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.engagements.suggestions import rank_for_request
from expertnet.experts.completeness import completeness
from expertnet.experts.models import Availability, ExpertProfile, TopicLevel, VettingStatus
from expertnet.extensions import db
from tests.conftest import make_organisation, make_user
from tests.engagements.factories import invite, make_assistance_request, make_expert


def profile_form(**overrides) -> dict:
    data = {
        "headline": "Forensic chemist, post-blast casework",
        "affiliation": "National forensic laboratory",
        "expertise_statement": "Attribution of improvised explosives and precursor tracing in the laboratory.",
        "biography": "Twelve years in the forensic laboratory.",
        "topics-0-slug": "forensic-chemistry-attribution", "topics-0-level": "expert",
        "topics-1-slug": "post-blast-investigation", "topics-1-level": "practitioner",
        "topics-2-slug": "", "topics-2-level": "practitioner",
        "languages-0-code": "ar", "languages-0-proficiency": "native",
        "languages-1-code": "en", "languages-1-proficiency": "fluent",
        "experiences-0-role": "Head of explosives section", "experiences-0-organisation": "Forensic lab",
        "experiences-0-start_year": "2014", "experiences-0-end_year": "", "experiences-0-description": "Casework.",
        "experiences-1-role": "", "experiences-1-start_year": "",
        "publications-0-kind": "training", "publications-0-title": "Post-blast scene course", "publications-0-year": "2022",
        "publications-0-summary": "Five-day course for investigators.",
        "countries": "jo, EG", "regions": "middle-east", "willing_to_travel": "y", "capacity": "3",
        "availability": "limited", "unavailable_until": "",
        "blackouts-0-starts_on": "2031-07-01", "blackouts-0-ends_on": "2031-07-31", "blackouts-0-note": "Leave",
        "conflict_countries": "IL",
    }
    data.update(overrides)
    return data


@pytest.fixture
def expert(app):
    return make_expert(topics=("customs-interdiction",), level=TopicLevel.PRACTITIONER)


def test_the_form_saves_every_field(client, auth, expert):
    auth.login(expert.user)
    assert client.get("/profile").status_code == 200
    agency = make_organisation("Conflicted agency")
    response = client.post("/profile", data=profile_form(conflict_organisation_ids=[str(agency.id)]))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    p = db.session.get(ExpertProfile, expert.id)
    assert p.headline.startswith("Forensic") and p.capacity == 3 and p.availability == Availability.LIMITED
    assert {t.topic.slug: t.level for t in p.topics} == {"forensic-chemistry-attribution": TopicLevel.EXPERT,
                                                          "post-blast-investigation": TopicLevel.PRACTITIONER}
    assert p.languages == [{"code": "ar", "proficiency": "native"}, {"code": "en", "proficiency": "fluent"}]
    assert [e.role for e in p.experiences] == ["Head of explosives section"] and p.experiences[0].end_year is None
    assert p.publications[0].kind.value == "training" and p.countries == ["JO", "EG"]
    assert p.blackouts[0].note == "Leave" and p.conflict_countries == ["IL"] and p.willing_to_travel
    assert [o.name for o in p.conflict_organisations] == ["Conflicted agency"]
    assert db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "expert.profile_updated"))


@pytest.mark.parametrize("overrides, message", [
    ({"experiences-0-end_year": "2010"}, "end year is before the start year"),
    ({"countries": "Jordan"}, "two-letter ISO country code"),
    ({"topics-1-slug": "forensic-chemistry-attribution"}, "listed twice"),
    ({"capacity": "25"}, "between 0 and 20"),
    ({"blackouts-0-ends_on": "2031-06-01"}, "ends before it starts"),
])
def test_bad_input_is_an_inline_error_and_nothing_changes(client, auth, expert, overrides, message):
    auth.login(expert.user)
    response = client.post("/profile", data=profile_form(**overrides))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExpertProfile, expert.id).headline == "Customs risk targeting adviser"


def test_capacity_cannot_drop_below_commitments(client, auth, expert):
    coordinator = make_user(Role.COORDINATOR)
    invite(coordinator, make_assistance_request(coordinator=coordinator), expert)
    auth.login(expert.user)
    response = client.post("/profile", data=profile_form(capacity="0"))
    assert "cannot be lower than your current commitments" in response.get_data(as_text=True)


def test_a_saved_profile_changes_the_ranking_at_once(client, auth, expert):
    lab_request = make_assistance_request(title="Attribution of a post-blast scene",
                                          summary="Forensic chemistry support after an explosion.",
                                          topics=("forensic-chemistry-attribution",))
    assert expert.id not in [p.id for p, _s, _r in rank_for_request(lab_request).experts]
    auth.login(expert.user)
    client.post("/profile", data=profile_form())
    assert [p.id for p, _s, _r in rank_for_request(lab_request).experts] == [expert.id]


def test_completeness_hints_and_preview(client, auth, expert):
    percent, hints = completeness(expert)
    assert 0 < percent < 100 and any("experience" in h for h in hints)
    auth.login(expert.user)
    client.post("/profile", data=profile_form(expertise_statement=" ".join(["precursor"] * 45)))
    db.session.expire_all()
    assert completeness(db.session.get(ExpertProfile, expert.id))[0] == 100
    page = client.get("/profile/preview").get_data(as_text=True)
    assert "How the matcher sees me" in page and "100%" in page


def test_export_and_deactivation(client, auth, expert):
    auth.login(expert.user)
    exported = client.get("/profile/export.json")
    data = json.loads(exported.data)
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert data["profile"]["email"] == expert.user.email and data["invitations"] == []
    client.post("/profile/deactivate")
    client.post("/profile/deactivate")
    db.session.expire_all()
    assert db.session.get(ExpertProfile, expert.id).deactivation_requested_at is not None
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "expert.deactivation_requested")) == 1


def test_vetting_status_is_for_coordinators_and_reaches_the_matcher(client, auth, expert):
    assistance_request = make_assistance_request()
    assert expert.id in [p.id for p, _s, _r in rank_for_request(assistance_request).experts]
    auth.login(expert.user)
    assert client.get(f"/experts/{expert.id}/vetting-status").status_code == 403
    auth.logout()
    auth.login(make_user(Role.COORDINATOR))
    assert client.post(f"/experts/{expert.id}/vetting-status", data={"vetting_status": "rejected"}).status_code == 200
    response = client.post(f"/experts/{expert.id}/vetting-status",
                           data={"vetting_status": "rejected", "vetting_reason": "Credentials withdrawn"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ExpertProfile, expert.id).vetting_status == VettingStatus.REJECTED
    assert expert.id not in [p.id for p, _s, _r in rank_for_request(assistance_request).experts]
    assert client.get("/experts/999999/vetting-status").status_code == 404


@pytest.mark.parametrize("role, status", [("member", 403), ("expert", 403), ("coordinator", 200), ("admin", 200)])
def test_coordinators_read_the_whole_profile(client, auth, users, expert, role, status):
    auth.login(users[role])
    response = client.get(f"/experts/{expert.id}")
    assert response.status_code == status
    if status == 200:
        assert "Customs risk targeting adviser" in response.get_data(as_text=True)
        assert client.get("/experts/999999").status_code == 404
