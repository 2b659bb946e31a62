"""Storing and serving attachments.

Files are typed by their content, never by their name (an executable renamed `.pdf` is refused), limited
to UPLOAD_MAX_BYTES, and kept under UPLOAD_FOLDER (outside the static folder) under random keys; the
original name is only metadata. They leave only through a checked download view.

A file and its row change together with the transaction: a file is written under a new unique key before
its row is committed, and removed only after the commit that deleted its row (SQLAlchemy's after_commit
for that session). A rollback removes nothing but the files written in that transaction, whose rows never
existed for anyone else. So parallel uploads and removals on one request never lose a committed file.
"""
import hashlib
import os
import secrets
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import filetype
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.exceptions import Gone

from expertnet.attachments.models import Attachment
from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.sensitivity import Tlp
from expertnet.service_errors import ServiceError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ALLOWED_TYPES = {PDF, DOCX, XLSX, PPTX, "application/msword", "application/vnd.ms-excel",
                 "application/vnd.ms-powerpoint", "image/png", "image/jpeg"}
# What the file input offers (a convenience for the chooser: the content decides, see sniff_content_type) and says.
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.png,.jpg,.jpeg"
UPLOAD_HINT = _l("PDF, Word, Excel, PowerPoint, PNG or JPEG, up to 20 MB.")
# Office Open XML files are zip containers; the part folder inside says which kind.
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt compound files
CHUNK = 64 * 1024
PENDING_FILES = "expertnet.attachments.pending_files"  # session.info key: {transaction: PendingFiles}


class AttachmentError(ServiceError):
    """An upload refused: `.code` is `empty`, `too_large` (413) or `type_not_allowed`; the page shows it on
    the file field with a 400."""

    http_status = 400
    messages = {
        "empty": _l("The file is empty."),
        "too_large": _l("The file is larger than 20 MB; nothing was stored."),
        "type_not_allowed": _l("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files are accepted, judged by their "
                               "content; nothing was stored."),
    }

    def __init__(self, code: str):
        super().__init__(code, http_status=413 if code == "too_large" else None)


def attachments_of(assistance_request, engagement_id: int | None = None) -> list[Attachment]:
    query = sa.select(Attachment).where(Attachment.request_id == assistance_request.id)
    if engagement_id is not None:
        query = query.where(Attachment.engagement_id == engagement_id)
    return list(db.session.scalars(query.order_by(Attachment.created_at, Attachment.id)))


def _storage_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def storage_path(storage_key: str) -> Path:
    # Two-level fan-out keeps directories small; the key is random hex, so it cannot escape the root.
    return _storage_root() / storage_key[:2] / storage_key


def clean_filename(name: str) -> str:
    """Only the last path part, without control characters; Arabic and other scripts are kept."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return (name or "attachment")[:255]


def _copy_limited(stream, destination, limit: int) -> tuple[int, str]:
    """Copy at most `limit` bytes; raise too_large as soon as one more byte arrives."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise AttachmentError("too_large")
        digest.update(chunk)
        destination.write(chunk)
    if size == 0:
        raise AttachmentError("empty")
    return size, digest.hexdigest()


def sniff_content_type(path: Path) -> str | None:
    """The allowed type the bytes really are, or None."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in (DOCX, XLSX, PPTX, "application/zip"):
        mime = _ooxml_type(path)
    elif mime is None and head.startswith(OLE_MAGIC):
        mime = "application/msword"  # an OLE container filetype could not name more precisely
    return mime if mime in ALLOWED_TYPES else None


def _ooxml_type(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, mime in OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return mime
    return None


@dataclass(frozen=True)
class StoredUpload:
    """A checked upload written under its random key: what a row describing it records."""
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    storage_key: str


def store_upload(upload) -> StoredUpload:
    """Check `upload` (a werkzeug FileStorage: size, content type judged by its bytes) and store it under a new
    random key, removed again if the caller's transaction rolls back. Any refusal leaves nothing on disk.
    Shared by every feature that keeps files (request attachments, event materials, hub files)."""
    root = _storage_root()
    root.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    temp_path = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as destination:
            size, sha256 = _copy_limited(upload.stream, destination, current_app.config["UPLOAD_MAX_BYTES"])
        content_type = sniff_content_type(temp_path)
        if content_type is None:
            raise AttachmentError("type_not_allowed")
        key = secrets.token_hex(24)
        final_path = storage_path(key)
        final_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp_path, final_path)
        _pending(db.session()).written.append(final_path)
    finally:
        temp_path.unlink(missing_ok=True)
    return StoredUpload(clean_filename(upload.filename), content_type, size, sha256, key)


def remove_stored_file_on_commit(storage_key: str) -> None:
    """The file of a row deleted in this transaction goes once the transaction commits."""
    _pending(db.session()).remove_on_commit.append(storage_path(storage_key))


def store_attachment(actor, assistance_request, upload, tlp: Tlp, engagement_id: int | None = None) -> Attachment:
    """Check and store `upload` (a werkzeug FileStorage); on any refusal nothing is left on disk or in the DB."""
    stored = store_upload(upload)
    attachment = Attachment(request_id=assistance_request.id, engagement_id=engagement_id, uploaded_by_id=actor.id,
                            filename=stored.filename, content_type=stored.content_type, size_bytes=stored.size_bytes,
                            sha256=stored.sha256, storage_key=stored.storage_key, tlp=Tlp(tlp))
    db.session.add(attachment)
    db.session.flush()
    record("attachment.uploaded", actor, attachment, request_id=assistance_request.id, filename=attachment.filename,
           size_bytes=stored.size_bytes, content_type=stored.content_type, tlp=attachment.tlp.value)
    return attachment


def remove_attachment(actor, attachment: Attachment) -> None:
    """Delete the row now; its file goes once the caller's transaction has committed. Removing an
    attachment that a parallel request has just removed is not an error: there is nothing left to do."""
    # A DELETE's result is a CursorResult, which has rowcount; SQLAlchemy types execute() as a plain Result.
    removed = db.session.execute(sa.delete(Attachment).where(Attachment.id == attachment.id)
                                 .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    if removed:
        record("attachment.removed", actor, attachment, request_id=attachment.request_id,
               filename=attachment.filename)
        remove_stored_file_on_commit(attachment.storage_key)
    db.session.expunge(attachment)
    db.session.flush()


@dataclass
class PendingFiles:
    """What a transaction did to stored files: removals wait for its commit, new files for its rollback."""
    remove_on_commit: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _innermost(session: Session) -> SessionTransaction:
    return session.get_nested_transaction() or session.get_transaction() or session.begin()


def _pending(session: Session, transaction: SessionTransaction | None = None) -> PendingFiles:
    by_transaction = session.info.setdefault(PENDING_FILES, {})
    return by_transaction.setdefault(transaction or _innermost(session), PendingFiles())


def _ended(session: Session) -> list[PendingFiles]:
    """The pending files of the transaction ending now: a savepoint's own, or, for the outermost
    transaction, all of them."""
    by_transaction = session.info.get(PENDING_FILES, {})
    transaction = _innermost(session)
    if transaction.nested:
        return [by_transaction.pop(transaction)] if transaction in by_transaction else []
    session.info.pop(PENDING_FILES, None)
    return list(by_transaction.values())


@sa.event.listens_for(Session, "after_commit")
def _remove_files_orphaned_by_the_commit(session: Session) -> None:
    transaction = _innermost(session)
    for pending in _ended(session):
        if transaction.nested:  # a savepoint: its files now depend on the enclosing transaction
            enclosing = _pending(session, transaction.parent)
            enclosing.remove_on_commit += pending.remove_on_commit
            enclosing.written += pending.written
        else:
            for path in pending.remove_on_commit:
                path.unlink(missing_ok=True)


@sa.event.listens_for(Session, "after_rollback")
def _remove_files_of_rolled_back_rows(session: Session) -> None:
    # The removed rows are back, so their files stay; the new rows never existed, so their files go.
    for pending in _ended(session):
        for path in pending.written:
            path.unlink(missing_ok=True)


def stored_path(storage_key: str) -> Path:
    """A stored file's path; a row whose file is missing is 410 Gone."""
    path = storage_path(storage_key)
    if not path.is_file():  # lost outside the application (a restore, a disk): say so, do not fail
        raise Gone()
    return path


def open_for_download(actor, attachment: Attachment) -> Path:
    """The stored file's path, with the download audited; the caller has checked the actor may read it.
    A row whose file is missing is 410 Gone."""
    path = stored_path(attachment.storage_key)
    record("attachment.downloaded", actor, attachment, request_id=attachment.request_id, filename=attachment.filename)
    return path
