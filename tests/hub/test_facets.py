"""Facet counts (issue 17, hub search): computed in SQL (one GROUP BY per facet over the reader's scoped query),
they equal a count over the items the reader may see, per label, and never count an item beyond it."""
from collections import Counter

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from expertnet.extensions import db
from expertnet.hub import access, listing, services
from expertnet.hub.models import HubItem, ItemStatus, Kind
from expertnet.sensitivity import Tlp
from tests.hub.factories import make_item
from tests.requests.factories import ensure_topics


def _python_counts(items) -> dict[str, Counter]:
    """The counting facet_counts replaced: over loaded items, in Python (the reference)."""
    counts: dict[str, Counter] = {name: Counter() for name in listing.FACETS}
    for item in items:
        counts["kind"][item.kind.value] += 1
        counts["status"][item.status.value] += 1
        counts["topic"].update(t.slug for t in item.topics)
        counts["language"].update(item.languages)
        counts["region"].update(item.regions or [])
        counts["year"][str((item.published_at or item.created_at).year)] += 1
    return counts


@pytest.fixture
def library(app, users):
    ensure_topics()
    editor, home = users["coordinator"], users["member"].organisation
    slugs = list(db.session.scalars(sa.text("SELECT slug FROM topic WHERE parent_id IS NOT NULL LIMIT 2")))
    made = [
        make_item(editor, tlp=Tlp.CLEAR, kind=Kind.SOP, topics=slugs[:1], regions=["MENA", "JO"]),
        make_item(editor, tlp=Tlp.GREEN, language="ar", title="تخزين الكلور", topics=slugs, regions=["JO"]),
        make_item(editor, tlp=Tlp.AMBER, audience=[home], kind=Kind.TRAINING, regions=["AFRICA"]),
        make_item(editor, tlp=Tlp.AMBER, audience=[users["other_member"].organisation], regions=["LATAM"]),
        make_item(editor, status=ItemStatus.DRAFT, kind=Kind.WEBINAR, topics=slugs[1:], regions=["JO"]),
        make_item(editor, status=ItemStatus.ARCHIVED, tlp=Tlp.CLEAR, language="fr", title="Stockage du chlore"),
    ]
    # A second language on the first item (its topics and audience restated, as the edit form does).
    services.update_item(editor, made[0], {"language": "fr", "title": "Contrôle des ventes", "summary": "Vérifier",
                                           "topics": slugs[:1]})
    db.session.commit()
    return made


@pytest.mark.parametrize("role", ["anonymous", "member", "other_member", "expert", "coordinator"])
def test_facet_counts_in_sql_equal_the_count_over_visible_items(role, library, users):
    reader = users[role] if role != "anonymous" else AnonymousUserMixin()
    scoped = access.visible_items(reader)
    visible = db.session.scalars(scoped).all()
    counts = listing.facet_counts(scoped)
    assert counts == _python_counts(visible)
    assert sum(counts["kind"].values()) == len(visible)
    if role == "anonymous":
        assert len(visible) == 1 and counts["region"] == Counter({"MENA": 1, "JO": 1})
    if role == "coordinator":
        assert counts["region"]["JO"] == 3 and counts["status"]["draft"] == 1


def test_facet_counts_follow_the_chosen_facets(library, users):
    scoped = access.visible_items(users["coordinator"])
    chosen = listing.Facets(region="JO").apply(scoped)
    counts = listing.facet_counts(chosen)
    assert sum(counts["kind"].values()) == 3
    assert counts == _python_counts(db.session.scalars(chosen).all())
    assert listing.facet_counts(scoped.where(HubItem.id < 0)) == {name: Counter() for name in listing.FACETS}
