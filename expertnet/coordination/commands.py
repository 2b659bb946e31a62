"""`flask coordination ...` commands for cron: each calls services, commits once, then sends the mail it queued."""
import click

from expertnet.coordination import bp, sla_columns
from expertnet.coordination.digest import send_digest
from expertnet.engagements.upkeep import expire_remind_and_end_lapsed_access
from expertnet.extensions import db
from expertnet.notifications.services import deliver_queued


def _commit_then_deliver(summary: str) -> None:
    """Commit what the command did, then send the mail it queued (after the commit: never mail about
    something that was rolled back), and say both."""
    db.session.commit()
    sent, failed = deliver_queued()
    click.echo(f"{summary}; mail {sent} sent, {failed} kept for retry.")


@bp.cli.command("digest")
def digest_command() -> None:
    """Send today's SLA digest to every coordinator (once a day: a second run sends nothing)."""
    _commit_then_deliver(f"SLA digest: {send_digest()} queued")


@bp.cli.command("expire-invitations")
def expire_invitations_command() -> None:
    """Expire unanswered invitations past their deadline, remind experts whose deadline is near, and record
    the end of read-only access to engagements closed longer ago than DETAIL_ACCESS_AFTER_CLOSE_DAYS."""
    _commit_then_deliver(str(expire_remind_and_end_lapsed_access()))


@bp.cli.command("refresh-sla")
def refresh_sla_command() -> None:
    """Recompute the SLA columns the triage queue sorts and filters on (after changing SLA_TARGETS or
    SLA_WARNING_FRACTION in the configuration)."""
    changed = sla_columns.refresh_all()
    db.session.commit()
    click.echo(f"SLA columns: {changed} requests updated.")
