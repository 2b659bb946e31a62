"""Need-to-know follows the LIVE invitation and engagement: for each state an expert can be in, what they can
still open — the request page (detail and TLP:RED annex), a file the agency attached AFTER the state was
reached, the invitation JSON's `full`, the engagement page, and posting to the thread — and the audit rows
of each change of access, including the time-based end after the read-only period."""
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.attachments import services as attachment_services
from expertnet.attachments.models import Attachment
from expertnet.audit.models import AuditEvent
from expertnet.config import environment_overrides
from expertnet.coordination import desk
from expertnet.db import utcnow
from expertnet.engagements import services
from expertnet.engagements.models import DeclineReason
from expertnet.engagements.need_to_know import end_lapsed_access
from expertnet.extensions import db
from expertnet.requests.models import RequestMessage, RequestStatus as S
from tests.attachments.test_storage import PDF_BYTES
from tests.conftest import make_organisation, make_user
from tests.engagements.factories import SECRET_ANNEX, SECRET_GAP, accept, invite, make_assistance_request, make_expert
from tests.jobs.test_engine import run_periodic


class Upload:
    def __init__(self, data: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(data), filename


def _close(coordinator, engagement) -> None:
    expert_user = engagement.expert.user
    services.start_engagement(expert_user, engagement)
    services.submit_report(expert_user, engagement, "Indicators delivered.")
    services.accept_report(coordinator, engagement)
    services.close_engagement(coordinator, engagement)


def _closed_long_ago(coordinator, engagement) -> None:
    _close(coordinator, engagement)
    engagement.closed_at = utcnow() - timedelta(days=31)


def _expired(coordinator, invitation) -> None:
    invitation.respond_by = utcnow() - timedelta(minutes=1)
    services.expire_invitations()


# state -> how to reach it from a fresh invitation (coordinator, invitation, engagement-or-None)
STATES = {
    "pending": (False, lambda c, i, e: None),
    "accepted_open": (True, lambda c, i, e: None),
    "withdrawn": (True, lambda c, i, e: services.withdraw_expert(c, e, "Conflict found")),
    "replaced": (True, lambda c, i, e: desk.replace_expert(c, e, "Unavailable after all")),
    "declined": (False, lambda c, i, e: services.decline_invitation(i.expert.user, i, DeclineReason.DATES)),
    "expired": (False, lambda c, i, e: _expired(c, i)),
    "revoked": (False, lambda c, i, e: services.revoke_invitation(c, i, "Rescoped")),
    "conflict_declared": (False, lambda c, i, e: services.decline_invitation(i.expert.user, i, DeclineReason.CONFLICT)),
    "closed_within_period": (True, lambda c, i, e: _close(c, e)),
    "closed_after_period": (True, lambda c, i, e: _closed_long_ago(c, e)),
}
# state -> (reads detail + annex + later file, JSON full, may post)
EXPECTED = {
    "pending": (False, False, False),
    "accepted_open": (True, True, True),
    "withdrawn": (False, False, False),
    "replaced": (False, False, False),
    "declined": (False, False, False),
    "expired": (False, False, False),
    "revoked": (False, False, False),
    "conflict_declared": (False, False, False),
    "closed_within_period": (True, True, False),
    "closed_after_period": (False, False, False),
}


@pytest.fixture
def scene(app):
    coordinator = make_user(Role.COORDINATOR)
    member = make_user(Role.MEMBER, make_organisation("Requesting agency"))
    assistance_request = make_assistance_request(member, S.MATCHING, coordinator, experts_wanted=1)
    invitation = invite(coordinator, assistance_request, make_expert())
    return coordinator, member, assistance_request, invitation


def reach(state, coordinator, invitation):
    needs_engagement, step = STATES[state]
    engagement = accept(invitation) if needs_engagement else None
    step(coordinator, invitation, engagement)
    db.session.commit()
    return engagement


@pytest.mark.parametrize("state", list(STATES))
def test_access_matrix_follows_the_live_engagement(client, auth, scene, state):
    coordinator, member, assistance_request, invitation = scene
    engagement = reach(state, coordinator, invitation)
    later_file = attachment_services.store_attachment(member, assistance_request, Upload(PDF_BYTES, "later.pdf"),
                                                      "TLP:AMBER")
    db.session.commit()
    reads, json_full, posts = EXPECTED[state]
    auth.login(invitation.expert.user)

    page = client.get(f"/requests/{assistance_request.id}")
    assert page.status_code in (200, 404)
    body = page.get_data(as_text=True)
    assert (SECRET_GAP in body, SECRET_ANNEX in body) == (reads, reads), state
    download = client.get(f"/requests/{assistance_request.id}/attachments/{later_file.id}")
    assert download.status_code == (200 if reads else 404), state

    data = client.get(f"/invitations/{invitation.id}.json").get_json()
    assert data["full"] is json_full and (SECRET_GAP in str(data["request"])) is json_full, state
    if engagement is not None:
        engagement_page = client.get(f"/engagements/{engagement.id}").get_data(as_text=True)
        assert (SECRET_GAP in engagement_page) is reads, state

    client.post(f"/requests/{assistance_request.id}/messages", data={"body": "From the expert, on the request page"})
    if engagement is not None:
        client.post(f"/engagements/{engagement.id}/messages", data={"body": "From the expert, on the engagement"})
    posted = db.session.scalar(sa.select(sa.func.count(RequestMessage.id)).where(
        RequestMessage.author_id == invitation.expert.user_id))
    assert posted == (2 if posts else 0), state


def need_to_know_rows(expert_id) -> list[tuple[str, str, str]]:
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("need_to_know.%"))
                                .order_by(AuditEvent.id)).all()
    return [(e.action, e.details["reason"], e.details["level"]) for e in events if e.details["expert_id"] == expert_id]


GRANTED = [("need_to_know.granted", "invitation_created", "summary"),
           ("need_to_know.granted", "invitation_accepted", "full")]
AUDITED = {
    "pending": GRANTED[:1],
    "withdrawn": GRANTED + [("need_to_know.ended", "engagement_withdrawn", "none")],
    "replaced": GRANTED + [("need_to_know.ended", "engagement_withdrawn", "none")],
    "declined": GRANTED[:1] + [("need_to_know.ended", "invitation_declined", "none")],
    "expired": GRANTED[:1] + [("need_to_know.ended", "invitation_expired", "none")],
    "revoked": GRANTED[:1] + [("need_to_know.ended", "invitation_revoked", "none")],
    "conflict_declared": GRANTED[:1] + [("need_to_know.ended", "invitation_conflict_declared", "none")],
    "closed_within_period": GRANTED + [("need_to_know.reduced", "engagement_closed", "read_only")],
}


@pytest.mark.parametrize("state", list(AUDITED))
def test_every_change_of_access_is_audited_with_its_reason(scene, state):
    coordinator, _member, _request, invitation = scene
    reach(state, coordinator, invitation)
    assert need_to_know_rows(invitation.expert_id) == AUDITED[state]


def test_the_end_of_the_read_only_period_is_recorded_once(runner, scene):
    coordinator, _member, assistance_request, invitation = scene
    engagement = reach("closed_within_period", coordinator, invitation)
    assert end_lapsed_access() == 0
    engagement.closed_at = utcnow() - timedelta(days=31)
    db.session.commit()
    first = runner.invoke(args=["coordination", "expire-invitations"])
    assert "1 closed engagements' read-only access ended" in first.output
    second = runner.invoke(args=["coordination", "expire-invitations"])
    assert "0 closed engagements' read-only access ended" in second.output
    assert end_lapsed_access(utcnow() + timedelta(days=400)) == 0
    assert need_to_know_rows(invitation.expert_id)[-1] == ("need_to_know.ended", "period_after_close_lapsed",
                                                           "summary")
    ended = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "need_to_know.ended"))
    assert (ended.object_type, ended.object_id) == ("engagement", engagement.id)
    assert ended.details["request_id"] == assistance_request.id


def test_the_hourly_job_records_the_end_of_read_only_access(app, scene):
    coordinator, _member, _assistance_request, invitation = scene
    engagement = reach("closed_within_period", coordinator, invitation)
    engagement.closed_at = utcnow() - timedelta(days=31)
    db.session.commit()
    run_periodic(app, "hourly_engagement_upkeep")
    assert need_to_know_rows(invitation.expert_id)[-1] == ("need_to_know.ended", "period_after_close_lapsed",
                                                           "summary")


def test_the_period_is_a_setting(app, client, auth, scene):
    coordinator, _member, assistance_request, invitation = scene
    reach("closed_within_period", coordinator, invitation)
    auth.login(invitation.expert.user)
    assert SECRET_GAP in client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    app.config["DETAIL_ACCESS_AFTER_CLOSE_DAYS"] = 0
    assert SECRET_GAP not in client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert environment_overrides({"EXPERTNET_DETAIL_ACCESS_AFTER_CLOSE_DAYS": "7"}) == {
        "DETAIL_ACCESS_AFTER_CLOSE_DAYS": 7}


def test_the_request_page_no_longer_names_a_withdrawn_expert(client, auth, scene):
    coordinator, member, assistance_request, invitation = scene
    reach("withdrawn", coordinator, invitation)
    auth.login(member)
    page = client.get(f"/requests/{assistance_request.id}").get_data(as_text=True)
    assert invitation.expert.user.full_name not in page


def test_a_withdrawn_expert_no_longer_downloads_the_engagements_deliverables(client, auth, scene):
    coordinator, _member, _request, invitation = scene
    engagement = accept(invitation)
    auth.login(invitation.expert.user)
    client.post(f"/engagements/{engagement.id}/deliverables",
                data={"file": (io.BytesIO(PDF_BYTES), "indicators.pdf"), "tlp": "TLP:AMBER"},
                content_type="multipart/form-data")
    attachment_id = db.session.scalar(sa.select(Attachment.id).where(Attachment.engagement_id == engagement.id))
    deliverable = f"/engagements/{engagement.id}/deliverables/{attachment_id}"
    assert client.get(deliverable).status_code == 200
    services.withdraw_expert(coordinator, engagement, "Conflict found")
    db.session.commit()
    assert client.get(deliverable).status_code == 404
    assert "indicators.pdf" not in client.get(f"/engagements/{engagement.id}").get_data(as_text=True)
