"""The backup reads every table inside one transaction: a write committed by someone else while the backup runs
is not seen halfway (PostgreSQL: REPEATABLE READ snapshot; SQLite: the read transaction holds writers off)."""
import sqlite3

import pytest
import sqlalchemy as sa

from expertnet.backup.snapshot import snapshot_connection
from expertnet.extensions import db
from expertnet.taxonomy.models import Topic
from tests.conftest import POSTGRES_URL

TOPICS = sa.text("SELECT count(*) FROM topic")


def add_topic_elsewhere(app, slug: str) -> None:
    """Commit a row through a connection of its own, as another worker would."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(Topic.__table__).values(
                slug=slug, labels={}, descriptions={}, synonyms={}, position=0, is_active=True,
                created_at=sa.func.now(), updated_at=sa.func.now()))
    finally:
        engine.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")
def test_postgresql_snapshot_does_not_see_writes_committed_after_it_began(app):
    with snapshot_connection() as snapshot:
        before = snapshot.execute(TOPICS).scalar_one()
        add_topic_elsewhere(app, "written-during-backup")
        assert snapshot.execute(TOPICS).scalar_one() == before
    assert db.session.execute(TOPICS).scalar_one() == before + 1


@pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite behaviour")
def test_sqlite_snapshot_is_one_read_transaction_that_writers_wait_for(app):
    path = db.engine.url.database
    with snapshot_connection() as snapshot:
        before = snapshot.execute(TOPICS).scalar_one()
        writer = sqlite3.connect(path, timeout=0.1)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            writer.execute("INSERT INTO topic (slug, labels, descriptions, synonyms, position, is_active, created_at,"
                           " updated_at) VALUES ('x', '{}', '{}', '{}', 0, 1, '2026-01-01', '2026-01-01')")
            writer.commit()
        writer.close()
        assert snapshot.execute(TOPICS).scalar_one() == before
