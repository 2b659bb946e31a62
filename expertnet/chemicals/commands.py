"""`flask chemicals import FILE` and `flask chemicals seed`: the register from a file, all or nothing."""
from pathlib import Path

import click

from expertnet.chemicals import bp, files, services
from expertnet.extensions import db


def _report(result: services.ImportResult) -> None:
    click.echo(f"Substances: {result.created} created, {result.changed} changed, {result.unchanged} unchanged.")


def _import(entries: list[dict]) -> services.ImportResult:
    try:
        return services.import_substances(None, entries)
    except services.ImportRefused as refused:
        db.session.rollback()
        for row in refused.rows:
            for message in row.messages:
                click.echo(f"row {row.row}: {message}", err=True)
        raise click.ClickException(refused.message) from refused


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Import substances from a CSV or JSON file (the register's lists first); any invalid row refuses the file."""
    services.load_lists(files.bundled_lists())
    try:
        entries = files.read_entries(path.name, path.read_bytes())
    except files.UnreadableFile as error:
        raise click.ClickException(f"{path}: not a register CSV (with a cas column) or JSON list ({error}).") from error
    result = _import(entries)
    db.session.commit()
    _report(result)


@bp.cli.command("seed")
def seed_command() -> None:
    """Load the bundled lists and substances (CWC Schedules 1-3, EU 2019/1148 Annexes I-II, Australia Group)."""
    services.load_lists(files.bundled_lists())
    result = _import(files.bundled_substances())
    db.session.commit()
    _report(result)
