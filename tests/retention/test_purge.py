"""`flask purge`: a dry run by default; with --apply, requests closed, rejected or withdrawn longer ago than the
retention period lose their case texts, conversation and files (the statistics stay), sent e-mails past theirs
lose their bodies; each purge is audited and a second run changes nothing."""
import io
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.attachments.models import Attachment
from expertnet.attachments.services import storage_path, store_attachment
from expertnet.audit.models import AuditEvent
from expertnet.config import environment_overrides
from expertnet.db import utcnow
from expertnet.engagements.models import Engagement, EngagementNote, EngagementStatus, ExclusionOverride, Milestone
from expertnet.extensions import db
from expertnet.retention.services import apply_purge
from expertnet.notifications.models import OutboxMessage, OutboxStatus
from expertnet.requests.models import Feedback, RequestMessage, RequestStatus as S
from expertnet.sensitivity import Tlp
from tests.coordination.factories import backdate
from tests.requests.factories import invite_expert, make_request

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
OLD, RECENT = 800 * 24, 10 * 24  # hours; the default period is 730 days


def request_with_conversation(member, coordinator, status, hours_ago):
    assistance_request = make_request(member, status, coordinator)
    db.session.add(RequestMessage(request_id=assistance_request.id, author_id=member.id,
                                  body="The depot is at the north gate."))
    db.session.commit()
    backdate(assistance_request, hours_ago)
    return assistance_request


def sent_mail(days_ago: float, status=OutboxStatus.SENT) -> OutboxMessage:
    message = OutboxMessage(recipient="someone@example.org", subject="Update", text_body="Request details…",
                            html_body="<p>Request details…</p>", status=status,
                            sent_at=utcnow() - timedelta(days=days_ago) if status == OutboxStatus.SENT else None,
                            created_at=utcnow() - timedelta(days=days_ago))
    db.session.add(message)
    db.session.commit()
    return message


def build_world(users):
    member, coordinator = users["member"], users["coordinator"]
    world = {
        "old_closed": request_with_conversation(member, coordinator, S.CLOSED, OLD),
        "old_withdrawn": request_with_conversation(member, coordinator, S.WITHDRAWN, OLD),
        "recent_closed": request_with_conversation(member, coordinator, S.CLOSED, RECENT),
        "old_but_open": request_with_conversation(member, coordinator, S.IN_PROGRESS, OLD),
        "old_mail": sent_mail(100), "recent_mail": sent_mail(10), "old_queued": sent_mail(100, OutboxStatus.QUEUED),
    }
    world["attachment"] = store_attachment(member, world["old_closed"], FileStorage(io.BytesIO(PNG_BYTES), "plan.png"),
                                           Tlp.AMBER)
    db.session.add(Feedback(request_id=world["old_closed"].id, author_id=member.id, usefulness=5, timeliness=4,
                            expertise=5, comment="Officer Haddad found it very useful."))
    world["engagement"] = closed_engagement(world["old_closed"], users["expert"])
    db.session.add(ExclusionOverride(request_id=world["old_closed"].id, expert_id=world["engagement"].expert_id,
                                     exclusion="language", reason="She reads the depot's Arabic manifests.",
                                     created_by_id=coordinator.id))
    db.session.commit()
    return world


def closed_engagement(assistance_request, expert_user) -> Engagement:
    """The expert's work on the request, with the texts it collects (invitation, report, notes, milestones)."""
    invitation = invite_expert(assistance_request, expert_user, accepted=True)
    invitation.message = "Please advise on the north gate depot."
    engagement = invitation.engagement  # accepting opened it
    engagement.status, engagement.completion_report = EngagementStatus.CLOSED, "Depot inspected; three gaps found."
    db.session.flush()
    db.session.add_all([EngagementNote(engagement_id=engagement.id, author_id=expert_user.id, body="Met the director."),
                        Milestone(engagement_id=engagement.id, title="Visit the north gate depot")])
    return engagement


def audit_count(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_dry_run_reports_counts_and_changes_nothing(runner, users):
    world = build_world(users)
    file_path = storage_path(world["attachment"].storage_key)

    result = runner.invoke(args=["purge"])

    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output
    assert "2 requests" in result.output and "2 messages" in result.output and "1 attachments" in result.output
    assert "1 sent e-mail bodies" in result.output
    assert world["old_closed"].reference in result.output and world["recent_closed"].reference not in result.output
    db.session.expire_all()
    assert world["old_closed"].gap_statement and world["old_mail"].text_body and file_path.exists()
    assert audit_count("request.anonymised") == 0


def test_apply_anonymises_old_archived_requests_and_keeps_their_statistics(runner, users):
    world = build_world(users)
    old = world["old_closed"]
    kept = {"reference": old.reference, "status": old.status, "country": old.country,
            "topics": [t.id for t in old.topics], "submitted_at": old.submitted_at, "closed_at": old.closed_at}
    file_path = storage_path(world["attachment"].storage_key)

    result = runner.invoke(args=["purge", "--apply"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    for name in ("old_closed", "old_withdrawn"):
        r = world[name]
        assert (r.summary, r.gap_statement, r.annex, r.desired_outcome) == ("", "", "", "")
        assert r.title == r.reference and r.anonymised_at is not None
        assert [m.body for m in r.messages] == [""]
        assert all(event.note == "" for event in r.events)
    assert {"reference": old.reference, "status": old.status, "country": old.country,
            "topics": [t.id for t in old.topics], "submitted_at": old.submitted_at, "closed_at": old.closed_at} == kept
    assert db.session.scalar(sa.select(Feedback.comment).where(Feedback.request_id == old.id)) == ""
    engagement = world["engagement"]
    assert (engagement.completion_report, engagement.invitation.message) == ("", "")
    assert [n.body for n in engagement.notes] == [""] and [m.title for m in engagement.milestones] == [""]
    assert engagement.status == EngagementStatus.CLOSED
    assert db.session.scalar(sa.select(ExclusionOverride.reason).where(ExclusionOverride.request_id == old.id)) == ""
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id)).where(Attachment.request_id == old.id)) == 0
    assert not file_path.exists()
    for name in ("recent_closed", "old_but_open"):
        assert world[name].gap_statement and world[name].messages[0].body and world[name].anonymised_at is None
    assert audit_count("request.anonymised") == 2


def test_apply_blanks_only_sent_mail_past_its_period_with_one_summary_audit(runner, users):
    world = build_world(users)
    assert runner.invoke(args=["purge", "--apply"]).exit_code == 0
    db.session.expire_all()
    assert (world["old_mail"].text_body, world["old_mail"].html_body) == ("", "")
    assert world["old_mail"].subject == "Update" and world["old_mail"].recipient
    assert world["recent_mail"].text_body and world["old_queued"].text_body
    summary = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "retention.mail_bodies_purged")).all()
    assert len(summary) == 1 and summary[0].details["messages"] == 1


def test_a_second_purge_finds_nothing_and_audits_nothing(runner, users):
    build_world(users)
    assert runner.invoke(args=["purge", "--apply"]).exit_code == 0
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))

    again = runner.invoke(args=["purge", "--apply"])

    assert again.exit_code == 0 and "Purged: 0 requests" in again.output and "0 sent e-mail bodies" in again.output
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events


def test_the_periods_come_from_settings(app, runner, users):
    world = build_world(users)
    app.config["RETENTION_CLOSED_REQUEST_DAYS"] = 5
    app.config["RETENTION_SENT_MAIL_DAYS"] = 5
    result = runner.invoke(args=["purge"])
    assert "3 requests" in result.output and "2 sent e-mail bodies" in result.output
    assert world["recent_closed"].reference in result.output


def test_the_periods_are_read_from_the_environment():
    overrides = environment_overrides({"EXPERTNET_RETENTION_CLOSED_REQUEST_DAYS": "365",
                                       "EXPERTNET_RETENTION_SENT_MAIL_DAYS": "30"})
    assert overrides["RETENTION_CLOSED_REQUEST_DAYS"] == 365 and overrides["RETENTION_SENT_MAIL_DAYS"] == 30


def test_files_stay_until_the_purge_commits(users):
    """A purge that rolls back (crash, error) leaves every row and every file as it was."""
    world = build_world(users)
    file_path = storage_path(world["attachment"].storage_key)
    apply_purge(utcnow())
    assert file_path.exists()
    db.session.rollback()
    assert db.session.get(Attachment, world["attachment"].id) is not None
    assert world["old_closed"].gap_statement and file_path.exists()
