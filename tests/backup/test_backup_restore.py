"""`flask backup` then `flask restore` into a new empty instance gives back every row and every file; a non-empty
target or a damaged archive is refused with nothing written. Runs on SQLite and, with
EXPERTNET_TEST_DATABASE_URL, on PostgreSQL."""
import hashlib
import io
import json
import tarfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from expertnet.attachments.models import Attachment
from expertnet.attachments.services import storage_path
from expertnet.extensions import db
from expertnet.taxonomy.models import Topic


def table_contents(app) -> dict[str, list[dict]]:
    """Every table's rows, read through the application's models (types and all), in primary-key order."""
    with app.app_context():
        contents = {table.name: [row._asdict() for row in db.session.execute(
                        sa.select(table).order_by(*table.primary_key.columns))]
                    for table in db.metadata.sorted_tables}
        db.session.remove()
    return contents


def upload_files(app) -> dict[str, bytes]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()} \
        if root.exists() else {}


def back_up(app, tmp_path) -> Path:
    archive = tmp_path / "backups" / "snapshot.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    return archive


def restore(app, archive: Path):
    # The CLI runner reuses whatever app context is current, so push the target's own.
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["restore", str(archive)])
        db.session.remove()
        db.engine.dispose()
    return result


def target_tables(app) -> set[str]:
    with app.app_context():
        names = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    return names


def test_restore_into_an_empty_instance_gives_back_every_row_and_file(app, demo_world, target_app, tmp_path):
    archive = back_up(app, tmp_path)
    source_rows, source_files = table_contents(app), upload_files(app)
    assert all(source_rows[name] for name in ("attachment", "engagement", "topic", "audit_event", "outbox_message"))
    assert source_files  # the demo's agency files and findings, and the annex added above

    result = restore(target_app, archive)

    assert result.exit_code == 0, result.output
    restored = table_contents(target_app)
    restore_events = [row for row in restored["audit_event"] if row["action"] == "system.restored"]
    assert len(restore_events) == 1
    restored["audit_event"] = [row for row in restored["audit_event"] if row["action"] != "system.restored"]
    for table, rows in source_rows.items():
        assert restored[table] == rows, table
    assert upload_files(target_app) == source_files


def test_the_restored_instance_keeps_working_new_rows_get_fresh_ids(app, demo_world, target_app, tmp_path):
    """PostgreSQL sequences are moved past the restored ids, so the next insert does not collide."""
    archive = back_up(app, tmp_path)
    assert restore(target_app, archive).exit_code == 0
    with target_app.app_context():
        highest = db.session.scalar(sa.select(sa.func.max(Topic.id)))
        topic = Topic(slug="restored-instance-topic", labels={"en": "New"}, descriptions={}, position=999)
        # through the ORM, so the id comes from the database's own sequence
        db.session.add(topic)
        db.session.commit()
        assert topic.id > highest
        db.session.remove()


def test_the_manifest_describes_the_snapshot(app, world, tmp_path):
    archive = back_up(app, tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["format"] == 1 and manifest["alembic_revision"]
    assert manifest["tables"]["topic"]["rows"] == db.session.scalar(sa.select(sa.func.count(Topic.id)))
    assert {f"tables/{name}.jsonl" for name in manifest["tables"]} | {f"uploads/{name}" for name in manifest["files"]} \
        | {"manifest.json"} == names
    assert not [p for p in archive.parent.iterdir() if p != archive], "no temporary file left behind"
    assert archive.stat().st_mode & 0o777 == 0o600, "confidential: readable by its owner only"


def test_a_non_empty_database_is_refused_with_exit_code_2(app, world, tmp_path):
    archive = back_up(app, tmp_path)
    before = table_contents(app)
    result = restore(app, archive)
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert table_contents(app) == before


def test_a_non_empty_upload_folder_is_refused_with_exit_code_2(app, world, target_app, tmp_path):
    archive = back_up(app, tmp_path)
    stray = Path(target_app.config["UPLOAD_FOLDER"]) / "ab" / "left-over"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    result = restore(target_app, archive)
    assert result.exit_code == 2 and "upload folder" in result.output
    assert target_tables(target_app) <= {"alembic_version"}


def rewrite_archive(archive: Path, change) -> Path:
    """A copy of the archive with `change(name, data) -> data` applied to each member (manifest untouched)."""
    damaged = archive.with_name("damaged.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return damaged


def test_a_damaged_archive_is_refused_with_nothing_written(app, world, target_app, tmp_path):
    archive = back_up(app, tmp_path)
    damaged = rewrite_archive(archive, lambda name, data: data + b"tampered" if name.startswith("uploads/") else data)
    result = restore(target_app, damaged)
    assert result.exit_code == 1
    assert "checksum mismatch" in result.output
    assert target_tables(target_app) == set()
    assert upload_files(target_app) == {}


def test_a_failure_while_inserting_leaves_no_row_and_no_file(app, world, target_app, tmp_path):
    """The rows of every table go in one transaction: an error in the last table undoes the first ones."""
    archive = back_up(app, tmp_path)

    def miscount_last_table(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tables"]["milestone"]["rows"] += 1
        return json.dumps(manifest).encode()

    result = restore(target_app, rewrite_archive(archive, miscount_last_table))
    assert result.exit_code == 1 and "milestone" in result.output
    assert all(rows == [] for rows in table_contents(target_app).values())
    assert upload_files(target_app) == {}


def test_a_file_that_is_not_an_archive_is_refused_cleanly(target_app, tmp_path):
    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"hello")
    result = restore(target_app, bogus)
    assert result.exit_code == 1 and "not a readable backup archive" in result.output
    assert target_tables(target_app) == set()


def test_a_backup_from_an_unknown_schema_revision_is_refused(app, world, target_app, tmp_path):
    archive = back_up(app, tmp_path)

    def future_revision(name, data):
        if name != "manifest.json":
            return data
        return json.dumps(json.loads(data) | {"alembic_revision": "ffffffffffff"}).encode()

    result = restore(target_app, rewrite_archive(archive, future_revision))
    assert result.exit_code == 1 and "does not know" in result.output
    assert target_tables(target_app) == set()


def test_a_failed_backup_leaves_no_partial_file_and_the_previous_archive_intact(app, world, tmp_path):
    archive = back_up(app, tmp_path)
    previous = archive.read_bytes()
    db.session.execute(sa.text("ALTER TABLE alembic_version RENAME TO alembic_version_hidden"))
    db.session.commit()
    try:
        result = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    finally:
        db.session.execute(sa.text("ALTER TABLE alembic_version_hidden RENAME TO alembic_version"))
        db.session.commit()
    assert result.exit_code == 1 and "no migration revision" in result.output
    assert archive.read_bytes() == previous
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]


def test_rows_that_do_not_fit_the_schema_are_refused_with_nothing_restored(app, world, target_app, tmp_path):
    """A hand-edited archive whose checksums were recomputed still cannot break the database's rules."""
    archive = back_up(app, tmp_path)
    damaged = tmp_path / "edited.tar.gz"
    with tarfile.open(archive) as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers()}
    topics = members["tables/topic.jsonl"].decode().splitlines()
    members["tables/topic.jsonl"] = ("\n".join(topics + [topics[0]]) + "\n").encode()  # a duplicate primary key
    manifest = json.loads(members.pop("manifest.json"))
    manifest["tables"]["topic"] = {"rows": len(topics) + 1,
                                   "sha256": hashlib.sha256(members["tables/topic.jsonl"]).hexdigest()}
    with tarfile.open(damaged, "w:gz") as target:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))

    result = restore(target_app, damaged)

    assert result.exit_code == 1 and "cannot be inserted" in result.output
    assert all(rows == [] for rows in table_contents(target_app).values())
    assert upload_files(target_app) == {}


def test_an_attachment_whose_file_is_gone_is_reported_not_fatal(app, world, tmp_path):
    attachment = db.session.scalars(sa.select(Attachment)).one()
    storage_path(attachment.storage_key).unlink()
    archive = tmp_path / "backups" / "snapshot.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0 and "Warning: 1 attachments have no file" in result.output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["missing_files"] == [attachment.storage_key] and manifest["files"] == {}
