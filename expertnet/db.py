"""Declarative base with a constraint naming convention (deterministic migrations) and shared column helpers."""
from datetime import datetime, timezone
from typing import Annotated, Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetimes on every backend: SQLite forgets the zone, so store UTC and re-attach it."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use expertnet.db.utcnow()")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={datetime: UTCDateTime()})


def owned_by(parent_key: str, **column_options: Any) -> Any:
    """A foreign key to the row this one belongs to ("hub_item.id"): deleting the parent deletes it too."""
    return mapped_column(sa.ForeignKey(parent_key, ondelete="CASCADE"), **column_options)


# Column shapes the models share, used as `Mapped[...]`; a `mapped_column(...)` beside one adds to it (index=True...).
IntPK = Annotated[int, mapped_column(primary_key=True)]
DefaultNow = Annotated[datetime, mapped_column(default=utcnow)]
ShortText = Annotated[str, mapped_column(sa.String(200))]
# Free text that may be left empty: stored as "" rather than NULL.
FreeText = Annotated[str, mapped_column(sa.Text, default="")]
JsonList = Annotated[list, mapped_column(sa.JSON, default=list)]
UserFK = Annotated[int, mapped_column(sa.ForeignKey("user_account.id"))]
OrganisationFK = Annotated[int, mapped_column(sa.ForeignKey("organisation.id"))]
# Rows that belong to a request or an expert go with it.
RequestFK = Annotated[int, owned_by("assistance_request.id")]
ExpertFK = Annotated[int, owned_by("expert_profile.id")]


class TimestampMixin:
    created_at: Mapped[DefaultNow]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuthoredTextMixin:
    """A text someone wrote on a thread (a request's message, an engagement's progress note): who, what, when."""

    author_id: Mapped[UserFK]
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[DefaultNow]

    @declared_attr
    def author(cls) -> Mapped[Any]:
        return relationship("User")


def link_table(name: str, owner_column: str, owner_key: str, other_column: str, other_key: str) -> sa.Table:
    """A many-to-many table: its rows go with the owner's row (CASCADE); the other side is only referred to."""
    return sa.Table(
        name,
        Base.metadata,
        sa.Column(owner_column, sa.ForeignKey(owner_key, ondelete="CASCADE"), primary_key=True),
        sa.Column(other_column, sa.ForeignKey(other_key), primary_key=True),
    )


def enum_column(enum_cls, length: int = 32, name: str | None = None) -> sa.Enum:
    """Enums stored as their values in a string column with a CHECK: portable, readable in SQL.

    `name` names the CHECK; give one when a table has two columns of the same enum, as PostgreSQL
    wants constraint names unique per table.
    """
    return sa.Enum(enum_cls, values_callable=lambda e: [m.value for m in e], native_enum=False,
                   length=length, validate_strings=True, create_constraint=True,
                   name=name or enum_cls.__name__.lower())
