"""Organisations and users for admins, and the taxonomy's tree for every token (issue 16): the twins of the
admin pages, through their forms' rules and the same services (`admin.services.save_organisation`,
`accounts.services.invite_user` and `set_active`), each audited there. A person is created as on the pages: by
an onboarding invitation, whose link lets them choose their password. Anyone but an admin gets 403."""
from flask.views import MethodView
from flask_babel import get_locale, lazy_gettext as _l
from flask_smorest import abort

import sqlalchemy as sa

from expertnet.accounts import services as accounts
from expertnet.accounts.models import Organisation, Role, User
from expertnet.api import bp
from expertnet.api.conventions import SelectPage, caller, caller_in, documented_errors, for_roles, operation_method
from expertnet.api.schemas import (AdminUserOut, ListQueryArgs, OnboardingOut, OrganisationIn, OrganisationOut,
                                   TopicTreeOut, UserInviteIn, UserListArgs)
from expertnet.admin import services
from expertnet.admin.forms import OrganisationForm
from expertnet.extensions import db
from expertnet.taxonomy.services import topic_tree

UNKNOWN_ORGANISATION = _l("There is no such organisation.")


def _admin():
    return caller_in(Role.ADMIN)


def _organisation(organisation_id: int) -> Organisation:
    _admin()
    return db.get_or_404(Organisation, organisation_id)


def _user(user_id: int) -> User:
    _admin()
    return db.get_or_404(User, user_id)


@bp.route("/organisations")
class Organisations(MethodView):
    @for_roles(Role.ADMIN)
    @bp.arguments(ListQueryArgs, location="query", as_kwargs=True)
    @bp.response(200, OrganisationOut(many=True))
    @bp.paginate(SelectPage)
    @documented_errors(bp)
    def get(self, q: str = ""):
        """Every organisation by name (admins), `q` matching part of the name."""
        _admin()
        query = sa.select(Organisation).order_by(Organisation.name, Organisation.id)
        return query.where(Organisation.name.icontains(q.strip(), autoescape=True)) if q.strip() else query

    @for_roles(Role.ADMIN)
    @operation_method(bp, OrganisationOut, status=201, body=OrganisationIn, errors=(409,))
    def post(self, data: dict):
        """A new member organisation (its name unique, the country from the admin page's list)."""
        _admin()
        form = OrganisationForm(formdata=None, meta={"csrf": False}, locale=str(get_locale()),
                                data={"name": data["name"], "country": data["country"].upper(),
                                      "kind": data["kind"].value, "is_active": True})
        if not form.validate():
            abort(422, messages={"json": form.errors})
        return services.save_organisation(caller(), None, form.name.data, form.country.data, form.kind.data, True), 201


@bp.route("/organisations/<int:organisation_id>", methods=["GET"])
@bp.response(200, OrganisationOut)
@documented_errors(bp)
def get_organisation(organisation_id: int):
    """One organisation (admins)."""
    return _organisation(organisation_id)


@bp.route("/organisations/<int:organisation_id>/deactivate", methods=["POST"])
@for_roles(Role.ADMIN)
@operation_method(bp, OrganisationOut)
def deactivate_organisation(organisation_id: int):
    """Mark the organisation inactive (it is no longer offered for new members; a repeat changes nothing)."""
    organisation = _organisation(organisation_id)
    return services.save_organisation(caller(), organisation, organisation.name, organisation.country,
                                      organisation.kind.value, False)


@bp.route("/users")
class Users(MethodView):
    @for_roles(Role.ADMIN)
    @bp.arguments(UserListArgs, location="query", as_kwargs=True)
    @bp.response(200, AdminUserOut(many=True))
    @bp.paginate(SelectPage)
    @documented_errors(bp)
    def get(self, q: str = "", role: Role | None = None):
        """Every user by name (admins), `q` matching part of the name or e-mail, `role` one role."""
        _admin()
        query = sa.select(User).order_by(User.full_name, User.id)
        if q.strip():
            query = query.where(sa.or_(User.full_name.icontains(q.strip(), autoescape=True),
                                       User.email.icontains(q.strip(), autoescape=True)))
        return query.where(User.role == role) if role is not None else query

    @for_roles(Role.ADMIN)
    @operation_method(bp, OnboardingOut, status=201, body=UserInviteIn, errors=(409,))
    def post(self, data: dict):
        """Invite someone (as the admin page does): they get an e-mail whose link lets them set their password
        and join with this role (a member within the organisation named)."""
        admin = _admin()
        organisation = db.session.get(Organisation, data["organisation_id"]) if data["organisation_id"] else None
        if data["organisation_id"] and organisation is None:
            abort(422, messages={"json": {"organisation_id": [str(UNKNOWN_ORGANISATION)]}})
        invitation, _link = accounts.invite_user(admin, data["email"], data["full_name"], data["role"],
                                                 organisation, data["locale"])
        return invitation, 201


@bp.route("/users/<int:user_id>", methods=["GET"])
@bp.response(200, AdminUserOut)
@documented_errors(bp)
def get_user(user_id: int):
    """One user (admins)."""
    return _user(user_id)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@for_roles(Role.ADMIN)
@operation_method(bp, AdminUserOut, errors=(409,))
def deactivate_user(user_id: int):
    """Deactivate the account: its sessions end and its tokens stop working at once (not your own: 422)."""
    user = _user(user_id)
    accounts.set_active(caller(), user, False)
    return user


@bp.route("/taxonomy/tree", methods=["GET"])
@bp.response(200, TopicTreeOut(many=True))
@documented_errors(bp)
def taxonomy_tree():
    """The taxonomy as categories with their topics, in order, with labels per locale (any token)."""
    return topic_tree()
