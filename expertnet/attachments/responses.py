"""The one way a stored file leaves the server: as a download that no cache keeps."""
from flask import send_file

from expertnet.attachments.models import Attachment


def download_response(path, attachment: Attachment):
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
