"""The storage service: content sniffing, size limit, random keys outside static, nothing left on refusal."""
import io
import zipfile

import pytest
import sqlalchemy as sa

from expertnet.attachments import services
from expertnet.attachments.models import Attachment
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.requests.factories import make_request

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<doc/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


class Upload:
    def __init__(self, data: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(data), filename


def _stored_files(app):
    from pathlib import Path

    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def assistance_request(users):
    return make_request(users["member"], S.DRAFT)


@pytest.mark.parametrize("data,name,mime", [
    (PDF_BYTES, "plan.pdf", "application/pdf"), (PNG_BYTES, "photo.png", "image/png"),
    (JPEG_BYTES, "photo.jpg", "image/jpeg"), (OLE_BYTES, "old.doc", None),
    (ooxml("word/"), "report.docx", services.DOCX), (ooxml("xl/"), "sheet.xlsx", services.XLSX),
    (ooxml("ppt/"), "slides.pptx", services.PPTX)])
def test_allowed_types_are_stored(app, users, assistance_request, data, name, mime):
    attachment = services.store_attachment(users["member"], assistance_request, Upload(data, name), "TLP:AMBER")
    db.session.commit()
    assert attachment.content_type in services.ALLOWED_TYPES
    if mime:
        assert attachment.content_type == mime
    path = services.storage_path(attachment.storage_key)
    assert path.read_bytes() == data and name not in str(path)
    assert "static" not in str(path)


@pytest.mark.parametrize("data,name", [(EXE_BYTES, "invoice.pdf"), (ELF_BYTES, "report.docx"),
                                       (plain_zip(), "report.docx"), (b"<html><script>", "page.pdf"),
                                       (b"just text", "notes.png")])
def test_content_decides_not_the_name(app, users, assistance_request, data, name):
    with pytest.raises(services.AttachmentError) as refused:
        services.store_attachment(users["member"], assistance_request, Upload(data, name), "TLP:AMBER")
    assert refused.value.code == "type_not_allowed"
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
    assert _stored_files(app) == []


def test_size_limit(app, users, assistance_request):
    app.config["UPLOAD_MAX_BYTES"] = 1000
    with pytest.raises(services.AttachmentError) as refused:
        services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES + b"0" * 1000, "big.pdf"),
                                  "TLP:AMBER")
    assert refused.value.code == "too_large"
    assert _stored_files(app) == []
    with pytest.raises(services.AttachmentError):
        services.store_attachment(users["member"], assistance_request, Upload(b"", "empty.pdf"), "TLP:AMBER")


def test_filenames_are_cleaned():
    assert services.clean_filename("../../etc/passwd") == "passwd"
    assert services.clean_filename("C:\\temp\\خطة الاستجابة.pdf") == "خطة الاستجابة.pdf"
    assert services.clean_filename("a\x00b\n.pdf") == "ab.pdf"
    assert services.clean_filename("") == "attachment"


def test_a_removed_file_goes_only_when_the_removal_commits(app, users, assistance_request):
    attachment = services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "a.pdf"),
                                           "TLP:RED")
    db.session.commit()
    path = services.storage_path(attachment.storage_key)
    services.remove_attachment(users["member"], attachment)
    assert path.is_file()  # flushed, not committed: another transaction still sees the row
    db.session.commit()
    assert not path.exists() and _stored_files(app) == []


def test_a_rolled_back_removal_keeps_the_file(app, users, assistance_request):
    attachment = services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "a.pdf"),
                                           "TLP:RED")
    db.session.commit()
    attachment_id, path = attachment.id, services.storage_path(attachment.storage_key)
    services.remove_attachment(users["member"], attachment)
    db.session.rollback()
    db.session.commit()
    assert db.session.get(Attachment, attachment_id) is not None and path.read_bytes() == PDF_BYTES


def test_an_upload_rolled_back_leaves_no_file(app, users, assistance_request):
    services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "a.pdf"), "TLP:RED")
    assert len(_stored_files(app)) == 1
    db.session.rollback()
    assert _stored_files(app) == []


def test_an_upload_committed_keeps_its_file_through_later_rollbacks(app, users, assistance_request):
    attachment = services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "a.pdf"),
                                           "TLP:RED")
    db.session.commit()
    db.session.rollback()
    assert services.storage_path(attachment.storage_key).read_bytes() == PDF_BYTES


def test_removing_an_attachment_already_removed_is_a_no_op(app, users, assistance_request):
    attachment = services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "a.pdf"),
                                           "TLP:RED")
    db.session.commit()
    attachment_id = attachment.id
    db.session.execute(sa.delete(Attachment).where(Attachment.id == attachment_id))  # as a parallel removal
    services.remove_attachment(users["member"], attachment)
    db.session.commit()
    from expertnet.audit.models import AuditEvent
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "attachment.removed")) == 0


def test_savepoints_decide_nothing_about_files_until_the_transaction_ends(app, users, assistance_request):
    """A savepoint's commit is not the transaction's: a removal in it waits for the outer commit, and a
    savepoint rolled back drops only its own new files."""
    kept = services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "kept.pdf"), "TLP:RED")
    db.session.commit()
    kept_path = services.storage_path(kept.storage_key)
    before = services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "b.pdf"), "TLP:RED")
    with db.session.begin_nested():
        services.remove_attachment(users["member"], kept)
    assert kept_path.is_file()
    savepoint = db.session.begin_nested()
    inside = services.store_attachment(users["member"], assistance_request, Upload(PDF_BYTES, "i.pdf"), "TLP:RED")
    savepoint.rollback()
    assert not services.storage_path(inside.storage_key).exists()
    assert services.storage_path(before.storage_key).is_file()
    db.session.rollback()
    assert kept_path.read_bytes() == PDF_BYTES  # its removal was rolled back with the transaction
    assert _stored_files(app) == [kept_path]
