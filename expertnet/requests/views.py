"""Request pages: the agency files, follows, discusses and rates its requests; coordinators act on them
from the detail page. Each view: load through the scoped query (404) -> check -> service; the action seam
commits once and answers refusals."""
from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request as http, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from expertnet import form_tokens
from expertnet.accounts.models import Role
from expertnet.accounts.policy import is_staff, roles_required
from expertnet.actions import Outcome, action, attempt, refused_back_to
from expertnet.attachments import services as attachment_services
from expertnet.chemicals.models import Substance
from expertnet.chemicals.services import substances_with_ids
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.requests import access, bp, lifecycle, listing, services
from expertnet.requests.detail import check_may_attach, detail_context, readable_attachment_or_404
from expertnet.requests.detail import download as download_attachment
from expertnet.requests.forms import (AnswerForm, AttachmentForm, FeedbackForm, ListFilterForm, MessageForm,
                                      ReasonForm, RequestForm, TransitionForm)
from expertnet.requests.labels import TEMPLATE_GLOBALS
from expertnet.requests.models import AssistanceRequest, RequestStatus
from expertnet.requests.schemas import RequestIn, SubmittedRequestIn
from expertnet.sensitivity import Tlp
from expertnet.web_input import choice_or_400, paginate


def _user():
    return current_user._get_current_object()


def _load(request_id: int):
    return access.get_visible_request_or_404(_user(), request_id)


def _load_owned(request_id: int):
    """The agency's own request; coordinators and experts may see it but not act as the agency (403)."""
    assistance_request = _load(request_id)
    if not access.is_owner(_user(), assistance_request):
        abort(403)
    return assistance_request


def _to_detail(assistance_request, anchor: str | None = None):
    return redirect(url_for("requests.detail", request_id=assistance_request.id, _anchor=anchor))


def _detail_url(request_id: int, **_view_args) -> str:
    return url_for("requests.detail", request_id=request_id)


# A move from the wrong state is a conflict (409); a guard or rule not met is explained on the detail page.
refused_on_detail = refused_back_to(_detail_url)


@bp.get("/")
@roles_required(Role.MEMBER)
def index():
    form = ListFilterForm(http.args)
    listing.set_filter_choices(form)
    query = listing.filtered(access.visible_requests(_user()), form)
    page = paginate(query, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    return render_template("requests/index.html", page=page, form=form)


NEW_REQUEST = "request.new"  # the form token's purpose (form_tokens): one request per new-request form


def _open_filed(claimed) -> tuple[str, str] | None:
    """The request a new-request form created, for the "already sent" page (if this user may still see it)."""
    filed = db.session.scalar(access.visible_requests(_user()).where(AssistanceRequest.id == claimed.target_id))
    return (url_for("requests.detail", request_id=filed.id), filed.reference or filed.title) if filed else None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
@action(refused=form_tokens.refused_as_repeat(NEW_REQUEST, _open_filed))
def new():
    token = form_tokens.form_token()
    form = RequestForm()
    form.set_choices()
    if token is None:
        return _without_token(form)
    status = 200
    if form.is_submitted():
        form_tokens.refuse_repeat(NEW_REQUEST, token)
        if (data := _validated(form)) is not None:
            filed = _file(form, data, token)
            if filed.ok:
                return _save_and_maybe_submit(form, filed.value)
            status = filed.refusal.http_status
        form.ask_to_add_files_again()
    sent_before, created = form_tokens.first_use(NEW_REQUEST, token, _open_filed)
    return _new_form(form, sent_before=sent_before, created=created), status


def _without_token(form: RequestForm):
    """A form page opened without a token gets one in its address (see form_tokens); a form sent without one
    (a page from before tokens, a hand-made post) is shown again, nothing saved, to be sent with a fresh one."""
    if not form.is_submitted():
        return redirect(form_tokens.fresh_url())
    form.form_errors = [_("Nothing is saved yet: check the form and send it again.")]
    form.ask_to_add_files_again()
    return _new_form(form, form_action=form_tokens.fresh_url())


def _file(form: RequestForm, data: dict, token: str) -> Outcome:
    """The new request with its files, and the token's use; a file refused is said on the file field and
    everything is rolled back."""
    tlp = choice_or_400(Tlp, form.files_tlp.data)
    claimed = form_tokens.claim(_user(), NEW_REQUEST, token)  # a twin sent at the same moment waits here

    def file_and_tag():
        assistance_request = services.file_request(_user(), data, form.uploads(), tlp)
        _tag_substances(form, assistance_request)
        return assistance_request
    filed = attempt(file_and_tag, form.files, {"unknown_substance": form.substances})
    if filed.ok:
        claimed.target_id = filed.value.id
    return filed


def _new_form(form: RequestForm, **context):
    return render_template("requests/form.html", form=form, assistance_request=None,
                           named_substances=_offer_substances(form), **context)


def _offer_substances(form: RequestForm) -> list[Substance]:
    """The register's substances the form's text names, offered ticked: on a form drawn again, beside the
    officer's choice; on a request's edit form, while it has no tags. Remembered as offered (see
    services.tag_own_substances), so one the officer unticks stays off."""
    named = services.named_substances(form.texts())
    if form.is_submitted():
        form.substances.data = sorted(set(form.substances.data or []) | (named - form.offered_ids()))
    elif not form.substances.data:
        form.substances.data = sorted(named)
    form.substances_offered.data = ",".join(str(i) for i in sorted(named))
    return substances_with_ids(named)


def _tag_substances(form: RequestForm, assistance_request) -> None:
    added = services.tag_own_substances(_user(), assistance_request, form.substances.data or [], form.offered_ids())
    if added:
        flash(ngettext("Your text names %(num)d substance of the chemicals register: the request is tagged with it. "
                       "You can change this on the edit page.",
                       "Your text names %(num)d substances of the chemicals register: the request is tagged with "
                       "them. You can change this on the edit page.", len(added)), "info")


def _validated(form: RequestForm) -> dict | None:
    """RequestIn (or SubmittedRequestIn when submitting) decides; its refusals appear on the fields."""
    schema = SubmittedRequestIn() if form.submit.data else RequestIn()
    return load_form(form, schema, form.schema_data(), explain=form.help_for)


def _save_and_maybe_submit(form: RequestForm, assistance_request):
    if form.submit.data and assistance_request.status == RequestStatus.DRAFT:
        services.submit_request(_user(), assistance_request)
        flash(_("Your request %(reference)s is submitted. The coordinators will triage it.",
                reference=assistance_request.reference), "success")
    else:
        flash(_("Saved."), "success")
    return _to_detail(assistance_request)


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
@action(refused=refused_on_detail)
def edit(request_id: int):
    assistance_request = _load_owned(request_id)
    if assistance_request.status not in lifecycle.EDITABLE:
        abort(409)
    form = RequestForm()
    form.set_choices()
    if not form.is_submitted():
        form.fill_from(assistance_request)
    elif (data := _validated(form)) is not None:
        services.update_request(_user(), assistance_request, data)
        _tag_substances(form, assistance_request)
        return _save_and_maybe_submit(form, assistance_request)
    return render_template("requests/form.html", form=form, assistance_request=assistance_request,
                           named_substances=_offer_substances(form))


@bp.get("/<int:request_id>")
@login_required
@action  # the sensitive-read audit rows written while building the page
def detail(request_id: int):
    return _render_detail(_load(request_id))


def _render_detail(assistance_request, status: int = 200, **forms):
    context = detail_context(_user(), assistance_request)
    forms = {"message_form": MessageForm(formdata=None), "answer_form": AnswerForm(formdata=None),
             "reason_form": ReasonForm(formdata=None), "transition_form": TransitionForm(formdata=None),
             "attachment_form": AttachmentForm(formdata=None), "feedback_form": FeedbackForm(formdata=None), **forms}
    return render_template("requests/detail.html", **context, **forms), status


def member_step(rule: str, success_message):
    """The agency's own lifecycle step on its request: load it (theirs only), act, say so with `success_message`."""
    def register(act):
        @wraps(act)
        def run(request_id: int):
            assistance_request = _load_owned(request_id)
            act(assistance_request)
            flash(success_message(assistance_request), "success")
            return _to_detail(assistance_request)
        return bp.post(f"/<int:request_id>{rule}")(login_required(action(refused=refused_on_detail)(run)))
    return register


def _posted_text(form, field: str) -> str:
    """One free-text field of a posted step (CSRFProtect checked the token); its service judges the text."""
    form.validate()
    return form[field].data or ""


@member_step("/submit", lambda req: _("Your request %(reference)s is submitted. The coordinators will triage it.",
                                      reference=req.reference))
def submit(assistance_request):
    services.submit_request(_user(), assistance_request)


@member_step("/withdraw", lambda req: _("The request is withdrawn."))
def withdraw(assistance_request):
    services.withdraw_request(_user(), assistance_request, _posted_text(ReasonForm(), "reason"))


@member_step("/answer", lambda req: _("Thank you. Your answer is sent and the request is back in triage."))
def answer(assistance_request):
    services.answer_information_request(_user(), assistance_request, _posted_text(AnswerForm(), "answer"))


@bp.post("/<int:request_id>/messages")
@login_required
@action(refused=refused_on_detail)
def post_message(request_id: int):
    assistance_request = _load(request_id)
    if not access.may_converse(_user(), assistance_request):
        abort(404)  # an expert without accepted terms does not learn the thread exists
    form = MessageForm()
    form.validate()
    services.post_message(_user(), assistance_request, form.body.data or "",
                          internal=bool(form.internal.data) and is_staff(_user()))
    return _to_detail(assistance_request, "conversation")


@bp.post("/<int:request_id>/transition")
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action(refused=refused_on_detail)
def change_status(request_id: int):
    """The coordinators' action panel: any transition the machine allows them, with its note."""
    assistance_request = _load(request_id)
    form = TransitionForm()
    form.validate()
    to_status = choice_or_400(RequestStatus, form.to_status.data)
    services.change_status(_user(), assistance_request, to_status, form.note.data or "")
    flash(_("The request is now: %(status)s.", status=TEMPLATE_GLOBALS["status_label"](to_status)), "success")
    return _to_detail(assistance_request)


@bp.post("/<int:request_id>/attachments")
@login_required
@action
def upload(request_id: int):
    assistance_request = _load(request_id)
    check_may_attach(_user(), assistance_request)
    form = AttachmentForm()
    if not form.validate() or not form.file.data:
        form.file.errors = [_("Choose a file to attach.")]
        return _render_detail(assistance_request, 400, attachment_form=form)
    stored = attempt(lambda: attachment_services.store_attachment(_user(), assistance_request, form.file.data,
                                                                  form.tlp.data), form.file)
    if not stored.ok:
        return _render_detail(assistance_request, stored.refusal.http_status, attachment_form=form)
    flash(_("The file is attached."), "success")
    return _to_detail(assistance_request, "attachments")


def _load_attachment(request_id: int, attachment_id: int):
    assistance_request = _load(request_id)
    return assistance_request, readable_attachment_or_404(_user(), assistance_request, attachment_id)


@bp.get("/<int:request_id>/attachments/<int:attachment_id>")
@login_required
@action  # the download's audit row
def download(request_id: int, attachment_id: int):
    assistance_request, attachment = _load_attachment(request_id, attachment_id)
    return download_attachment(_user(), assistance_request, attachment)


@bp.post("/<int:request_id>/attachments/<int:attachment_id>/delete")
@login_required
@action
def delete_attachment(request_id: int, attachment_id: int):
    assistance_request, attachment = _load_attachment(request_id, attachment_id)
    if not access.is_owner(_user(), assistance_request):
        abort(403)
    if assistance_request.status not in lifecycle.EDITABLE:
        abort(409)
    attachment_services.remove_attachment(_user(), attachment)
    flash(_("The file is removed."), "success")
    return _to_detail(assistance_request, "attachments")


@bp.post("/<int:request_id>/feedback")
@login_required
@action(refused=refused_on_detail)
def feedback(request_id: int):
    assistance_request = _load_owned(request_id)
    form = FeedbackForm()
    if not form.validate():
        return _render_detail(assistance_request, 400, feedback_form=form)
    services.give_feedback(_user(), assistance_request, form.usefulness.data, form.timeliness.data,
                           form.expertise.data, form.comment.data or "")
    flash(_("Thank you for your feedback."), "success")
    return _to_detail(assistance_request, "feedback")
