"""`flask purge`: a dry run unless --apply."""
import click

from expertnet.db import utcnow
from expertnet.extensions import db


@click.command("purge")
@click.option("--apply", "apply_changes", is_flag=True, help="Purge for real; without it nothing is changed.")
def purge_command(apply_changes: bool) -> None:
    """Anonymise closed, rejected and withdrawn requests and blank sent e-mail bodies past their retention."""
    from expertnet.retention.services import apply_purge, plan_purge

    now = utcnow()
    if not apply_changes:
        _report(plan_purge(now), "Dry run, nothing changed. Would purge")
        click.echo("Run with --apply to purge.")
        return
    plan = apply_purge(now)
    db.session.commit()
    _report(plan, "Purged")


def _report(plan, verb: str) -> None:
    click.echo(f"{verb}: {len(plan.requests)} requests (closed, rejected or withdrawn before "
               f"{plan.request_cutoff:%Y-%m-%d}) with {plan.messages} messages and {plan.attachments} attachments; "
               f"{plan.mail} sent e-mail bodies (sent before {plan.mail_cutoff:%Y-%m-%d}).")
    for assistance_request in plan.requests:
        click.echo(f"  {assistance_request.reference or assistance_request.id}\t{assistance_request.status.value}")
