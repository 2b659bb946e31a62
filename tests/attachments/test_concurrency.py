"""15 uploads and 15 removals on one draft at the same moment, each its own HTTP client and database
connection: afterwards every row has its file and no removed file is left behind (PostgreSQL)."""
import io
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from expertnet.attachments import services
from expertnet.attachments.models import Attachment
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.attachments.test_storage import PDF_BYTES, Upload
from tests.conftest import PASSWORD, POSTGRES_URL
from tests.requests.factories import make_request

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXPERTNET_TEST_DATABASE_URL (PostgreSQL)")
EACH = 15


def signed_in_client(app, email) -> FlaskClient:
    """A client of its own: in its thread each request gets its own app context, session and connection."""
    client = FlaskClient(app, app.response_class, use_cookies=True)
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def stored_files(app) -> set[str]:
    return {path.name for path in Path(app.config["UPLOAD_FOLDER"]).glob("*/*") if path.is_file()}


def test_parallel_uploads_and_removals_lose_no_file(app, users):
    draft = make_request(users["member"], S.DRAFT)
    existing = [services.store_attachment(users["member"], draft, Upload(PDF_BYTES, f"old-{n}.pdf"), "TLP:AMBER")
                for n in range(EACH)]
    db.session.commit()
    removed_keys = {attachment.storage_key for attachment in existing}
    actions = ([("post", f"/requests/{draft.id}/attachments", n) for n in range(EACH)]
               + [("post", f"/requests/{draft.id}/attachments/{a.id}/delete", None) for a in existing])
    results, barrier, email = [], threading.Barrier(len(actions)), users["member"].email

    def act(path, upload_number):
        client = signed_in_client(app, email)
        data = ({"file": (io.BytesIO(PDF_BYTES), f"new-{upload_number}.pdf"), "tlp": "TLP:AMBER"}
                if upload_number is not None else {})
        barrier.wait()
        results.append(client.post(path, data=data, content_type="multipart/form-data").status_code)

    threads = [threading.Thread(target=act, args=(path, number)) for _, path, number in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [302] * len(actions)
    db.session.expire_all()
    keys = set(db.session.scalars(sa.select(Attachment.storage_key)))
    assert len(keys) == EACH and not keys & removed_keys
    assert stored_files(app) == keys  # every row has its file; no removed file left behind
