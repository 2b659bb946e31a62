"""`flask backup` and `flask restore`."""
import sys
from pathlib import Path

import click

from expertnet.backup.archive import BackupError

NOT_EMPTY_EXIT_CODE = 2


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Archive path; instance/backups/expertnet-<UTC time>.tar.gz when omitted.")
def backup_command(output: Path | None) -> None:
    """Write a consistent snapshot of the database and the uploaded files to one tar.gz archive."""
    from expertnet.backup.create import create_backup

    try:
        path, manifest = create_backup(output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    click.echo(f"Backup written to {path}: {len(manifest['tables'])} tables, {rows} rows, "
               f"{len(manifest['files'])} files, revision {manifest['alembic_revision']}.")
    if manifest["missing_files"]:
        click.echo(f"Warning: {len(manifest['missing_files'])} attachments have no file in the upload folder "
                   f"(listed in the manifest as missing_files): {', '.join(manifest['missing_files'][:5])}", err=True)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Restore a backup into an EMPTY instance (new database, empty upload folder)."""
    from expertnet.backup.restore import TargetNotEmpty, restore_backup

    try:
        result = restore_backup(path)
    except TargetNotEmpty as exc:
        click.echo(f"Refused: {exc}. Nothing was changed.", err=True)
        sys.exit(NOT_EMPTY_EXIT_CODE)
    except BackupError as exc:
        raise click.ClickException(f"{exc}. Nothing was restored.") from exc
    click.echo(f"Restored {result.rows} rows and {result.files} files at revision {result.revision}. "
               "Run `flask db upgrade` if this version of the application is newer than the backup.")
