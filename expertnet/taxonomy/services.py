"""Loading and editing the taxonomy."""
import json
from pathlib import Path

import sqlalchemy as sa

from expertnet.audit.services import record
from expertnet.extensions import db
from expertnet.taxonomy.models import Topic

BUNDLED_TOPICS = Path(__file__).with_name("topics.json")


def load_topics(entries: list[dict], actor=None) -> tuple[int, int]:
    """Insert or update topics from JSON entries (parents before children); returns (created, updated)."""
    existing = {t.slug: t for t in db.session.scalars(sa.select(Topic))}
    created = updated = 0
    for entry in sorted(entries, key=lambda e: e.get("parent") is not None):
        topic = existing.get(entry["slug"])
        if topic is None:
            topic = existing[entry["slug"]] = Topic(slug=entry["slug"])
            db.session.add(topic)
            created += 1
        else:
            updated += 1
        topic.parent = existing[entry["parent"]] if entry.get("parent") else None
        topic.position = entry.get("position", 0)
        topic.labels = entry["labels"]
        topic.descriptions = entry.get("descriptions", {})
        topic.synonyms = entry.get("synonyms", {})
    db.session.flush()
    record("taxonomy.loaded", actor, created=created, updated=updated)
    return created, updated


def load_bundled_topics(actor=None) -> tuple[int, int]:
    return load_topics(json.loads(BUNDLED_TOPICS.read_text(encoding="utf-8")), actor)


def leaf_topics() -> list[Topic]:
    return list(db.session.scalars(
        sa.select(Topic).where(Topic.parent_id.is_not(None), Topic.is_active).order_by(Topic.parent_id, Topic.position)))


def topic_tree() -> list[Topic]:
    """Categories in order, each with its children loaded."""
    return list(db.session.scalars(
        sa.select(Topic).where(Topic.parent_id.is_(None)).order_by(Topic.position)
        .options(sa.orm.selectinload(Topic.children))))


def topics_by_slug(slugs) -> dict[str, Topic]:
    return {t.slug: t for t in db.session.scalars(sa.select(Topic).where(Topic.slug.in_(list(slugs))))}


def update_topic(topic: Topic, actor, labels: dict, descriptions: dict, is_active: bool) -> None:
    topic.labels = {**topic.labels, **{k: v for k, v in labels.items() if v}}
    topic.descriptions = {**topic.descriptions, **{k: v for k, v in descriptions.items() if v}}
    topic.is_active = is_active
    db.session.flush()
    record("taxonomy.topic_updated", actor, topic, slug=topic.slug)
