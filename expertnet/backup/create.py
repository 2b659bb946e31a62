"""`flask backup`: the archive is written under a temporary name and renamed only once complete."""
import io
import json
import os
import tarfile
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from expertnet.attachments.services import storage_path
from expertnet.backup.archive import (FORMAT_VERSION, MANIFEST, BackupError, HashingReader, table_member,
                                      upload_member)
from expertnet.backup.rows import data_tables, primary_key_order, row_line
from expertnet.backup.snapshot import snapshot_connection


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def default_backup_path(now: datetime) -> Path:
    return Path(current_app.instance_path) / "backups" / f"expertnet-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def create_backup(output: Path | None = None) -> tuple[Path, dict]:
    """Write the archive; returns its path and manifest. A failure leaves `output` as it was."""
    now = datetime.now(timezone.utc)
    output = Path(output or default_backup_path(now))
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    os.close(handle)
    try:
        manifest = _write_archive(Path(partial), now)
        _flush_to_disk(Path(partial))  # so a crash cannot leave a renamed but incomplete archive
        os.replace(partial, output)
    finally:
        Path(partial).unlink(missing_ok=True)
    return output, manifest


def _flush_to_disk(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _write_archive(path: Path, now: datetime) -> dict:
    manifest = {"format": FORMAT_VERSION, "created_at": now.isoformat(), "tables": {}, "files": {}}
    with tarfile.open(path, "w:gz") as tar, snapshot_connection() as connection:
        manifest["dialect"] = connection.dialect.name
        manifest["alembic_revision"] = _revision(connection)
        tables = data_tables(connection)
        for table in tables:
            manifest["tables"][table.name] = _add_table(tar, connection, table)
        # Read while the snapshot is open, so the files are those of the rows' instant as closely as a
        # filesystem allows; attachments are written before their row commits and never changed in place.
        manifest["files"] = _add_uploads(tar)
        manifest["missing_files"] = _referenced_but_missing(connection, tables, manifest["files"])
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    return manifest


def _revision(connection) -> str:
    try:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    except sa.exc.SQLAlchemyError as exc:
        raise BackupError("the database has no migration revision: run `flask db upgrade` first") from exc


def _add_table(tar: tarfile.TarFile, connection, table: sa.Table) -> dict:
    buffer, count = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024), 0
    for row in connection.execute(sa.select(table).order_by(*primary_key_order(table))):
        buffer.write(row_line(row).encode() + b"\n")
        count += 1
    digest = _add_stream(tar, table_member(table.name), buffer)
    return {"rows": count, "sha256": digest}


def _add_uploads(tar: tarfile.TarFile) -> dict:
    root = upload_root()
    files = {}
    for path in sorted(root.rglob("*")) if root.exists() else []:
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not path.name.startswith("."):  # dot files are uploads still being written
            try:
                with open(path, "rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    files[relative] = _add_file(tar, upload_member(relative), handle, size)
            except FileNotFoundError:
                continue  # deleted since listed: its row is gone too, or is reported by _referenced_but_missing
    return files


def _referenced_but_missing(connection, tables: list[sa.Table], files: dict) -> list[str]:
    """Attachment rows of the snapshot whose file is not in the archive (removed meanwhile, or lost before)."""
    attachment = next((table for table in tables if table.name == "attachment"), None)
    if attachment is None:
        return []
    keys = connection.execute(sa.select(attachment.c.storage_key)).scalars()
    return sorted(key for key in keys if storage_path(key).relative_to(upload_root()).as_posix() not in files)


def _add_stream(tar: tarfile.TarFile, name: str, buffer) -> str:
    size = buffer.tell()
    buffer.seek(0)
    return _add_file(tar, name, buffer, size)["sha256"]


def _add_file(tar: tarfile.TarFile, name: str, handle, size: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = size, time.time()
    reader = HashingReader(handle)
    tar.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), time.time()
    tar.addfile(info, io.BytesIO(data))
