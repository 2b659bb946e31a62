"""The register's pages: the list (search by any language's name or CAS number, facets by list) and a
substance's page for every signed-in user; creating, editing, retiring and importing for admins."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from expertnet.accounts.models import Role
from expertnet.accounts.policy import found_or_404, roles_required
from expertnet.actions import action, attempt, refused_back_to
from expertnet.chemicals import bp, files, queries, services
from expertnet.chemicals.access import may_curate
from expertnet.chemicals.forms import ConfirmForm, ImportForm, posted_substance, substance_form
from expertnet.chemicals.models import Substance
from expertnet.chemicals.panels import panels_for
from expertnet.chemicals.schemas import SubstanceSchema
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.web_input import paginate

admin_only = roles_required(Role.ADMIN)
PER_PAGE = 25


def _actor():
    return current_user._get_current_object()


def _locale() -> str:
    return str(get_locale())


@bp.get("/")
@login_required
def index():
    search, list_code = request.args.get("q", "").strip(), request.args.get("list", "").strip()
    retired = may_curate(current_user) and request.args.get("retired") == "1"
    page = paginate(queries.search_substances(search, list_code, retired), PER_PAGE)
    return render_template("chemicals/index.html", page=page, search=search, list_code=list_code, retired=retired,
                           lists=queries.all_lists(), counts=queries.list_counts(retired),
                           shared=services.shared_name_keys(), may_curate=may_curate(current_user))


@bp.get("/<int:substance_id>")
@login_required
def substance(substance_id: int):
    row = found_or_404(db.session.get(Substance, substance_id))
    found_or_404(row, not row.is_retired or may_curate(current_user))
    return render_template("chemicals/substance.html", substance=row, shared=services.shared_name_keys(),
                           tagged=queries.tagged_request_count(row.id), may_curate=may_curate(current_user),
                           form=ConfirmForm(), panels=panels_for(row, current_user))


@bp.route("/new", methods=["GET", "POST"], defaults={"substance_id": None})
@bp.route("/<int:substance_id>/edit", methods=["GET", "POST"])
@admin_only
@action
def edit(substance_id: int | None):
    row = found_or_404(db.session.get(Substance, substance_id)) if substance_id is not None else None
    lists = queries.all_lists()
    form = substance_form(lists, _locale(), row, request.form if request.method == "POST" else None)
    schema = SubstanceSchema({c.code for c in lists})
    if form.is_submitted() and (data := load_form(form, schema, posted_substance(form, lists))) is not None:
        outcome = attempt(lambda: services.save_substance(_actor(), row, data), form.cas,
                          {"retired": form.cas})
        if outcome.ok:
            flash(_("The substance is saved."), "success")
            return redirect(url_for("chemicals.substance", substance_id=outcome.value.id))
    status = 422 if form.is_submitted() else 200
    return render_template("chemicals/edit.html", form=form, substance=row, lists=lists), status


def _back_to_substance(substance_id: int) -> str:
    return url_for("chemicals.substance", substance_id=substance_id)


def _retirement(substance_id: int, change, said: str):
    row = found_or_404(db.session.get(Substance, substance_id))
    change(_actor(), row)
    flash(said, "success")
    return redirect(_back_to_substance(row.id))


@bp.route("/<int:substance_id>/retire", methods=["GET", "POST"])
@admin_only
@action(refused=refused_back_to(_back_to_substance))
def retire(substance_id: int):
    """Asks first (GET: what is tagged with it), then retires (POST)."""
    if request.method == "POST":
        return _retirement(substance_id, services.retire_substance, _(
            "The substance is retired: it is no longer offered for tagging nor recognised in requests."))
    row = found_or_404(db.session.get(Substance, substance_id))
    return render_template("chemicals/retire.html", substance=row, form=ConfirmForm(),
                           tagged=queries.tagged_request_count(row.id))


@bp.post("/<int:substance_id>/restore")
@admin_only
@action(refused=refused_back_to(_back_to_substance))
def restore(substance_id: int):
    return _retirement(substance_id, services.restore_substance, _("The substance is restored."))


@bp.route("/import", methods=["GET", "POST"])
@admin_only
@action
def import_file():
    form = ImportForm()
    errors: list[services.RowError] = []
    if form.validate_on_submit() and form.file.data:
        upload = form.file.data
        try:
            entries = files.read_entries(upload.filename or "", upload.read())
        except files.UnreadableFile:
            form.file.errors = [_("This is not a register file: a CSV with a cas column, or a JSON list.")]
        else:
            outcome = attempt(lambda: services.import_substances(_actor(), entries), form.file)
            if outcome.ok:
                result = outcome.value
                flash(_("Imported: %(created)d new, %(changed)d changed, %(unchanged)d unchanged.",
                        created=result.created, changed=result.changed, unchanged=result.unchanged), "success")
                return redirect(url_for("chemicals.index"))
            errors = getattr(outcome.refusal, "rows", [])
    elif form.is_submitted():
        form.file.errors = [*form.file.errors, _("Choose a file to import.")]
    status = 422 if form.is_submitted() else 200
    return render_template("chemicals/import.html", form=form, errors=errors), status
