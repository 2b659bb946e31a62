"""The committed migrations build exactly the models' schema, and unwind to nothing."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from expertnet.app import create_app
from expertnet.extensions import db
from tests.conftest import POSTGRES_URL, base_config


def _fresh_app(tmp_path):
    url = POSTGRES_URL or f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    return create_app(base_config(url, tmp_path))


def _schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_one_head(app):
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    assert len(script.get_heads()) == 1


def test_upgrade_from_empty_matches_the_models_and_downgrade_works(tmp_path, app):
    # `app` already migrated this database (SQLite copy or the PostgreSQL test database);
    # start from nothing to test the whole chain.
    db.session.remove()
    fresh = _fresh_app(tmp_path)
    with fresh.app_context():
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _schema_differences() == []
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # leave the database as the other tests expect it
        db.engine.dispose()
