"""The main navigation: one list, each entry shown to the roles that can use it.

A feature adds its pages here; entries whose endpoint is not registered are skipped.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from expertnet.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: tuple[Role, ...]


NAV_ITEMS = (
    NavItem("requests.index", _l("Our requests"), (Role.MEMBER,)),
    NavItem("hub.index", _l("Knowledge hub"), (Role.MEMBER, Role.EXPERT, Role.COORDINATOR, Role.ADMIN)),
    NavItem("coordination.queue", _l("Triage queue"), (Role.COORDINATOR, Role.ADMIN)),
    NavItem("coordination.dashboard", _l("Dashboard"), (Role.COORDINATOR, Role.ADMIN)),
    NavItem("coordination.directory", _l("Experts"), (Role.COORDINATOR, Role.ADMIN)),
    NavItem("engagements.inbox", _l("Invitations"), (Role.EXPERT,)),
    NavItem("engagements.my_engagements", _l("My engagements"), (Role.EXPERT,)),
    NavItem("experts.edit_profile", _l("My profile"), (Role.EXPERT,)),
    NavItem("groups.index", _l("Groups"), (Role.MEMBER, Role.EXPERT, Role.COORDINATOR, Role.ADMIN)),
    NavItem("events.index", _l("Events"), (Role.MEMBER, Role.EXPERT, Role.COORDINATOR, Role.ADMIN)),
    NavItem("experts.vetting_queue", _l("Vetting"), (Role.COORDINATOR, Role.ADMIN)),
    NavItem("chemicals.index", _l("Chemicals"), (Role.MEMBER, Role.EXPERT, Role.COORDINATOR, Role.ADMIN)),
    NavItem("admin.invite", _l("Invite people"), (Role.COORDINATOR, Role.ADMIN)),
    NavItem("admin.organisations", _l("Organisations"), (Role.ADMIN,)),
    NavItem("admin.users", _l("Users"), (Role.ADMIN,)),
    NavItem("admin.taxonomy", _l("Taxonomy"), (Role.ADMIN,)),
    NavItem("admin.audit_log", _l("Audit log"), (Role.ADMIN,)),
    NavItem("admin.outbox", _l("Outbox"), (Role.ADMIN,)),
)


def nav_items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    return [item for item in NAV_ITEMS if user.role in item.roles and item.endpoint in endpoints]
