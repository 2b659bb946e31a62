"""The one way a stored file leaves the server: as a download that no cache keeps and no browser renders."""
from pathlib import PurePath
from typing import Any

from flask import send_file

from expertnet.attachments.models import Attachment

# Names a browser or desktop would open as a page or a script. Content is checked on upload, but a file
# can be two things at once (a PDF that is also HTML): such a name gets `.txt` and opaque bytes.
ACTIVE_CONTENT_EXTENSIONS = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".hta", ".svg",
                             ".svgz", ".xml", ".xsl", ".xslt", ".js", ".mjs", ".swf"}
OPAQUE = "application/octet-stream"


def is_active_content_name(filename: str) -> bool:
    return PurePath(filename.lower()).suffix in ACTIVE_CONTENT_EXTENSIONS


def download_name_and_type(attachment: "Attachment | Any") -> tuple[str, str]:
    """Any stored file row with `filename` and `content_type` (an attachment, an event material)."""
    if is_active_content_name(attachment.filename):
        return f"{attachment.filename}.txt", OPAQUE
    return attachment.filename, attachment.content_type


def download_response(path, attachment: "Attachment | Any"):
    name, mimetype = download_name_and_type(attachment)
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
