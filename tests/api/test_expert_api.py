"""An expert's own profile and the coordinators' expert search through the API: the page's schema and service,
ETag/If-Match on the change, the directory's need-to-know (staff only), filters, and pages with totals."""
import pytest

from expertnet.audit.models import AuditEvent
from expertnet.experts.models import Availability
from expertnet.extensions import db
from tests.engagements.factories import make_expert


def test_an_expert_reads_and_changes_their_profile_with_if_match(users, api_as):
    profile = make_expert(user=users["expert"], topics=("customs-interdiction", "transport-security"))
    expert = api_as(users["expert"])
    read = expert.get("/me/profile")
    assert read.status_code == 200
    assert read.get_json()["headline"] == "Customs risk targeting adviser"
    assert {t["slug"] for t in read.get_json()["topics"]} == {"customs-interdiction", "transport-security"}

    assert expert.patch("/me/profile", json={"headline": "Port targeting"}).status_code == 428
    changed = expert.patch("/me/profile", json={"headline": "Port targeting", "languages": [{"code": "ar"}]},
                           headers={"If-Match": read.headers["ETag"]})
    assert changed.status_code == 200, changed.get_json()
    db.session.refresh(profile)
    assert profile.headline == "Port targeting"
    assert {t.topic.slug for t in profile.topics} == {"customs-interdiction", "transport-security"}  # kept
    assert profile.languages == [{"code": "ar", "proficiency": "working"}]
    assert db.session.query(AuditEvent).filter_by(action="expert.profile_updated", actor_id=users["expert"].id).count()

    stale = expert.patch("/me/profile", json={"headline": "Again"}, headers={"If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    refused = expert.patch("/me/profile", json={"capacity": 99}, headers={"If-Match": changed.headers["ETag"]})
    assert refused.status_code == 422 and "capacity" in refused.get_json()["errors"]
    unknown = expert.patch("/me/profile", json={"vetting_status": "approved"}, headers={"If-Match": "*"})
    assert unknown.status_code == 422
    # an id no integer column holds is refused on its field, not sent to PostgreSQL (found by schemathesis)
    beyond = expert.patch("/me/profile", json={"conflict_organisation_ids": [2**31]}, headers={"If-Match": "*"})
    assert beyond.status_code == 422 and "conflict_organisation_ids" in beyond.get_json()["errors"]


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_only_experts_have_a_profile(users, api_as, role):
    assert api_as(users[role]).get("/me/profile").status_code == 403


def test_coordinators_search_vetted_experts_by_topic_language_country_and_availability(users, api_as):
    arabic = make_expert(topics=("transport-security",), languages=[{"code": "ar", "proficiency": "native"}],
                         countries=["EG"])
    busy = make_expert(availability=Availability.UNAVAILABLE)
    make_expert(vetted=False)  # never listed
    coordinator = api_as(users["coordinator"])

    def ids(query: str) -> list[int]:
        answer = coordinator.get(f"/experts{query}")
        assert answer.status_code == 200, answer.get_json()
        return [item["id"] for item in answer.get_json()]

    assert set(ids("")) == {arabic.id, busy.id}
    assert ids("?topic=transport-security") == [arabic.id]
    assert ids("?language=ar&country=EG") == [arabic.id]
    assert ids("?available=false") == [busy.id]
    paged = coordinator.get("/experts?page=2&page_size=1")
    assert paged.headers["X-Total-Count"] == "2" and 'rel="prev"' in paged.headers["Link"]
    assert len(paged.get_json()) == 1
    assert coordinator.get("/experts?country=EGY").status_code == 422


@pytest.mark.parametrize("role", ["member", "expert", "other_member"])
def test_the_directory_is_the_coordinators(users, api_as, role):
    make_expert()
    assert api_as(users[role]).get("/experts").status_code == 403
