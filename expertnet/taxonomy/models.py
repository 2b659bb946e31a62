"""Topic rows; labels, descriptions and synonyms are kept per language code."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from expertnet.db import IntPK, TimestampMixin
from expertnet.extensions import db


class Topic(TimestampMixin, db.Model):
    __tablename__ = "topic"

    id: Mapped[IntPK]
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    labels: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    descriptions: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    synonyms: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    is_active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Topic | None"] = relationship(remote_side="Topic.id", back_populates="children")
    children: Mapped[list["Topic"]] = relationship(back_populates="parent", order_by="Topic.position")

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels.get("en") or self.slug

    def description(self, locale: str) -> str:
        return self.descriptions.get(locale) or self.descriptions.get("en") or ""
