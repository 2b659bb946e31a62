"""A second, empty instance to restore into: its own database (a new SQLite file, or a new PostgreSQL database
in the test cluster) and its own upload folder."""
import io
import secrets
import uuid

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.accounts.models import User
from expertnet.app import create_app
from expertnet.attachments.services import store_attachment
from expertnet.extensions import db
from expertnet.requests.models import AssistanceRequest, RequestStatus
from expertnet.sensitivity import Tlp
from tests.conftest import POSTGRES_URL, base_config
from tests.requests.factories import make_request

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + secrets.token_bytes(64)


@pytest.fixture
def target_url(tmp_path):
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"expertnet_restore_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    yield sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture
def target_app(target_url, tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    app = create_app(base_config(target_url, target))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def attach_file(assistance_request) -> None:
    store_attachment(db.session.get(User, assistance_request.created_by_id), assistance_request,
                     FileStorage(io.BytesIO(PNG_BYTES), "site-plan.png"), Tlp.AMBER)
    db.session.commit()


@pytest.fixture
def demo_world(demo_network):
    """The demo network plus one uploaded annex, committed: every table has rows."""
    attach_file(db.session.scalars(sa.select(AssistanceRequest).order_by(AssistanceRequest.id)).first())


@pytest.fixture
def world(users):
    """A smaller world, quicker to build, for the refusals: the taxonomy, a submitted request and its annex."""
    attach_file(make_request(users["member"], RequestStatus.SUBMITTED, users["coordinator"]))
