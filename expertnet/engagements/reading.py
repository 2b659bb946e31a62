"""What an invited expert reads of a request on their invitation, for the page and the JSON API alike."""
from expertnet.engagements.models import Engagement, Invitation, InvitationStatus
from expertnet.requests import access as request_access
from expertnet.requests.schemas import RequestOut, RequestSummaryOut

# The summary's fields shown in the expert's list of invitations.
LIST_SUMMARY = ("reference", "title", "summary", "topics", "modality", "country", "start_date", "end_date")


def request_view(user, invitation: Invitation) -> tuple[dict | None, bool]:
    """(the request as this expert may see it, whether it is the full text). The reduced schema, not the
    template, decides what leaves the server before the terms are accepted."""
    assistance_request = invitation.request
    if invitation.status == InvitationStatus.REVOKED:
        return None, False
    if request_access.may_read_detail(user, assistance_request):
        request_access.record_sensitive_read(user, assistance_request, "detail", invitation_id=invitation.id)
        return RequestOut().dump(assistance_request), True
    return RequestSummaryOut().dump(assistance_request), False


def engagement_view(user, engagement: Engagement) -> tuple[dict, bool]:
    """(the request as `user` may see it on this engagement, whether it is the full text): the full request,
    audited as a sensitive read, while the engagement gives the need to know; the summary otherwise."""
    assistance_request = engagement.request
    full = request_access.may_read_detail(user, assistance_request)
    if full:
        request_access.record_sensitive_read(user, assistance_request, "detail", engagement_id=engagement.id)
    return (RequestOut() if full else RequestSummaryOut()).dump(assistance_request), full


def list_summary(invitation: Invitation) -> dict | None:
    """The request as the expert's list of invitations shows it (nothing for a revoked invitation)."""
    if invitation.status == InvitationStatus.REVOKED:
        return None
    return RequestSummaryOut(only=LIST_SUMMARY).dump(invitation.request)
