"""Organisations (member agencies), users and onboarding invitations."""
import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from expertnet.db import IntPK, OrganisationFK, ShortText, TimestampMixin, UserFK, enum_column, utcnow
from expertnet.extensions import db


# Each member's value is its lower-cased name (StrEnum), which is what the database stores.
Role = StrEnum("Role", "MEMBER COORDINATOR EXPERT ADMIN")
OrganisationKind = StrEnum("OrganisationKind", """
    LAW_ENFORCEMENT CUSTOMS_BORDER REGULATOR EMERGENCY_SERVICES
    MILITARY_DEFENCE INDUSTRY ACADEMIA_RESEARCH INTERNATIONAL_ORGANISATION""")


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisation"

    id: Mapped[IntPK]
    name: Mapped[ShortText] = mapped_column(unique=True)
    country: Mapped[str] = mapped_column(sa.String(2))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    is_active: Mapped[bool] = mapped_column(default=True)

    members: Mapped[list["User"]] = relationship(back_populates="organisation")


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint("role <> 'member' OR organisation_id IS NOT NULL", name="member_has_organisation"),
    )

    id: Mapped[IntPK]
    # Stored case-folded, so the unique constraint is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[ShortText]
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, 16))
    organisation_id: Mapped[OrganisationFK | None] = mapped_column(index=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    # IANA zone the user reads times in ("Asia/Amman"); None: the installation's BABEL_DEFAULT_TIMEZONE.
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    # An organisation's service account (issue 16): a system, not a person. No password, never signed in on
    # pages; it acts through its API tokens as a member of its organisation (accounts/service_accounts.py).
    is_service_account: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    last_login_at: Mapped[datetime | None]
    # Part of the session cookie's user id; rotating it ends every session of this user server-side.
    session_nonce: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(16))

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    def end_sessions(self) -> None:
        self.session_nonce = secrets.token_hex(16)


class OnboardingInvitation(TimestampMixin, db.Model):
    """An invitation for a member or coordinator to join; the link carries a signed token naming this row."""

    __tablename__ = "onboarding_invitation"

    id: Mapped[IntPK]
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    full_name: Mapped[ShortText]
    role: Mapped[Role] = mapped_column(enum_column(Role, 16))
    organisation_id: Mapped[OrganisationFK | None]
    invited_by_id: Mapped[UserFK]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()


class ThrottleCounter(db.Model):
    """Recent events (failed sign-ins, reset requests...) of one account or client address, kept in the
    database so that every worker and machine counts together; see accounts/throttle.py."""

    __tablename__ = "throttle_counter"

    scope: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(254), primary_key=True)
    events: Mapped[int] = mapped_column(default=0)
    last_event_at: Mapped[datetime]
    wait_until: Mapped[datetime | None]
