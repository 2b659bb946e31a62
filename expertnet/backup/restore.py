"""`flask restore`: into an empty instance only, every checksum verified before anything is written, all rows in
one transaction, files put in place inside it and taken away again if it fails."""
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from flask import current_app
from flask_migrate import upgrade

from expertnet.backup.archive import (CHUNK, FORMAT_VERSION, MANIFEST, BackupError, safe_relative, table_member,
                                      upload_member)
from expertnet.backup.rows import data_tables, parents_first, row_from_line
from expertnet.db import utcnow
from expertnet.extensions import db

INSERT_BATCH = 500


class TargetNotEmpty(BackupError):
    """The instance already holds data; restoring would mix two histories."""


@dataclass
class RestoreResult:
    revision: str
    rows: int
    files: int


def restore_backup(path: Path) -> RestoreResult:
    upload_root = Path(current_app.config["UPLOAD_FOLDER"])
    with _open_archive(path) as tar:
        manifest = _read_manifest(tar)
        db.session.remove()  # restore works on connections of its own
        _require_known_revision(manifest["alembic_revision"])
        refuse_unless_empty(upload_root, manifest["alembic_revision"])
        upload_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=upload_root.parent, prefix=".restore-"))
        try:
            _extract_verified(tar, manifest, staging)
            upgrade(revision=manifest["alembic_revision"])
            _load(manifest, staging, upload_root, archive_name=Path(path).name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(manifest["alembic_revision"], sum(t["rows"] for t in manifest["tables"].values()),
                         len(manifest["files"]))


def _open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{path} is not a readable backup archive ({exc})") from exc


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError, tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"the archive has no readable manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unsupported backup format (expected {FORMAT_VERSION})")
    if not all(isinstance(manifest.get(key), want) for key, want in
               (("alembic_revision", str), ("tables", dict), ("files", dict))):
        raise BackupError("the manifest is incomplete")
    entries = list(manifest["tables"].values()) + list(manifest["files"].values())
    if not all(isinstance(e, dict) and isinstance(e.get("sha256"), str) for e in entries) or not all(
            isinstance(e.get("rows"), int) for e in manifest["tables"].values()):
        raise BackupError("the manifest is incomplete")
    return manifest


def _require_known_revision(revision: str) -> None:
    scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    try:
        known = scripts.get_revision(revision) is not None
    except AlembicError:
        known = False
    if not known:
        raise BackupError(f"the backup is at schema revision {revision}, which this version of the application "
                          "does not know: restore it with the version that made it")


def refuse_unless_empty(upload_root: Path, revision: str) -> None:
    with db.engine.connect() as connection:
        inspector = sa.inspect(connection)
        for table in data_tables(connection):
            if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                raise TargetNotEmpty(f"the database is not empty (table {table.name} has rows)")
        current = _current_revision(connection, inspector)
    if current not in (None, revision):
        raise TargetNotEmpty(f"the database schema is at revision {current}, the backup at {revision}: "
                             "restore into a new, empty database")
    if upload_root.exists() and any(path.is_file() for path in upload_root.rglob("*")):
        raise TargetNotEmpty(f"the upload folder {upload_root} is not empty")


def _current_revision(connection, inspector) -> str | None:
    if not inspector.has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _extract_verified(tar: tarfile.TarFile, manifest: dict, staging: Path) -> None:
    """Copy every member the manifest names into `staging`, refusing the archive on any mismatch.

    Members are read in archive order: a gzip stream only reads forward cheaply."""
    expected = {table_member(name): entry["sha256"] for name, entry in manifest["tables"].items()}
    expected |= {upload_member(str(safe_relative(name))): entry["sha256"] for name, entry in manifest["files"].items()}
    try:
        for member in tar:
            if member.name in expected and member.isfile():
                target = staging / safe_relative(member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                if _copy_member(tar.extractfile(member), target) != expected.pop(member.name):
                    raise BackupError(f"checksum mismatch for {member.name}: the archive is damaged")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"the archive cannot be read: it is damaged ({exc})") from exc
    if expected:
        raise BackupError(f"{sorted(expected)[0]} is listed in the manifest but missing from the archive")


def _copy_member(source, target: Path) -> str:
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _load(manifest: dict, staging: Path, upload_root: Path, archive_name: str) -> None:
    placed: list[Path] = []
    try:
        with db.engine.begin() as connection:
            tables = {table.name: table for table in data_tables(connection)}
            for name in manifest["tables"]:
                if name not in tables:
                    raise BackupError(f"table {name} is not in the schema at revision {manifest['alembic_revision']}")
            for table in tables.values():  # foreign-key order
                if table.name in manifest["tables"]:
                    _insert_rows(connection, table, staging / table_member(table.name),
                                 manifest["tables"][table.name]["rows"])
            _reset_sequences(connection, tables.values())
            _record_restore(connection, tables["audit_event"], manifest, archive_name)
            _place_files(manifest, staging, upload_root, placed)
    except BaseException as exc:
        for path in placed:
            path.unlink(missing_ok=True)
        if isinstance(exc, (ValueError, sa.exc.DBAPIError)):  # rows that do not fit the schema
            raise BackupError(f"the backup's rows cannot be inserted ({exc.__class__.__name__}: "
                              f"{str(exc).splitlines()[0]})") from exc
        raise


def _insert_rows(connection, table: sa.Table, source: Path, expected_count: int) -> None:
    with open(source, encoding="utf-8") as lines:
        rows = [row_from_line(table, line) for line in lines if line.strip()]
    if len(rows) != expected_count:
        raise BackupError(f"{table.name}: {len(rows)} rows in the archive, the manifest says {expected_count}")
    rows = parents_first(table, rows)
    for start in range(0, len(rows), INSERT_BATCH):
        connection.execute(table.insert(), rows[start:start + INSERT_BATCH])


def _reset_sequences(connection, tables) -> None:
    """PostgreSQL sequences do not see explicit ids: move each past the restored maximum."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) == 1 and isinstance(columns[0].type, sa.Integer):
            column = columns[0].name
            connection.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE(MAX({quote(column)}), 0) + 1, false)"
                f" FROM {quote(table.name)}"), {"table": table.name, "column": column})


def _record_restore(connection, audit_table: sa.Table, manifest: dict, archive_name: str) -> None:
    # The audit model refuses rewrites through the ORM; this is an insert, the first event of the new history.
    connection.execute(audit_table.insert().values(
        occurred_at=utcnow(), action="system.restored", details={
            "archive": archive_name, "backup_created_at": manifest.get("created_at"),
            "alembic_revision": manifest["alembic_revision"]}))


def _place_files(manifest: dict, staging: Path, upload_root: Path, placed: list[Path]) -> None:
    """Move the verified files into the upload folder, noting each in `placed` so a failure can undo it."""
    for name in manifest["files"]:
        target = upload_root / safe_relative(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / upload_member(name), target)
        placed.append(target)
