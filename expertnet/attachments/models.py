"""An uploaded file attached to a request (an annex) or to an engagement (a deliverable)."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import DefaultNow, IntPK, RequestFK, UserFK, enum_column
from expertnet.extensions import db
from expertnet.sensitivity import Tlp


class StoredFileColumns:
    """What a row describing a stored upload records (`services.store_upload`): attachments and hub files."""

    uploaded_by_id: Mapped[UserFK]
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_key: Mapped[str] = mapped_column(sa.String(80), unique=True)


class Attachment(StoredFileColumns, db.Model):
    __tablename__ = "attachment"

    id: Mapped[IntPK]
    request_id: Mapped[RequestFK] = mapped_column(index=True)
    engagement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("engagement.id"), index=True)
    tlp: Mapped[Tlp] = mapped_column(enum_column(Tlp, 20))
    created_at: Mapped[DefaultNow]

    request = relationship("AssistanceRequest")
    uploaded_by = relationship("User")
