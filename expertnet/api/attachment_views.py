"""`/api/v1/requests/{id}/attachments`: a request's files (issue 16), the twins of the attachments on the request's
page. The same scoped query (a request the caller may not know is a 404), the same list (`requests.detail.
shown_attachments`: the full request's readers only, the thread's rule; TLP and need-to-know per file), the same
upload (the agency only, 403 for anyone else; not on a final request, 409; `attachments.services.store_attachment`:
typed by content, size-limited, audited) and the same download (`requests.detail.download`: a file the caller may
not open is a 404, every download audited). An upload refused answers as an API client expects: a file too large
413, a type not accepted 415, an empty file 422."""
from flask import abort
from flask.views import MethodView
from flask_smorest import Page

from expertnet.actions import action
from expertnet.api import bp
from expertnet.api.conventions import accepts_files, caller, documented_errors, operation_method
from expertnet.api.schemas import AttachmentUploadIn
from expertnet.attachments.services import ALLOWED_TYPES, AttachmentError, store_attachment
from expertnet.attachments.responses import OPAQUE
from expertnet.requests import access, detail
from expertnet.requests.models import AssistanceRequest
from expertnet.requests.schemas import AttachmentOut

ATTACHMENTS = "/requests/<int:request_id>/attachments"
REFUSED_UPLOAD = {"too_large": 413, "type_not_allowed": 415, "empty": 422}
BINARY = {"schema": {"type": "string", "format": "binary"}}


def _full_request(request_id: int) -> AssistanceRequest:
    """The request when the caller reads it in full; a 404 otherwise, as its files are on the page."""
    assistance_request = access.get_visible_request_or_404(caller(), request_id)
    if not access.may_read_detail(caller(), assistance_request):
        abort(404)
    return assistance_request


@bp.route(ATTACHMENTS)
@accepts_files(bp)
class Attachments(MethodView):
    """One rule for the files' list and upload (see `conventions.operation_method`)."""

    @bp.response(200, AttachmentOut(many=True))
    @bp.paginate(Page)
    @documented_errors(bp)
    def get(self, request_id: int):
        """The request's files the caller may open, oldest first: the agency's own files (by their label and the
        caller's need to know), for coordinators and admins the experts' deliverables too."""
        return detail.shown_attachments(caller(), _full_request(request_id))

    @operation_method(bp, AttachmentOut, status=201, errors=(409,))
    @bp.arguments(AttachmentUploadIn, location="multipart")
    def post(self, data, request_id: int):
        """Attach a file to the agency's own request, as `multipart/form-data` with `file` and its label `tlp`:
        PDF, Word, Excel, PowerPoint, PNG or JPEG judged by its content (415 otherwise), at most 20 MB (413)."""
        assistance_request = access.get_visible_request_or_404(caller(), request_id)
        detail.check_may_attach(caller(), assistance_request)
        try:
            return store_attachment(caller(), assistance_request, data["file"], data["tlp"]), 201
        except AttachmentError as refused:
            refused.http_status = REFUSED_UPLOAD[refused.code]
            raise


@bp.route(f"{ATTACHMENTS}/<int:attachment_id>/content", methods=["GET"])
@action  # the download's audit rows
@bp.doc(responses={"200": {"description": "The file, as a download (`Content-Disposition: attachment`).",
                           "content": {mime: BINARY for mime in sorted({*ALLOWED_TYPES, OPAQUE})}}})
@documented_errors(bp, 410)
def download_attachment(request_id: int, attachment_id: int):
    """Download one file of the request, when the caller may open it (a 404 otherwise; 410 when the stored file
    is lost). Every download is audited and shows in the agency's list of who read what."""
    assistance_request = access.get_visible_request_or_404(caller(), request_id)
    return detail.download(caller(), assistance_request,
                           detail.readable_attachment_or_404(caller(), assistance_request, attachment_id))
