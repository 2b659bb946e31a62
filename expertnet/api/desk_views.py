"""The coordinators' desk in the API (issue 16, item 3): a request's suggestions, inviting experts among them
and naming its lead coordinator. The twins of the suggestions page and the request's desk, through the same
pieces: the refinement read by the page's form (`coordination.forms.refinement_from`), the ranking recorded as
shown (`desk.show_suggestions`), the invite form's rules (experts among the ranking, a message, an answer date
from tomorrow to 60 days) and the same services (`desk.invite_experts`, all or none; `triage.assign_lead`).
Coordinators and admins only (403); an agency's draft is a 404 to them, as on the pages. While the matcher's
first index is being built the suggestions are a 503 with `Retry-After`, as the page asks the browser to reload."""
from flask_babel import lazy_gettext as _l
from flask_smorest import abort
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import ServiceUnavailable

from expertnet.accounts.models import User
from expertnet.accounts.policy import STAFF
from expertnet.actions import action
from expertnet.api import bp
from expertnet.api.conventions import caller, caller_in, documented_errors, operation
from expertnet.api.schemas import InvitationSentOut, InviteIn, LeadIn, LeadOut, RefinementArgs, SuggestionsOut
from expertnet.coordination import desk, triage
from expertnet.coordination.forms import InviteForm, LeadForm, refinement_from
from expertnet.coordination.pages import PREPARING_RELOAD_SECONDS, locale, staff_users
from expertnet.extensions import db
from expertnet.requests.access import get_visible_request_or_404
from expertnet.requests.models import AssistanceRequest

REQUEST = "/requests/<int:request_id>"
REFINEMENT = ("keywords", "language", "region", "include_unavailable")
PREPARING = _l("Suggestions are being prepared. Ask again in a few seconds.")


def _load(request_id: int) -> AssistanceRequest:
    return get_visible_request_or_404(caller_in(*STAFF), request_id)


def _refinement(values: dict) -> desk.Refinement:
    """The refinement as the suggestions page reads it (its form judges the language and region: 422)."""
    form, refinement = refinement_from(MultiDict({name: str(values[name]).lower() if name == "include_unavailable"
                                                  else values[name] for name in REFINEMENT if name in values}))
    if form.errors:
        abort(422, messages={"query": form.errors})
    return refinement


def _ranked(suggestions):
    if suggestions.preparing:
        raise ServiceUnavailable(str(PREPARING), retry_after=PREPARING_RELOAD_SECONDS)
    return suggestions


@bp.route(f"{REQUEST}/suggestions", methods=["GET"])
@action  # the ranking is recorded as what the coordinator was shown (matching_history), as on the page
@bp.arguments(RefinementArgs, location="query")
@bp.response(200, SuggestionsOut)
@documented_errors(bp, 503)
def list_suggestions(args: dict, request_id: int):
    """The experts the matcher suggests for the request, best first, with the reasons, and how many were left
    out for which reason; invited experts are left out. 503 with `Retry-After` while the index is being built."""
    assistance_request = _load(request_id)
    ranked = _ranked(desk.show_suggestions(caller(), assistance_request, _refinement(args), locale=locale()))
    return {"experts": [{"expert_id": profile.id, "name": profile.user.full_name, "score": score,
                         "included": profile.id in ranked.included, "reasons": [reason._asdict() for reason in reasons]}
                        for profile, score, reasons in ranked.experts],
            "excluded": ranked.excluded, "weak": ranked.weak, "eligible": ranked.eligible}


@operation(bp, f"{REQUEST}/invitations", "POST", InvitationSentOut(many=True), status=201, body=InviteIn,
           errors=(409, 503))
def invite_experts(data: dict, request_id: int):
    """Invite experts among the request's suggestions (ranked with the refinement sent), all or none: each gets
    the message with the shareable summary and answers by `respond_by`."""
    assistance_request = _load(request_id)
    refinement = _refinement(data)
    form = InviteForm(formdata=None, meta={"csrf": False},
                      data={name: data[name] for name in ("expert_ids", "message", "respond_by")})
    form.expert_ids.choices = [(profile.id, profile.user.full_name)
                               for profile, _score, _reasons in _ranked(refinement.rank(assistance_request)).experts]
    if not form.validate():
        abort(422, messages={"json": form.errors})
    return desk.invite_experts(caller(), assistance_request, form.expert_ids.data, form.message.data,
                               form.respond_by.data, refinement), 201


@operation(bp, f"{REQUEST}/lead", "PUT", LeadOut, body=LeadIn)
def assign_lead(data: dict, request_id: int):
    """Name the request's lead coordinator (an active coordinator or admin, told by e-mail; anyone else is
    refused, 422), or nobody (null)."""
    assistance_request = _load(request_id)
    form = LeadForm(formdata=None, meta={"csrf": False}, data={"lead": data["lead_id"] or 0})
    form.lead.choices = [(0, "")] + [(user.id, user.full_name) for user in staff_users()]
    if not form.validate():
        abort(422, messages={"json": {"lead_id": form.lead.errors}})
    lead = db.session.get(User, form.lead.data) if form.lead.data else None
    triage.assign_lead(caller(), assistance_request, lead)
    return {"request_id": assistance_request.id,
            "lead": {"id": lead.id, "name": lead.full_name} if lead is not None else None}
