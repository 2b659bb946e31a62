"""Storing and serving attachments.

Files are typed by their content, never by their name (an executable renamed `.pdf` is refused), limited
to UPLOAD_MAX_BYTES, and kept under UPLOAD_FOLDER (outside the static folder) under random keys; the
original name is only metadata. They leave only through a checked download view.
"""
import hashlib
import os
import secrets
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import filetype
import sqlalchemy as sa
from flask import current_app

from expertnet.attachments.models import Attachment
from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.requests.models import Tlp

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ALLOWED_TYPES = {PDF, DOCX, XLSX, PPTX, "application/msword", "application/vnd.ms-excel",
                 "application/vnd.ms-powerpoint", "image/png", "image/jpeg"}
# Office Open XML files are zip containers; the part folder inside says which kind.
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt compound files
CHUNK = 64 * 1024


class AttachmentError(Exception):
    """An upload refused: `.code` is `empty`, `too_large` or `type_not_allowed`."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


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


def store_attachment(actor, assistance_request, upload, tlp: Tlp, engagement_id: int | None = None) -> Attachment:
    """Check and store `upload` (a werkzeug FileStorage); on any refusal nothing is left on disk or in the DB."""
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
    finally:
        temp_path.unlink(missing_ok=True)
    attachment = Attachment(request_id=assistance_request.id, engagement_id=engagement_id, uploaded_by_id=actor.id,
                            filename=clean_filename(upload.filename), content_type=content_type, size_bytes=size,
                            sha256=sha256, storage_key=key, tlp=Tlp(tlp))
    db.session.add(attachment)
    db.session.flush()
    record("attachment.uploaded", actor, attachment, request_id=assistance_request.id, filename=attachment.filename,
           size_bytes=size, content_type=content_type, tlp=attachment.tlp.value)
    return attachment


def remove_attachment(actor, attachment: Attachment) -> None:
    """Delete the row now; the file goes once the caller's transaction has committed (see purge_orphans)."""
    record("attachment.removed", actor, attachment, request_id=attachment.request_id, filename=attachment.filename)
    db.session.delete(attachment)
    db.session.flush()


def purge_orphans() -> int:
    """Remove stored files no row points at (after removals, or a crash between write and commit)."""
    root = _storage_root()
    if not root.exists():
        return 0
    known = set(db.session.scalars(sa.select(Attachment.storage_key)))
    removed = 0
    for path in root.glob("*/*"):
        if path.is_file() and path.name not in known:
            path.unlink()
            removed += 1
    return removed


def open_for_download(actor, attachment: Attachment) -> Path:
    """The stored file's path, with the download audited; the caller has checked the actor may read it."""
    record("attachment.downloaded", actor, attachment, request_id=attachment.request_id, filename=attachment.filename)
    return storage_path(attachment.storage_key)
