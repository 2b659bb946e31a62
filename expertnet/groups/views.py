"""Group pages: the list, a new group (admins), a group's page with its panels and members, and membership
management (admins and the group's coordinators; a removal is confirmed first)."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from expertnet.accounts.labels import role_label
from expertnet.accounts.models import Organisation, User
from expertnet.accounts.policy import found_or_404
from expertnet.actions import action, refused_back_to
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.groups import bp, services
from expertnet.groups.access import may_create, sizes_of, may_manage, role_in, visible_group, visible_groups
from expertnet.groups.forms import AddOrganisationForm, AddPersonForm, GroupForm, RoleForm
from expertnet.groups.labels import group_role_label, kind_label
from expertnet.groups.models import Group, GroupMember
from expertnet.groups.panels import panels_for
from expertnet.groups.schemas import GroupIn, OrganisationMembershipIn, PersonMembershipIn, RoleIn
from expertnet.web_input import paginate

PER_PAGE = 20
MEMBERS_PER_PAGE = 25


@bp.app_template_global()
def group_kind_label(kind) -> str:
    return kind_label(kind)


@bp.app_template_global()
def group_role_name(role) -> str:
    return group_role_label(role)


def load_group(slug: str) -> Group:
    return found_or_404(visible_group(current_user, slug))


def load_managed(slug: str) -> Group:
    group = load_group(slug)
    if not may_manage(current_user, group):
        abort(403)
    return group


def _back_to_group(slug: str, **_args) -> str:
    return url_for(".detail", slug=slug)


def _done(message: str, group: Group):
    flash(message, "success")
    return redirect(url_for(".detail", slug=group.slug) + "#members", 303)


@bp.get("/")
@login_required
def index():
    query = visible_groups(current_user).order_by(Group.kind.desc(), Group.name)
    page = paginate(query, per_page=PER_PAGE)
    return render_template("groups/index.html", page=page, sizes=sizes_of([g.id for g in page.items]),
                           may_create=may_create(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@action
def create():
    if not may_create(current_user):
        abort(403)
    form = GroupForm()
    if form.is_submitted() and (data := load_form(form, GroupIn())) is not None:
        group = services.create_group(current_user, data["kind"], data["name"].strip(), data["description"])
        flash(_("The group is created."), "success")
        return redirect(url_for(".detail", slug=group.slug), 303)
    return render_template("groups/new.html", form=form), 422 if form.is_submitted() else 200


def _people(group: Group):
    return paginate(sa.select(GroupMember).join(User, User.id == GroupMember.user_id)
                    .where(GroupMember.group_id == group.id)
                    .options(sa.orm.joinedload(GroupMember.user).joinedload(User.organisation))
                    .order_by(GroupMember.role.desc(), User.full_name), per_page=MEMBERS_PER_PAGE)


def _management_forms(group: Group) -> dict:
    placed = {o.id for o in group.organisations}
    add_organisation = AddOrganisationForm()
    add_organisation.organisation_id.choices = [("", _("Choose an organisation"))] + [
        (o.id, o.name) for o in db.session.scalars(sa.select(Organisation).where(Organisation.is_active)
                                                   .order_by(Organisation.name)) if o.id not in placed]
    in_group = sa.select(GroupMember.user_id).where(GroupMember.group_id == group.id)
    add_person = AddPersonForm()
    # Names with their organisation or role, never e-mail addresses: a group coordinator need not be staff.
    add_person.user_id.choices = [("", _("Choose a person"))] + [
        (u.id, f"{u.full_name} ({u.organisation.name if u.organisation else role_label(u.role)})")
        for u in db.session.scalars(sa.select(User).where(User.is_active, User.id.not_in(in_group))
                                    .options(sa.orm.joinedload(User.organisation)).order_by(User.full_name))]
    return {"add_organisation": add_organisation, "add_person": add_person, "role_form": RoleForm()}


def _render_detail(group: Group, status: int = 200, **forms):
    manage = may_manage(current_user, group)
    context = {**_management_forms(group), **forms} if manage else {}
    return render_template("groups/detail.html", group=group, people=_people(group), manage=manage,
                           my_role=role_in(current_user, group), panels=panels_for(group, current_user),
                           **context), status


@bp.get("/<slug>")
@login_required
def detail(slug: str):
    return _render_detail(load_group(slug))


# ------------------------------------------------------------------ membership management
@bp.post("/<slug>/organisations")
@login_required
@action(refused=refused_back_to(_back_to_group))
def add_organisation(slug: str):
    group = load_managed(slug)
    form = AddOrganisationForm()
    form.organisation_id.choices = []
    if (data := load_form(form, OrganisationMembershipIn())) is None:
        return _render_detail(group, 422, add_organisation=form)
    organisation = services.add_organisation(current_user, group, data["organisation_id"])
    return _done(_("%(name)s is now in the group.", name=organisation.name), group)


@bp.post("/<slug>/organisations/<int:organisation_id>/remove")
@login_required
@action(refused=refused_back_to(_back_to_group))
def remove_organisation(slug: str, organisation_id: int):
    group = load_managed(slug)
    organisation = found_or_404(db.session.get(Organisation, organisation_id))
    services.remove_organisation(current_user, group, organisation)
    return _done(_("%(name)s is no longer in the group.", name=organisation.name), group)


@bp.post("/<slug>/people")
@login_required
@action(refused=refused_back_to(_back_to_group))
def add_person(slug: str):
    group = load_managed(slug)
    form = AddPersonForm()
    form.user_id.choices = []
    if (data := load_form(form, PersonMembershipIn())) is None:
        return _render_detail(group, 422, add_person=form)
    membership = services.add_person(current_user, group, data["user_id"], data["role"])
    return _done(_("%(name)s is now in the group.", name=membership.user.full_name), group)


def _membership(group: Group, user_id: int) -> GroupMember:
    return found_or_404(db.session.get(GroupMember, (group.id, user_id)))


@bp.post("/<slug>/people/<int:user_id>/role")
@login_required
@action(refused=refused_back_to(_back_to_group))
def change_role(slug: str, user_id: int):
    group = load_managed(slug)
    membership = _membership(group, user_id)
    form = RoleForm()
    if (data := load_form(form, RoleIn())) is None:
        flash(_("Choose one."), "danger")
        return redirect(url_for(".detail", slug=group.slug), 303)
    services.set_role(current_user, group, membership, data["role"])
    return _done(_("%(name)s is now: %(role)s.", name=membership.user.full_name,
                   role=group_role_label(membership.role)), group)


@bp.post("/<slug>/people/<int:user_id>/remove")
@login_required
@action(refused=refused_back_to(_back_to_group))
def remove_person(slug: str, user_id: int):
    group = load_managed(slug)
    membership = _membership(group, user_id)
    name = membership.user.full_name
    services.remove_person(current_user, group, membership)
    return _done(_("%(name)s is no longer in the group.", name=name), group)
