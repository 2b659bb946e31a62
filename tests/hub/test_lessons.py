"""Lessons from engagements (issue 17): drafted from a closed engagement's report with identifying details
removed, approved (or sent back) by the owning agency with its chosen label, published only after approval;
the agency sees its own lesson drafts and nobody else's."""
import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.audit.models import AuditEvent
from expertnet.engagements import services as engagement_services
from expertnet.extensions import db
from expertnet.hub import lessons
from expertnet.hub.messages import HubError
from expertnet.hub.models import HubItem, ItemStatus, Kind
from expertnet.hub.services import move_item
from expertnet.sensitivity import Tlp
from tests.conftest import make_organisation, make_user
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert

REPORT = ("The port of the agency had no risk profile for precursor shipments; Nadia Haddad "
          "(nadia.haddad@customs.example, +962 6 555 0199) asked for help under {ref}.\n\n"
          "We built a profile from HS codes and past seizures with the {org} targeting team.\n\n"
          "Three suspicious consignments were stopped in the first month.\n\n"
          "Reuse the HS-code list and the two-step review of flagged consignments.")


@pytest.fixture
def closed(app):
    return make_closed_engagement()


def make_closed_engagement():
    """A closed engagement whose report names the agency, a person, an e-mail, a phone and the reference."""
    coordinator = make_user(Role.COORDINATOR, full_name="Omar Coordinator")
    organisation = make_organisation("Aqaba Customs Directorate")
    member = make_user(Role.MEMBER, organisation, full_name="Nadia Haddad")
    request = make_assistance_request(member=member, coordinator=coordinator)
    expert = make_expert(user=make_user(Role.EXPERT, full_name="Lars Jensen"))
    engagement = accept(invite(coordinator, request, expert))
    engagement_services.start_engagement(coordinator, engagement)
    report = REPORT.format(ref=request.reference, org=organisation.name)
    engagement_services.submit_report(expert.user, engagement, report)
    engagement_services.accept_report(coordinator, engagement)
    engagement_services.close_engagement(coordinator, engagement)
    db.session.commit()
    return engagement, coordinator, member


def _draft(client, auth, engagement, coordinator):
    auth.login(coordinator)
    response = client.post(f"/hub/lessons/from-engagement/{engagement.id}")
    assert response.status_code in (302, 303), response.text
    lesson = db.session.scalar(sa.select(HubItem).where(HubItem.engagement_id == engagement.id))
    auth.logout()
    return lesson, response


def test_a_coordinator_drafts_a_redacted_lesson_from_the_report(client, auth, closed):
    engagement, coordinator, _member = closed
    auth.login(coordinator)
    page = client.get(f"/coordination/engagements/{engagement.id}").text
    assert "Draft a lesson" in page
    response = client.post(f"/hub/lessons/from-engagement/{engagement.id}", follow_redirects=True)
    lesson = db.session.scalar(sa.select(HubItem).where(HubItem.engagement_id == engagement.id))
    assert lesson.kind == Kind.LESSON and lesson.status == ItemStatus.DRAFT
    assert lesson.request_id == engagement.request_id
    body = lesson.texts[0].body + lesson.texts[0].summary + lesson.texts[0].title
    for secret in ("Nadia", "Haddad", "nadia.haddad@customs.example", "555 0199", engagement.request.reference,
                   "Aqaba Customs Directorate"):
        assert secret not in body
    for section in ("Problem", "Approach", "Outcome", "What to reuse"):
        assert section in body
    assert "HS-code list" in body
    assert "Removed as identifying" in response.text and "nadia.haddad@customs.example" in response.text
    assert lesson.tlp == Tlp.AMBER and [o.id for o in lesson.audience] == [engagement.request.organisation_id]
    # asked again: the same lesson, linked from the engagement page
    assert client.post(f"/hub/lessons/from-engagement/{engagement.id}").status_code in (302, 303)
    assert db.session.scalar(sa.select(sa.func.count(HubItem.id)).where(HubItem.kind == Kind.LESSON)) == 1
    assert f"/hub/{lesson.id}" in client.get(f"/coordination/engagements/{engagement.id}").text


def test_redaction_lists_what_it_removed():
    cleaned = lessons.redact("Call Ann Lee at +44 20 7946 0958 or ann@x.example about REQ-7.",
                             {"Ann Lee": "[a person]", "REQ-7": "[the request]"})
    assert cleaned.text == "Call [a person] at [phone] or [e-mail] about [the request]."
    assert cleaned.removed == ["ann@x.example", "Ann Lee", "REQ-7", "+44 20 7946 0958"]


def test_agency_approves_with_its_label_then_a_coordinator_publishes(client, auth, closed):
    engagement, coordinator, member = closed
    lesson, _ = _draft(client, auth, engagement, coordinator)
    with pytest.raises(HubError) as refused:  # not before the agency approved
        move_item(coordinator, lesson, ItemStatus.PUBLISHED)
    assert refused.value.http_status == 409
    db.session.rollback()
    move_item(coordinator, lesson, ItemStatus.AWAITING_AGENCY)
    db.session.commit()
    auth.login(member)
    page = client.get(f"/requests/{engagement.request_id}").text
    assert "Review and approve" in page
    form = client.get(f"/hub/{lesson.id}/agency-review").text
    assert 'selected value="TLP:AMBER"' in form, "TLP:AMBER naming the agency is the default"
    text = lesson.texts[0]
    response = client.post(f"/hub/{lesson.id}/agency-review", data={
        "title": "Risk profiles for precursor shipments", "summary": text.summary, "body": text.body,
        "tlp": Tlp.GREEN.value, "note": "", "approve": "Approve"})
    assert response.status_code in (302, 303)
    db.session.expire_all()
    assert lesson.status == ItemStatus.APPROVED and lesson.tlp == Tlp.GREEN
    assert lesson.texts[0].title == "Risk profiles for precursor shipments"
    # a repeat answer changes nothing
    assert client.post(f"/hub/{lesson.id}/agency-review", data={
        "title": "Other", "summary": text.summary, "body": text.body, "tlp": Tlp.CLEAR.value,
        "approve": "Approve"}).status_code in (302, 303)
    db.session.expire_all()
    assert lesson.tlp == Tlp.GREEN
    auth.logout()
    move_item(coordinator, lesson, ItemStatus.PUBLISHED)
    db.session.commit()
    auth.login(member)
    assert f"/hub/{lesson.id}" in client.get(f"/requests/{engagement.request_id}").text
    item_page = client.get(f"/hub/{lesson.id}").text
    assert f"/requests/{engagement.request_id}" in item_page
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == lesson.id,
                                                                         AuditEvent.action.like("hub_item.%"))))
    assert {"hub_item.awaiting_agency", "hub_item.approved", "hub_item.published"} <= actions


def test_agency_sends_back_with_a_comment_and_amber_names_it(client, auth, closed):
    engagement, coordinator, member = closed
    lesson, _ = _draft(client, auth, engagement, coordinator)
    move_item(coordinator, lesson, ItemStatus.AWAITING_AGENCY)
    db.session.commit()
    auth.login(member)
    text = lesson.texts[0]
    data = {"title": text.title, "summary": text.summary, "body": text.body, "tlp": Tlp.AMBER.value, "send_back": "Back"}
    assert client.post(f"/hub/{lesson.id}/agency-review", data={**data, "note": ""}).status_code == 422
    db.session.expire_all()
    assert lesson.status == ItemStatus.AWAITING_AGENCY, "sending back needs a comment"
    assert client.post(f"/hub/{lesson.id}/agency-review",
                       data={**data, "note": "Remove the port's name"}).status_code in (302, 303)
    db.session.expire_all()
    assert lesson.status == ItemStatus.DRAFT
    assert [o.id for o in lesson.audience] == [member.organisation_id]
    # back with the coordinators: the agency no longer sees it
    assert client.get(f"/hub/{lesson.id}").status_code == 404


STATES = [ItemStatus.DRAFT, ItemStatus.AWAITING_AGENCY, ItemStatus.APPROVED, ItemStatus.PUBLISHED]


@pytest.mark.parametrize("state", STATES)
def test_access_matrix(client, auth, closed, state):
    engagement, coordinator, member = closed
    lesson, _ = _draft(client, auth, engagement, coordinator)
    lesson.tlp, lesson.audience = Tlp.AMBER, [member.organisation]
    path = {ItemStatus.DRAFT: [], ItemStatus.AWAITING_AGENCY: [ItemStatus.AWAITING_AGENCY],
            ItemStatus.APPROVED: [ItemStatus.AWAITING_AGENCY, ItemStatus.APPROVED],
            ItemStatus.PUBLISHED: [ItemStatus.AWAITING_AGENCY, ItemStatus.APPROVED, ItemStatus.PUBLISHED]}[state]
    for to in path:
        move_item(member if to == ItemStatus.APPROVED else coordinator, lesson, to)
    db.session.commit()
    other_agency = make_user(Role.MEMBER, make_organisation("Another agency"))
    readers = {"own agency": (member, state != ItemStatus.DRAFT),
               "other agency": (other_agency, False),
               "expert": (engagement.expert.user, False),
               "coordinator": (coordinator, True)}
    for name, (user, sees) in readers.items():
        auth.login(user)
        status = client.get(f"/hub/{lesson.id}").status_code
        assert (status == 200) == sees, (name, state, status)
        review = client.get(f"/hub/{lesson.id}/agency-review").status_code
        assert (review == 200) == (name == "own agency" and state == ItemStatus.AWAITING_AGENCY), (name, review)
        auth.logout()


def test_only_the_owning_agency_approves(closed, client, auth):
    engagement, coordinator, member = closed
    lesson, _ = _draft(client, auth, engagement, coordinator)
    move_item(coordinator, lesson, ItemStatus.AWAITING_AGENCY)
    db.session.commit()
    other = make_user(Role.MEMBER, make_organisation("Elsewhere"))
    for user in (other, coordinator):
        with pytest.raises(HubError):
            move_item(user, lesson, ItemStatus.APPROVED)
        db.session.rollback()
