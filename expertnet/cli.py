"""flask commands. Each calls services and commits once."""
import json
import logging
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from expertnet.extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(taxonomy_group)
    app.cli.add_command(translations_group)
    app.cli.add_command(mail_group)
    app.cli.add_command(jobs_group)
    app.cli.add_command(api_group)
    register_data_lifecycle_commands(app)
    register_matching_commands(app)


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="At least 12 characters; prompted for when not given.")
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an administrator account."""
    from expertnet.accounts.models import Role
    from expertnet.accounts.services import AccountError, create_user

    try:
        create_user(email, full_name, Role.ADMIN, password)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Administrator {email} created.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill an empty database with a realistic demo network and print the demo sign-ins."""
    from expertnet.demo.credentials import DEMO_PASSWORD, demo_sign_ins
    from expertnet.demo.seed import seed_demo_network

    created = seed_demo_network()
    db.session.commit()
    click.echo("Demo network created." if created else "Demo data already present; nothing changed.")
    click.echo(f"Sign in at the address below with any of these accounts; the password is {DEMO_PASSWORD}")
    for role, email in demo_sign_ins():
        click.echo(f"  {role:<12} {email}")
    if current_app.config["MAIL_BACKEND"] == "log":
        click.echo("The demo's e-mail (invitations and their links): sign in as the admin and open "
                   "/admin/outbox?show=all; the job worker also prints each message it delivers.")


taxonomy_group = AppGroup("taxonomy", help="The expertise taxonomy.")


@taxonomy_group.command("load")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A topics JSON file; the bundled taxonomy when omitted.")
def taxonomy_load(path: Path | None) -> None:
    """Insert or update the taxonomy topics."""
    from expertnet.taxonomy.services import load_bundled_topics, load_topics

    try:
        created, updated = load_topics(json.loads(path.read_text("utf-8"))) if path else load_bundled_topics()
    except (ValueError, KeyError, TypeError) as exc:
        db.session.rollback()
        raise click.ClickException(f"the file is not a valid topics list: {exc}") from exc
    db.session.commit()
    click.echo(f"Taxonomy loaded: {created} created, {updated} updated.")


translations_group = AppGroup("translations", help="The translation catalogues.")


@translations_group.command("compile")
def translations_compile() -> None:
    """Compile every feature's catalogue (.po to .mo)."""
    from expertnet.i18n import compile_catalogues

    click.echo(f"{compile_catalogues()} catalogues compiled.")


@translations_group.command("missing")
@click.option("--locale", default="ar")
def translations_missing(locale: str) -> None:
    """List user-facing strings that have no translation; exits 1 when there are any."""
    from expertnet.i18n import missing_translations

    missing = missing_translations(locale)
    for msgid, where in sorted(missing.items(), key=lambda item: item[1]):
        click.echo(f"{where}\t{msgid!r}")
    sys.exit(1 if missing else 0)


mail_group = AppGroup("mail", help="Outgoing e-mail.")


@mail_group.command("deliver")
def mail_deliver() -> None:
    """Send the due messages (retries that came due too); suitable for cron. Exits 0 when some merely failed:
    they are retried later or, after the last attempt, listed on the admin outbox page."""
    from expertnet.notifications.services import deliver_queued

    sent, failed = deliver_queued(limit=10_000)
    click.echo(f"{sent} sent, {failed} failed (retried later, or listed at /admin/outbox after the last attempt).")


api_group = AppGroup("api", help="The JSON API (/api/v1/).")


def _token_options(default_scope: str, token: str):
    """--scope and --expires-days, as every command that issues a token takes them."""
    def add(command):
        command = click.option("--expires-days", type=click.IntRange(min=1, max=3650), default=None,
                               help=f"Days until {token} stops working; never when omitted.")(command)
        return click.option("--scope", type=click.Choice(["read", "write"]), default=default_scope,
                            show_default=True)(command)
    return add


@api_group.command("create-token")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, as shown on the user's settings page.")
@_token_options("read", "the token")
def api_create_token(email: str, name: str, scope: str, expires_days: int | None) -> None:
    """Create a personal API token for the user with EMAIL and print its secret (shown this once only)."""
    from expertnet.accounts.api_tokens import Scope, create_token

    user = _active_user(email)
    click.echo(_secret_of(lambda: create_token(user, name, Scope(scope), _expiry(expires_days))[1]))


@api_group.command("create-service-account")
@click.argument("member_email")
@click.option("--name", required=True, help="The system's name: it names the account and its first token.")
@_token_options("write", "the first token")
def api_create_service_account(member_email: str, name: str, scope: str, expires_days: int | None) -> None:
    """Create a service account of the organisation of the member with MEMBER_EMAIL (audited as that member's
    act, as on their Settings -> Service accounts page) and print its first token's secret (shown this once)."""
    from expertnet.accounts.api_tokens import Scope
    from expertnet.accounts.service_accounts import create_account

    member = _active_user(member_email)
    click.echo(_secret_of(lambda: create_account(member, name, Scope(scope), _expiry(expires_days))[2]))


def _active_user(email: str):
    import sqlalchemy as sa

    from expertnet.accounts.models import User
    from expertnet.accounts.services import normalise_email

    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        raise click.ClickException(f"No active user with the e-mail {email}.")
    return user


def _expiry(days: int | None):
    from datetime import timedelta

    from expertnet.db import utcnow

    return utcnow() + timedelta(days=days) if days else None


def _secret_of(make) -> str:
    """The secret `make()` returns, committed; a refusal is the command's error message."""
    from expertnet.service_errors import ServiceError

    try:
        secret = make()
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    return secret


jobs_group = AppGroup("jobs", help="The background job engine (Huey).")


@jobs_group.command("worker")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker threads; JOBS_WORKERS (2) when omitted.")
@click.option("--periodic/--no-periodic", default=True,
              help="Also run the scheduler of periodic tasks (keep it on one worker machine at least).")
def jobs_worker(workers: int | None, periodic: bool) -> None:
    """Run the job consumer: mail delivery, the minutely mail sweep, hourly invitation expiry, daily digest."""
    engine = current_app.extensions["jobs"]
    if engine.huey.immediate:
        raise click.ClickException("JOBS_URL is 'immediate': tasks run where they are enqueued; no worker needed.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    engine.consumer(workers or current_app.config["JOBS_WORKERS"], periodic=periodic).run()


# ---- data lifecycle: backup, restore, retention ----
def register_data_lifecycle_commands(app: Flask) -> None:
    from expertnet.backup.commands import backup_command, restore_command
    from expertnet.retention.commands import purge_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(purge_command)


# ---- the matcher learning from coordinators' decisions
def register_matching_commands(app: Flask) -> None:
    from expertnet.matching_history.commands import matching_group

    app.cli.add_command(matching_group)
