"""The archive layout shared by backup and restore.

    tables/<table>.jsonl   one JSON object per row, in primary-key order
    uploads/<path>         the upload folder's files, at their paths relative to UPLOAD_FOLDER
    manifest.json          format, alembic revision, creation time, per-table row counts and every
                           member's SHA-256 (written last, once every checksum is known)
"""
import hashlib
from pathlib import PurePosixPath

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES = "tables"
UPLOADS = "uploads"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why, for the operator."""


def table_member(name: str) -> str:
    return f"{TABLES}/{name}.jsonl"


def upload_member(relative: str) -> str:
    return f"{UPLOADS}/{relative}"


def safe_relative(path: str) -> PurePosixPath:
    """A member path that stays inside its folder: no absolute paths, no `..`."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"unsafe path in the archive: {path!r}")
    return pure


class HashingReader:
    """Wraps a file so whoever reads it (tarfile) also computes its SHA-256 and size."""

    def __init__(self, handle):
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        chunk = self._handle.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk
