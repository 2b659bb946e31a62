"""`/api/v1/requests/{id}/messages`: a request's conversation (issue 16), the twin of the conversation on the
request's and the engagement's pages. The same scoped query (a request the caller may not know is a 404), the
same need-to-know (`requests.access`: the agency, coordinators and admins, an expert once their engagement gave
them the full request; the thread is a 404 to anyone else), the same filter of internal notes (coordinators and
admins only: `services.visible_messages`) and the same service to post, which refuses an internal note from
anyone but staff and a message on a draft or from an expert whose engagement is not open."""
from flask import abort
from flask.views import MethodView
from flask_smorest import Page

from expertnet.api import bp
from expertnet.api.conventions import caller, documented_errors, operation_method
from expertnet.api.schemas import MessageIn, MessageOut
from expertnet.requests import access, services
from expertnet.requests.models import AssistanceRequest

MESSAGES = "/requests/<int:request_id>/messages"


def _thread(request_id: int, may) -> AssistanceRequest:
    """The request when `may(user, request)` lets the caller into its thread; a 404 otherwise, as on the page
    (an expert without accepted terms does not learn the thread exists)."""
    assistance_request = access.get_visible_request_or_404(caller(), request_id)
    if not may(caller(), assistance_request):
        abort(404)
    return assistance_request


@bp.route(MESSAGES)
class Messages(MethodView):
    """One rule for the thread's read and write (see `conventions.operation_method`)."""

    @bp.response(200, MessageOut(many=True))
    @bp.paginate(Page)
    @documented_errors(bp)
    def get(self, request_id: int):
        """The request's conversation as the caller may see it, oldest first: internal notes for coordinators
        and admins only; an expert reads it while their engagement gives them the full request."""
        return services.visible_messages(caller(), _thread(request_id, access.may_read_detail))

    @operation_method(bp, MessageOut, status=201, body=MessageIn, errors=(409,))
    def post(self, data, request_id: int):
        """Write to the request's conversation (not on a draft; an expert while their engagement is open).
        `internal: true` makes a note only coordinators and admins read (refused for anyone else)."""
        assistance_request = _thread(request_id, access.may_converse)
        return services.post_message(caller(), assistance_request, data["body"], internal=data["internal"])
