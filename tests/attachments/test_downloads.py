"""Downloads: always an attachment with a name no browser renders as a page, and a lost file is 410, not 500."""
import io

import pytest
import sqlalchemy as sa
from werkzeug.http import parse_options_header

from expertnet.attachments import services
from expertnet.attachments.models import Attachment
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.attachments.test_storage import PDF_BYTES
from tests.requests.factories import make_request

# Valid PDF magic, and a page to a browser that is told it is HTML.
POLYGLOT = PDF_BYTES + b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def member_client(client, auth, users):
    auth.login(users["member"])
    return client


@pytest.fixture
def draft(users):
    return make_request(users["member"], S.DRAFT)


def upload(client, assistance_request, data: bytes, name: str):
    response = client.post(f"/requests/{assistance_request.id}/attachments",
                           data={"file": (io.BytesIO(data), name), "tlp": "TLP:AMBER"},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return db.session.scalar(sa.select(Attachment).order_by(Attachment.id.desc()))


def download(client, attachment):
    return client.get(f"/requests/{attachment.request_id}/attachments/{attachment.id}")


def download_disposition(response) -> tuple[str, str]:
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    return kind, options["filename"]


@pytest.mark.parametrize("name", ["page.html", "PAGE.HTM", "drawing.svg", "doc.xhtml", "run.js", "a.pdf.html"])
def test_an_active_content_name_is_downloaded_as_opaque_text(member_client, draft, name):
    response = download(member_client, upload(member_client, draft, POLYGLOT, name))
    assert response.status_code == 200 and response.data == POLYGLOT
    assert download_disposition(response) == ("attachment", f"{name}.txt")
    assert response.mimetype == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_ordinary_name_keeps_its_name_and_type(member_client, draft):
    response = download(member_client, upload(member_client, draft, PDF_BYTES, "plan.pdf"))
    assert download_disposition(response) == ("attachment", "plan.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_row_whose_file_is_missing_is_gone_not_a_server_error(app, member_client, draft):
    attachment = upload(member_client, draft, PDF_BYTES, "plan.pdf")
    services.storage_path(attachment.storage_key).unlink()
    assert download(member_client, attachment).status_code == 410


def test_deleting_through_the_page_removes_the_file_after_the_commit(app, member_client, draft):
    attachment = upload(member_client, draft, PDF_BYTES, "plan.pdf")
    path = services.storage_path(attachment.storage_key)
    response = member_client.post(f"/requests/{draft.id}/attachments/{attachment.id}/delete")
    assert response.status_code == 302
    assert not path.exists()
    assert member_client.post(f"/requests/{draft.id}/attachments/{attachment.id}/delete").status_code == 404
