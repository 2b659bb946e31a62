"""`/api/v1/engagements` and `/api/v1/requests/{id}/outcomes` (issue 16, item 2), the twins of the engagement
pages and of the request page's "experts' work": the same scoped queries (an expert's own engagements, any for
coordinators and admins; another's is a 404), the same need-to-know read of the request on an engagement
(`engagements.reading.engagement_view`, audited) and the same report service, whose move goes through
`statemachine.transition`. The agency sees engagements as its request's page shows them: the accepted
completion reports with their deliverables (`requests.access.outcomes`), never a draft or a report under review.
The desk's steps on an engagement (milestones, accepting or returning the report, closing) are the desk page's
(`coordination.engagement_views`): its load (`engagements.access.desk_engagement_or_404`), `coordination.desk` for milestones and the engagement services, whose
moves go through the engagement machine."""
from flask import abort
from flask.views import MethodView

from expertnet.accounts.models import Role
from expertnet.accounts.policy import STAFF, found_or_404, is_staff
from expertnet.actions import action
from expertnet.api import bp
from expertnet.api.conventions import SelectPage, caller, caller_in, documented_errors, operation, operation_method
from expertnet.api.schemas import (EngagementListOut, EngagementReadOut, MilestoneIn, MilestoneOut, OutcomeOut,
                                   ReturnReportIn)
from expertnet.coordination import desk
from expertnet.engagements import access, services
from expertnet.engagements.models import Engagement, Milestone
from expertnet.extensions import db
from expertnet.engagements.reading import engagement_view
from expertnet.engagements.schemas import ReportIn
from expertnet.requests import access as request_access
from expertnet.requests.models import AssistanceRequest

ENGAGEMENT = "/engagements/<int:engagement_id>"


def _expert_or_staff():
    """Engagements are the expert's and the desk's; the agency follows them as its request's outcomes (403)."""
    return caller_in(Role.EXPERT, *STAFF)


def _load(engagement_id: int) -> Engagement:
    return access.get_engagement_or_404(_expert_or_staff(), engagement_id)


def _read(engagement: Engagement) -> dict:
    data, full = engagement_view(caller(), engagement)
    return {**{name: getattr(engagement, name) for name in EngagementReadOut().fields if hasattr(engagement, name)},
            "full": full, "request": data}


@bp.route("/engagements", methods=["GET"])
@bp.response(200, EngagementListOut(many=True))
@bp.paginate(SelectPage)
@documented_errors(bp)
def list_engagements():
    """An expert's own engagements; every engagement for coordinators and admins. Newest first."""
    return access.reachable_engagements(_expert_or_staff()).order_by(Engagement.created_at.desc(), Engagement.id.desc())


@bp.route(ENGAGEMENT, methods=["GET"])
@action  # the sensitive-read audit row of a full read, as on the page
@bp.response(200, EngagementReadOut)
@documented_errors(bp)
def get_engagement(engagement_id: int):
    """One engagement with the request as the caller may see it on it (the full request while the engagement
    gives the need to know, audited)."""
    return _read(_load(engagement_id))


@operation(bp, f"{ENGAGEMENT}/report", "POST", EngagementReadOut, body=ReportIn, errors=(409,))
def submit_report(data, engagement_id: int):
    """The expert's completion report, for the coordinators to review (409 once it is no longer open for one;
    a coordinator may not write an expert's report)."""
    engagement = _load(engagement_id)
    if is_staff(caller()) and engagement.expert.user_id != caller().id:
        abort(403)
    services.submit_report(caller(), engagement, data["report"], data["days_spent"])
    return _read(engagement)


@bp.route("/requests/<int:request_id>/outcomes", methods=["GET"])
@bp.response(200, OutcomeOut(many=True))
@documented_errors(bp)
def list_outcomes(request_id: int):
    """The experts' work on a request as its page shows it to the agency (and the desk): each completion report
    the coordinators accepted, with that engagement's deliverables. Experts do not read others' outcomes (403)."""
    assistance_request: AssistanceRequest = request_access.get_visible_request_or_404(caller(), request_id)
    if not (request_access.is_owner(caller(), assistance_request) or is_staff(caller())):
        abort(403)
    return request_access.outcomes(assistance_request)


# ------------------------------------------------------------------ the desk's steps on an engagement
def _staff_load(engagement_id: int) -> Engagement:
    """An engagement on a request the coordinator may see in full (a regional coordinator: their regions'), as
    the desk's engagement page loads it; experts and agencies are refused (403)."""
    caller_in(*STAFF)
    return access.desk_engagement_or_404(caller(), engagement_id)


def _step(engagement_id: int, act) -> dict:
    """One of the desk's moves (`statemachine.transition`: a move from the wrong state is a 409; repeating the
    move just made changes nothing), answered with the engagement as read after it."""
    engagement = _staff_load(engagement_id)
    act(caller(), engagement)
    return _read(engagement)


@bp.route(f"{ENGAGEMENT}/milestones")
class Milestones(MethodView):
    """One rule for the milestones' read and write (see `conventions.operation_method`)."""

    @bp.response(200, MilestoneOut(many=True))
    @documented_errors(bp)
    def get(self, engagement_id: int):
        """The engagement's milestones, by due date: for its expert and for coordinators and admins."""
        return _load(engagement_id).milestones

    @operation_method(bp, MilestoneOut, status=201, body=MilestoneIn)
    def post(self, data, engagement_id: int):
        """Add a milestone (coordinators and admins), as on the desk's engagement page."""
        return desk.add_milestone(caller(), _staff_load(engagement_id), data["title"], data["due_on"]), 201


@operation(bp, f"{ENGAGEMENT}/milestones/<int:milestone_id>/done", "POST", MilestoneOut, errors=(409,))
def complete_milestone(engagement_id: int, milestone_id: int):
    """Mark a milestone done (coordinators and admins; 409 when it is done already, as on the page)."""
    engagement = _staff_load(engagement_id)
    milestone = db.session.get(Milestone, milestone_id)
    found_or_404(milestone, milestone is not None and milestone.engagement_id == engagement.id)
    desk.complete_milestone(caller(), milestone)
    return milestone


@operation(bp, f"{ENGAGEMENT}/report/accept", "POST", EngagementReadOut, errors=(409,))
def accept_report(engagement_id: int):
    """Accept the expert's completion report (coordinators and admins): the agency sees it from now on, and the
    request is delivered once every engagement on it has its report accepted. 409 unless a report waits."""
    return _step(engagement_id, services.accept_report)


@operation(bp, f"{ENGAGEMENT}/report/return", "POST", EngagementReadOut, body=ReturnReportIn, errors=(409,))
def return_report(data, engagement_id: int):
    """Send the completion report back to the expert for changes, with the reason (the engagement is active
    again). 409 unless a report waits."""
    return _step(engagement_id, lambda who, engagement: services.return_report(who, engagement, data["reason"]))


@operation(bp, f"{ENGAGEMENT}/close", "POST", EngagementReadOut, errors=(409,))
def close_engagement(engagement_id: int):
    """Close the engagement after its accepted report (coordinators and admins); the expert keeps read-only
    access for the configured period. 409 before the report is accepted."""
    return _step(engagement_id, services.close_engagement)
