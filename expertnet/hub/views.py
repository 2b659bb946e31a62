"""Hub pages. Readers: the library (facets, search), an item, its files, "this helped". Editors (coordinators and
admins): new/edit, files, the editorial moves, history, usage and the gaps members did not find. Each view loads
through the scoped query (an item beyond the reader's label is 404), checks, and acts through one service call."""
from flask import abort, current_app, flash, redirect, render_template, request as http, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from expertnet.accounts.models import Role
from expertnet.accounts.policy import roles_required
from expertnet.actions import action, refused_back_to, submitted
from expertnet.attachments.responses import download_response
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.engagements.models import Engagement
from expertnet.chemicals.tagging import tag_page
from expertnet.hub import access, bp, lessons, listing, search, services, substances as hub_substances, suggestions
from expertnet.hub.labels import item_status_label
from expertnet.hub.forms import ConfirmForm, DraftLessonForm, FileForm, HubItemForm, LessonReviewForm, MoveForm
from expertnet.hub.machine import is_agency_member, machine_for
from expertnet.hub.messages import HubError
from expertnet.hub.models import HubFile, HubItem, ItemStatus, Kind
from expertnet.hub.schemas import HubItemIn, LessonReviewIn
from expertnet.requests.access import visible_requests
from expertnet.requests.models import AssistanceRequest
from expertnet.statemachine import allowed_targets
from expertnet.web_input import choice_or_400, paginate

SEARCH_RESULTS = 30


def _user():
    return current_user._get_current_object()


def _locale() -> str:
    return str(get_locale())


def _editor_only() -> None:
    if not access.may_edit(_user()):
        abort(403)


def _item_url(item_id: int, **_view_args) -> str:
    return url_for("hub.item", item_id=item_id)


refused_on_item = refused_back_to(_item_url)


@bp.get("/")
@action  # a search with no good result is recorded (the gaps view)
def index():
    facets = listing.Facets.from_args(http.args)
    if facets.status and not access.may_edit(_user()):
        facets.status = ""
    scoped = access.visible_items(_user())
    counts = listing.facet_options(listing.facet_counts(scoped), _locale(), access.may_edit(_user()))
    filtered = facets.apply(scoped)
    if facets.q:
        return _search_page(facets, filtered, counts)
    query = filtered.order_by(HubItem.published_at.desc().nulls_last(), HubItem.id.desc())
    page = paginate(query, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    return render_template("hub/index.html", page=page, facets=facets, counts=counts, hits=None, found=None)


def _search_page(facets, filtered, counts):
    allowed = set(db.session.scalars(filtered.with_only_columns(HubItem.id)))
    found = search.search(facets.q, allowed, k=SEARCH_RESULTS, locale=_locale(),
                          topics=(facets.topic,) if facets.topic else ())
    if found.weak:
        services.record_gap(found.language, [facets.topic] if facets.topic else search.topics_of(facets.q))
    page = render_template("hub/index.html", page=None, facets=facets, counts=counts, hits=found.hits, found=found)
    return (page, 200, {"Refresh": str(search.PREPARING_RELOAD_SECONDS)}) if found.preparing else page


@bp.get("/<int:item_id>")
@action  # the view counter
def item(item_id: int):
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    if hub_item.status == ItemStatus.PUBLISHED:
        services.record_view(hub_item)
    wanted = http.args.get("lang") or _locale()
    text = hub_item.text_in(wanted)
    editor = access.may_edit(_user())
    moves = allowed_targets(machine_for(hub_item), hub_item, _user()) if editor else []
    return render_template("hub/item.html", item=hub_item, text=text, editor=editor, moves=moves,
                           request_link=_request_link(hub_item),
                           agency_reviews=hub_item.status == ItemStatus.AWAITING_AGENCY
                           and is_agency_member(_user(), hub_item),
                           move_form=MoveForm(), file_form=FileForm(), confirm_form=ConfirmForm(),
                           helped=services.has_helped(_user(), hub_item),
                           substances=hub_substances.item_substances(hub_item.id))


def _request_link(hub_item: HubItem):
    """The request a lesson came from, for readers who may see that request (else nothing)."""
    if hub_item.request_id is None or not getattr(_user(), "is_authenticated", False):
        return None
    return db.session.scalar(visible_requests(_user()).where(AssistanceRequest.id == hub_item.request_id))


def _load_file(item_id: int, file_id: int) -> HubFile:
    """A file of an item the reader may see; another item's file under this item's address is not found."""
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    hub_file = db.session.get(HubFile, file_id)
    if hub_file is None or hub_file.item_id != hub_item.id:
        abort(404)
    return hub_file


@bp.get("/<int:item_id>/download/<int:file_id>")
@action  # the download's count and audit row
def download(item_id: int, file_id: int):
    hub_file = _load_file(item_id, file_id)
    return download_response(services.open_file(_user(), hub_file), hub_file)


@bp.post("/<int:item_id>/helped")
@login_required
@action(refused=refused_on_item)
def helped(item_id: int):
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    submitted(ConfirmForm(), _("The form has expired; try again."))
    services.mark_helped(_user(), hub_item)
    flash(_("Thank you: the editors see which items help."), "success")
    return redirect(url_for("hub.item", item_id=hub_item.id))


# ------------------------------------------------------------------ editors
def _editor_form(hub_item: HubItem | None, language: str):
    form = HubItemForm()
    form.set_choices(_locale())
    if not form.is_submitted():
        if hub_item is not None:
            form.fill_from(hub_item, language)
        else:
            form.language.data = language
    return form


def _language_arg(default: str) -> str:
    language = http.args.get("language") or default
    return language if language in dict(HubItemForm().language.choices) else default


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action
def new():
    form = _editor_form(None, _language_arg(_locale()))
    status = 200
    if form.is_submitted():
        if (data := load_form(form, HubItemIn(), form.schema_data())) is not None:
            created = services.create_item(_user(), data)
            flash(_("The draft is saved."), "success")
            return redirect(url_for("hub.item", item_id=created.id))
        status = 422
    return render_template("hub/form.html", form=form, item=None), status


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action(refused=refused_on_item)
def edit(item_id: int):
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    form = _editor_form(hub_item, _language_arg(hub_item.original_language))
    status = 200
    if form.is_submitted():
        if (data := load_form(form, HubItemIn(), form.schema_data())) is not None:
            services.update_item(_user(), hub_item, data)
            flash(_("Saved."), "success")
            return redirect(url_for("hub.item", item_id=hub_item.id, lang=data["language"]))
        status = 422
    return render_template("hub/form.html", form=form, item=hub_item), status


@bp.route("/<int:item_id>/substances", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action
def item_substances(item_id: int):
    """The register's one tag page for a hub item (editors)."""
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    text = hub_item.text_in(_locale())
    back = url_for("hub.item", item_id=item_id)
    return tag_page(hub_item, hub_substances.item_substances(item_id), set(), hub_substances.tag_item, back,
                    _("Substances of %(title)s", title=text.title if text else item_id), back)


@bp.post("/<int:item_id>/move")
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action(refused=refused_on_item)
def move(item_id: int):
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    form = submitted(MoveForm(), _("The form has expired; try again."))
    to_status = choice_or_400(ItemStatus, form.to.data)
    services.move_item(_user(), hub_item, to_status, form.note.data or "")
    flash(_("The item is now: %(status)s.", status=item_status_label(to_status)), "success")
    return redirect(url_for("hub.item", item_id=hub_item.id))


@bp.post("/<int:item_id>/files")
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action(refused=refused_on_item)
def upload(item_id: int):
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    form = submitted(FileForm(), _("Choose a file to add."))
    if not form.file.data:
        flash(_("Choose a file to add."), "danger")
        return redirect(url_for("hub.item", item_id=hub_item.id))
    services.add_file(_user(), hub_item, form.file.data)
    flash(_("The file is added."), "success")
    return redirect(url_for("hub.item", item_id=hub_item.id))


@bp.post("/<int:item_id>/files/<int:file_id>/delete")
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action(refused=refused_on_item)
def delete_file(item_id: int, file_id: int):
    hub_file = _load_file(item_id, file_id)
    submitted(ConfirmForm(), _("The form has expired; try again."))
    services.remove_file(_user(), hub_file)
    flash(_("The file is removed."), "success")
    return redirect(url_for("hub.item", item_id=item_id))


@bp.get("/<int:item_id>/history")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def history(item_id: int):
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    return render_template("hub/history.html", item=hub_item, versions=services.versions_of(hub_item))


@bp.get("/gaps")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def gaps():
    return render_template("hub/gaps.html", **suggestions.gap_summary(_locale()))


# ------------------------------------------------------------------ before you file
@bp.get("/before-you-file")
@roles_required(Role.MEMBER)
@action  # which items were shown is recorded
def before_you_file():
    text = "\n".join((http.args.get(name) or "")[:5000] for name in ("title", "summary", "gap_statement"))
    token = (http.args.get("once") or "")[:64]
    hits = suggestions.before_filing(_user(), text, token, _locale())
    return render_template("hub/_before_you_file.html", hits=hits, asked=len(text.split()) >= suggestions.MIN_WORDS)


# ------------------------------------------------------------------ lessons
@bp.post("/lessons/from-engagement/<int:engagement_id>")
@roles_required(Role.COORDINATOR, Role.ADMIN)
@action(refused=lambda error, engagement_id, **_: redirect(url_for("coordination.engagement",
                                                                     engagement_id=engagement_id)))
def draft_lesson(engagement_id: int):
    engagement = db.session.get(Engagement, engagement_id) or abort(404)
    submitted(DraftLessonForm(), _("The form has expired; try again."))
    lesson, removed = lessons.draft_lesson(_user(), engagement, _locale())
    if removed:
        flash(_("The draft lesson is saved. Removed as identifying: %(removed)s. Check the text before you send it "
                "to the agency.", removed="; ".join(removed)), "success")
    else:
        flash(_("The draft lesson is saved. Check the text before you send it to the agency."), "success")
    return redirect(url_for("hub.item", item_id=lesson.id))


@bp.route("/<int:item_id>/agency-review", methods=["GET", "POST"])
@roles_required(Role.MEMBER)
@action(refused=refused_on_item)
def agency_review(item_id: int):
    hub_item = access.get_visible_item_or_404(_user(), item_id)
    if hub_item.kind != Kind.LESSON or not is_agency_member(_user(), hub_item):
        abort(404)
    if http.method == "GET" and hub_item.status != ItemStatus.AWAITING_AGENCY:
        return redirect(url_for("hub.item", item_id=hub_item.id))
    text = hub_item.text_in(hub_item.original_language)
    if text is None:
        abort(404)
    form = LessonReviewForm()
    if not form.is_submitted():
        form.title.data, form.summary.data, form.body.data = text.title, text.summary, text.body
        form.tlp.data = hub_item.tlp.value
    status = 200
    if form.is_submitted():
        data = load_form(form, LessonReviewIn(), form.schema_data())
        approve = bool(form.approve.data)
        if data is not None and not approve and not data["note"]:
            form.note.errors = [str(HubError("comment_required").message)]
            data = None
        if data is not None:
            lessons.agency_review(_user(), hub_item, {**data, "language": text.language}, approve=approve)
            flash(_("The lesson is approved; a coordinator publishes it.") if approve
                  else _("The lesson is sent back to the coordinators."), "success")
            return redirect(url_for("requests.detail", request_id=hub_item.request_id))
        status = 422
    return render_template("hub/agency_review.html", item=hub_item, form=form, text=text), status
