"""Moving from SQLite to PostgreSQL: a backup taken on SQLite restores into PostgreSQL with every row equal."""
import pytest
from flask_migrate import upgrade

from expertnet.accounts.models import OrganisationKind, Role
from expertnet.app import create_app
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus
from tests.backup.conftest import attach_file
from tests.backup.test_backup_restore import back_up, restore, table_contents, upload_files
from tests.conftest import POSTGRES_URL, base_config, make_organisation, make_user
from tests.requests.factories import make_request

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture
def sqlite_source(tmp_path):
    source_dir = tmp_path / "sqlite-source"
    source_dir.mkdir()
    app = create_app(base_config(f"sqlite:///{source_dir / 'source.sqlite3'}", source_dir))
    with app.app_context():
        upgrade()
        member = make_user(Role.MEMBER, make_organisation("Sqlite Agency", "JO", OrganisationKind.CUSTOMS_BORDER))
        attach_file(make_request(member, RequestStatus.SUBMITTED, make_user(Role.COORDINATOR)))
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_sqlite_backup_restores_into_postgresql(sqlite_source, target_app, tmp_path):
    with sqlite_source.app_context():
        archive = back_up(sqlite_source, tmp_path)
    source_rows = table_contents(sqlite_source)

    result = restore(target_app, archive)

    assert result.exit_code == 0, result.output
    restored = table_contents(target_app)
    restored["audit_event"] = [row for row in restored["audit_event"] if row["action"] != "system.restored"]
    assert restored == source_rows
    assert upload_files(target_app) == upload_files(sqlite_source)
