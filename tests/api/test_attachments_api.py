"""A request's files and the desk's engagement steps through the API (issue 16): upload limits answered as
problems, the download's need-to-know (an uninvited expert gets a 404) and audit, milestones, and a completion
report accepted, then the engagement closed, through the pages' services and machine."""
import io
from pathlib import Path

import sqlalchemy as sa

from expertnet.attachments.models import Attachment
from expertnet.audit.models import AuditEvent
from expertnet.engagements import services as engagement_services
from expertnet.extensions import db
from tests.attachments.test_storage import PDF_BYTES
from tests.engagements.factories import accept, invite, make_assistance_request, make_expert


def _upload(api, request_id: int, data: bytes = PDF_BYTES, name: str = "port-codes.pdf", tlp: str = "TLP:AMBER"):
    return api.post(f"/requests/{request_id}/attachments", content_type="multipart/form-data",
                    data={"file": (io.BytesIO(data), name), "tlp": tlp})


def test_upload_list_and_download_with_need_to_know(app, users, api_as):
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    engaged = make_expert(user=users["expert"])
    accept(invite(users["coordinator"], assistance_request, engaged))
    outsider = make_expert()
    db.session.commit()
    member = api_as(users["member"])

    stored = _upload(member, assistance_request.id)
    assert stored.status_code == 201, stored.get_json()
    file = stored.get_json()
    assert file["filename"] == "port-codes.pdf" and file["content_type"] == "application/pdf"
    assert file["tlp"] == "TLP:AMBER"
    for role in ("member", "coordinator", "expert"):
        listed = api_as(users[role]).get(f"/requests/{assistance_request.id}/attachments")
        assert [a["id"] for a in listed.get_json()] == [file["id"]], role
    content = f"/requests/{assistance_request.id}/attachments/{file['id']}/content"
    download = api_as(users["expert"]).get(content)
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attachment.downloaded", AuditEvent.actor_id == users["expert"].id)) == 1

    uninvited = api_as(outsider.user)
    assert uninvited.get(content).status_code == 404
    assert uninvited.get(f"/requests/{assistance_request.id}/attachments").status_code == 404
    assert api_as(users["other_member"]).get(content).status_code == 404
    assert api_as(users["coordinator"]).get(
        f"/requests/{assistance_request.id}/attachments/{file['id'] + 99}/content").status_code == 404


def test_a_red_file_stays_with_the_named_recipients(app, users, api_as):
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    invite(users["coordinator"], assistance_request, make_expert(user=users["expert"]))  # terms not accepted
    db.session.commit()
    red = _upload(api_as(users["member"]), assistance_request.id, tlp="TLP:RED").get_json()
    expert = api_as(users["expert"])
    assert expert.get(f"/requests/{assistance_request.id}/attachments").status_code == 404
    assert expert.get(f"/requests/{assistance_request.id}/attachments/{red['id']}/content").status_code == 404


def test_upload_limits_and_who_may_upload(app, users, api_as):
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    db.session.commit()
    member = api_as(users["member"])
    app.config["UPLOAD_MAX_BYTES"] = len(PDF_BYTES) - 1
    too_large = _upload(member, assistance_request.id)
    assert too_large.status_code == 413 and too_large.get_json()["code"] == "too_large"
    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    script = _upload(member, assistance_request.id, b"#!/bin/sh\necho hi\n", "report.pdf")
    assert script.status_code == 415 and script.content_type == "application/problem+json"
    assert _upload(member, assistance_request.id, b"", "empty.pdf").status_code == 422
    bad_label = _upload(member, assistance_request.id, tlp="TLP:PURPLE")
    assert bad_label.status_code == 422 and "tlp" in bad_label.get_json()["errors"]
    as_json = member.post(f"/requests/{assistance_request.id}/attachments", json={"file": "x"})
    assert as_json.status_code == 415
    assert _upload(api_as(users["coordinator"]), assistance_request.id).status_code == 403
    assert _upload(api_as(users["other_member"]), assistance_request.id).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()] == []


def test_milestones_report_accept_then_close(app, users, api_as):
    assistance_request = make_assistance_request(users["member"], coordinator=users["coordinator"])
    engagement = accept(invite(users["coordinator"], assistance_request, make_expert(user=users["expert"])))
    engagement_services.start_engagement(users["expert"], engagement)
    db.session.commit()
    desk, expert, member = api_as(users["coordinator"]), api_as(users["expert"]), api_as(users["member"])
    path = f"/engagements/{engagement.id}"

    added = desk.post(f"{path}/milestones", json={"title": "Indicators drafted", "due_on": "2030-01-15"})
    assert added.status_code == 201 and added.get_json()["done_at"] is None
    assert expert.post(f"{path}/milestones", json={"title": "Mine"}).status_code == 403
    done = desk.post(f"{path}/milestones/{added.get_json()['id']}/done")
    assert done.status_code == 200 and done.get_json()["done_at"]
    assert desk.post(f"{path}/milestones/{added.get_json()['id']}/done").status_code == 409
    assert [m["title"] for m in expert.get(f"{path}/milestones").get_json()] == ["Indicators drafted"]

    assert desk.post(f"{path}/close").status_code == 409  # no accepted report yet
    assert desk.post(f"{path}/report/accept").status_code == 409  # no report waits
    report = {"report": "Indicators delivered; train the port team next.", "days_spent": 2}
    assert expert.post(f"{path}/report", json=report).status_code == 200
    returned = desk.post(f"{path}/report/return", json={"reason": "Add the port list."})
    assert returned.status_code == 200 and returned.get_json()["status"] == "active"
    assert expert.post(f"{path}/report", json=report).status_code == 200
    assert expert.post(f"{path}/report/accept").status_code == 403
    assert member.post(f"{path}/close").status_code == 403

    accepted = desk.post(f"{path}/report/accept")
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "report_accepted"
    assert desk.post(f"{path}/report/accept").status_code == 200  # a repeat changes nothing
    assert [o["engagement_id"] for o in member.get(f"/requests/{assistance_request.id}/outcomes").get_json()] == [
        engagement.id]
    closed = desk.post(f"{path}/close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert desk.post(f"{path}/close").status_code == 200
    assert desk.post(f"{path}/report/return", json={"reason": "Too late."}).status_code == 409
