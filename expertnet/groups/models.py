"""Regional networks and working groups (issue 18): a group, the organisations placed in it and the people who
belong to it, each person as a member or as one of the group's coordinators.

A coordinator account (`Role.COORDINATOR`) that coordinates one or more *region* groups is a regional coordinator:
its need-to-know is limited to the requests of the organisations in those regions (`groups.access`)."""
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import DefaultNow, FreeText, IntPK, ShortText, TimestampMixin, enum_column, link_table, owned_by
from expertnet.extensions import db


class GroupKind(str, enum.Enum):
    REGION = "region"  # a regional network: a scope of need-to-know for its coordinators
    WORKING_GROUP = "working_group"  # e.g. the cross-sector advisory group, the steering committee


class GroupRole(str, enum.Enum):
    MEMBER = "member"
    GROUP_COORDINATOR = "group_coordinator"


# The organisations placed in a group; a removed group takes its rows along, an organisation is only referred to.
group_organisation = link_table("group_organisation", "group_id", "network_group.id", "organisation_id",
                                "organisation.id")


class Group(TimestampMixin, db.Model):
    __tablename__ = "network_group"  # "group" is an SQL keyword

    id: Mapped[IntPK]
    kind: Mapped[GroupKind] = mapped_column(enum_column(GroupKind, 20))
    name: Mapped[ShortText] = mapped_column(unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[FreeText]

    organisations = relationship("Organisation", secondary=group_organisation, order_by="Organisation.name")
    people: Mapped[list["GroupMember"]] = relationship(back_populates="group", cascade="all, delete-orphan")


class GroupMember(db.Model):
    """One person's place in a group (experts, coordinators, members of agencies)."""

    __tablename__ = "group_member"

    group_id: Mapped[int] = owned_by("network_group.id", primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True, index=True)
    role: Mapped[GroupRole] = mapped_column(enum_column(GroupRole, 20), default=GroupRole.MEMBER)
    created_at: Mapped[DefaultNow]

    group: Mapped[Group] = relationship(back_populates="people")
    user = relationship("User")
