"""Topic look-ups shared by the features whose schemas accept topic slugs (requests, expert profiles)."""
import sqlalchemy as sa

from expertnet.extensions import db
from expertnet.taxonomy.models import Topic


def known_topic_slugs(slugs) -> set[str]:
    """Those of `slugs` that name an active topic one may choose (a child, not a top-level group)."""
    return set(db.session.scalars(sa.select(Topic.slug).where(
        Topic.slug.in_(list(slugs)), Topic.parent_id.is_not(None), Topic.is_active)))
