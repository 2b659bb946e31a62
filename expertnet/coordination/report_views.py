"""The coordinators' dashboard and the CSV exports."""
from flask import Response, render_template, request

from expertnet.accounts.policy import STAFF, roles_required
from expertnet.actions import action
from expertnet.audit.services import record
from expertnet.coordination import bp, exports, stats
from expertnet.coordination.forms import DashboardForm
from expertnet.coordination.pages import actor, locale
from expertnet.http_security import download


@bp.get("/dashboard")
@roles_required(*STAFF)
def dashboard():
    form = DashboardForm(request.args)
    months = form.months.data if form.validate() and form.months.data is not None else 12
    figures = stats.dashboard(months, locale(), actor())
    return render_template("coordination/dashboard.html", form=form, figures=figures, months=months, bars=stats.bars)


def _csv_response(body: str, filename: str, what: str) -> Response:
    # Exports leave the system: who took which one is evidence worth keeping.
    record("coordination.exported", actor(), None, export=what)
    return download(body, "text/csv; charset=utf-8", filename)


@bp.get("/export/requests.csv")
@roles_required(*STAFF)
@action  # the export's audit row
def export_requests():
    return _csv_response(exports.requests_csv(actor()), "expertnet-requests.csv", "requests")


@bp.get("/export/engagements.csv")
@roles_required(*STAFF)
@action  # the export's audit row
def export_engagements():
    return _csv_response(exports.engagements_csv(actor()), "expertnet-engagements.csv", "engagements")
