"""Admin pages: organisations, users and invitations, taxonomy, audit log."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from expertnet.accounts import services as accounts
from expertnet.accounts.labels import ORGANISATION_KIND_LABELS
from expertnet.accounts.models import Organisation, Role, User
from expertnet.accounts.policy import found_or_404, roles_required
from expertnet.actions import action, form_page, refused_back_to
from expertnet.admin import bp, services
from expertnet.admin.audit_log import AuditFilterForm, active_filters, events_csv, filtered_events
from expertnet.admin.forms import (
    DESCRIPTION_LOCALES, LABEL_LOCALES, ConfirmForm, InviteUserForm, OrganisationForm, TopicForm, UserRoleForm)
from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.http_security import download
from expertnet.taxonomy.models import Topic
from expertnet.taxonomy.services import topic_tree
from expertnet.web_input import paginate

admin_only = roles_required(Role.ADMIN)


def _actor():
    return current_user._get_current_object()


def organisation_choices(blank: bool = True):
    organisations = db.session.scalars(sa.select(Organisation).where(Organisation.is_active)
                                       .order_by(Organisation.name))
    return ([(0, _("— none —"))] if blank else []) + [(o.id, o.name) for o in organisations]


def _organisation(organisation_id: int) -> Organisation | None:
    """The organisation chosen in a form (0: none)."""
    return db.session.get(Organisation, organisation_id) if organisation_id else None


@bp.context_processor
def labels():
    return {"kind_labels": ORGANISATION_KIND_LABELS}


@bp.get("/organisations")
@admin_only
def organisations():
    search = request.args.get("q", "").strip()[:100]
    query = sa.select(Organisation).order_by(Organisation.name)
    if search:
        query = query.where(Organisation.name.icontains(search, autoescape=True))
    return render_template("admin/organisations.html", page=paginate(query, per_page=25), search=search)


@bp.route("/organisations/new", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@admin_only
@action
def edit_organisation(organisation_id: int | None):
    organisation = found_or_404(db.session.get(Organisation, organisation_id)) if organisation_id else None
    form = OrganisationForm(obj=organisation, locale=str(get_locale()))
    if organisation is not None and request.method == "GET":
        form.kind.data = organisation.kind.value
    return form_page(form, lambda: services.save_organisation(
        _actor(), organisation, form.name.data, form.country.data, form.kind.data, form.is_active.data), form.name,
        saved=_("The organisation is saved."), then=url_for("admin.organisations"),
        page="admin/organisation_form.html", organisation=organisation)


@bp.get("/users")
@admin_only
def users():
    search = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    query = sa.select(User).order_by(User.full_name).options(sa.orm.joinedload(User.organisation))
    if search:
        query = query.where(sa.or_(User.full_name.icontains(search, autoescape=True),
                                   User.email.icontains(search, autoescape=True)))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    return render_template("admin/users.html", page=paginate(query, per_page=25), search=search, role=role,
                           confirm_form=ConfirmForm())


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
@action
def edit_user(user_id: int):
    user = found_or_404(db.session.get(User, user_id))
    form = UserRoleForm(role=user.role.value, organisation_id=user.organisation_id or 0)
    form.organisation_id.choices = organisation_choices()
    return form_page(form, lambda: accounts.change_role(
        _actor(), user, Role(form.role.data), _organisation(form.organisation_id.data)), form.role,
        saved=_("The role is changed; the user's sessions were ended."), then=url_for("admin.users"),
        page="admin/user_form.html", user=user, confirm_form=ConfirmForm())


@bp.post("/users/<int:user_id>/active")
@admin_only
@action(refused=refused_back_to(lambda user_id: url_for("admin.users")))
def set_user_active(user_id: int):
    user = found_or_404(db.session.get(User, user_id))
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.set_active(_actor(), user, request.form.get("active") == "1")
        flash(_("The account is updated."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/invite", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.COORDINATOR)
@action
def invite():
    form = InviteUserForm()
    form.organisation_id.choices = organisation_choices()
    if current_user.role != Role.ADMIN:
        form.role.choices = [c for c in form.role.choices if c[0] != Role.ADMIN.value]
    return form_page(form, lambda: accounts.invite_user(
        _actor(), form.email.data, form.full_name.data, Role(form.role.data),
        _organisation(form.organisation_id.data), form.locale.data or None), form.email,
        by_code={"member_needs_organisation": form.organisation_id},
        saved=_("The invitation is sent to %(email)s.", email=form.email.data), then=url_for("admin.invite"),
        page="admin/invite.html")


@bp.get("/taxonomy")
@admin_only
def taxonomy():
    return render_template("admin/taxonomy.html", categories=topic_tree(), locale=str(get_locale()))


def _prefixed(prefix: str, texts: dict, locales: tuple[str, ...]) -> dict:
    """A topic's texts as the form's fields (label_en, label_ar, ...)."""
    return {f"{prefix}_{code}": text for code, text in texts.items() if code in locales}


def _by_locale(form, prefix: str, locales: tuple[str, ...]) -> dict:
    return {code: form[f"{prefix}_{code}"].data for code in locales}


@bp.route("/taxonomy/<int:topic_id>", methods=["GET", "POST"])
@admin_only
@action
def edit_topic(topic_id: int):
    topic = found_or_404(db.session.get(Topic, topic_id))
    form = TopicForm(is_active=topic.is_active, **_prefixed("label", topic.labels, LABEL_LOCALES),
                     **_prefixed("description", topic.descriptions, DESCRIPTION_LOCALES))
    return form_page(form, lambda: services.save_topic(
        _actor(), topic, _by_locale(form, "label", LABEL_LOCALES), _by_locale(form, "description", DESCRIPTION_LOCALES),
        form.is_active.data), form.label_en,
        saved=_("The topic is saved."), then=url_for("admin.taxonomy"), page="admin/topic_form.html", topic=topic)


@bp.get("/audit")
@admin_only
def audit_log():
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render_template("admin/audit.html", form=form, page=None), 400
    return render_template("admin/audit.html", form=form, page=paginate(filtered_events(form), per_page=50))


@bp.get("/audit/export.csv")
@admin_only
@action  # the export's audit row
def audit_export():
    form = AuditFilterForm(request.args)
    if not form.validate():
        return redirect(url_for("admin.audit_log", **request.args))
    body, count = events_csv(form)
    # The log leaving the system is itself evidence.
    record("audit.exported", _actor(), None, filters=active_filters(form), rows=count)
    return download(body, "text/csv; charset=utf-8", "expertnet-audit-log.csv")
