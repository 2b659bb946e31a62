"""The library's facets (kind, topic, language, region, year) as filters on the reader's scoped query, and the
counts per facet value of what the reader may see (so no count reveals an item beyond their label)."""
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from expertnet.extensions import db
from expertnet.hub.models import LANGUAGES, HubItem, HubText, ItemStatus, Kind, hub_item_substance, hub_item_topic
from expertnet.hub.labels import KIND_LABELS, LANGUAGE_LABELS, STATUS_LABELS
from expertnet.i18n import REGION_NAMES, region_name
from expertnet.taxonomy.models import Topic

FACETS = ("kind", "topic", "language", "region", "year", "status")


@dataclass
class Facets:
    kind: str = ""
    topic: str = ""
    language: str = ""
    region: str = ""
    year: str = ""
    status: str = ""
    substance: str = ""  # a register substance's id: a filter the substance page links to, not a listed facet
    q: str = ""
    counts: dict[str, Counter] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "Facets":
        """Values a page offers; anything else (a hand-made address) is ignored."""
        chosen = cls(q=(args.get("q") or "").strip()[:500])
        valid = {"kind": {k.value for k in Kind}, "language": set(LANGUAGES), "region": set(REGION_NAMES),
                 "status": {s.value for s in ItemStatus}}
        for name in FACETS:
            value = (args.get(name) or "").strip()
            if name in valid and value not in valid[name]:
                value = ""
            if name == "year" and not (value.isdigit() and len(value) == 4):
                value = ""
            if name == "topic" and len(value) > 64:
                value = ""
            setattr(chosen, name, value)
        substance = (args.get("substance") or "").strip()
        chosen.substance = substance if substance.isdigit() and len(substance) < 10 else ""
        return chosen

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FACETS) or bool(self.q or self.substance)

    def apply(self, query: sa.Select) -> sa.Select:
        if self.kind:
            query = query.where(HubItem.kind == Kind(self.kind))
        if self.status:
            query = query.where(HubItem.status == ItemStatus(self.status))
        if self.topic:
            query = query.where(HubItem.id.in_(sa.select(hub_item_topic.c.item_id).join(
                Topic, Topic.id == hub_item_topic.c.topic_id).where(Topic.slug == self.topic)))
        if self.substance:
            query = query.where(HubItem.id.in_(sa.select(hub_item_substance.c.item_id).where(
                hub_item_substance.c.substance_id == int(self.substance))))
        if self.language:
            query = query.where(HubItem.id.in_(sa.select(HubText.item_id).where(HubText.language == self.language)))
        if self.year:
            dated = sa.func.coalesce(HubItem.published_at, HubItem.created_at)
            query = query.where(sa.extract("year", dated) == int(self.year))
        if self.region:
            # Regions are a short JSON list: filtered in Python below (portable across SQLite and PostgreSQL).
            query = query.where(sa.cast(HubItem.regions, sa.String).contains(f'"{self.region}"'))
        return query


def facet_counts(scoped: sa.Select) -> dict[str, Counter]:
    """How many items the reader may see per kind, state, topic, language, region and year: one GROUP BY per
    facet over the ids of the scoped query (so its labels hold), sent as one UNION ALL; nothing is loaded."""
    visible = scoped.with_only_columns(HubItem.id).order_by(None).scalar_subquery()
    per_item = HubItem.id.in_(visible)
    dated = sa.func.coalesce(HubItem.published_at, HubItem.created_at)
    region = _json_elements(HubItem.regions)
    grouped = [
        ("kind", sa.cast(HubItem.kind, sa.String), sa.select(HubItem.kind).where(per_item)),
        ("status", sa.cast(HubItem.status, sa.String), sa.select(HubItem.status).where(per_item)),
        ("year", sa.cast(sa.cast(sa.extract("year", dated), sa.Integer), sa.String), sa.select(HubItem.id).where(per_item)),
        ("topic", Topic.slug, sa.select(Topic.slug).join(hub_item_topic, hub_item_topic.c.topic_id == Topic.id)
         .where(hub_item_topic.c.item_id.in_(visible))),
        ("language", HubText.language, sa.select(HubText.language).where(HubText.item_id.in_(visible))),
        ("region", region.c.value, sa.select(HubItem.id).select_from(HubItem).join(region, sa.true()).where(per_item)),
    ]
    union: sa.CompoundSelect = sa.union_all(*(query.with_only_columns(sa.literal_column(f"'{name}'").label("facet"), value.label("value"),
                                                   sa.func.count().label("n")).group_by(value)
                           for name, value, query in grouped))
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    for name, value, count in db.session.execute(union):
        if value is not None:
            counts[name][str(value)] += int(count)
    return counts


def _json_elements(column) -> sa.TableValuedAlias:
    """The text elements of a JSON list column as a table whose one column is `value` (SQLite: json_each;
    PostgreSQL: json_array_elements_text, named region(value))."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.json_array_elements_text(column).table_valued("value").render_derived(name="region")
    return sa.func.json_each(column).table_valued("value")


def facet_options(counts: dict[str, Counter], locale: str, editor: bool) -> list[tuple[str, str, list]]:
    """(name, label, [(value, shown name, count)]) of each facet the page offers."""
    topics = {t.slug: t.label(locale) for t in db.session.scalars(sa.select(Topic))}
    names = {"kind": {k.value: str(v) for k, v in KIND_LABELS.items()}, "topic": topics,
             "language": {k: str(v) for k, v in LANGUAGE_LABELS.items()},
             "status": {k.value: str(v) for k, v in STATUS_LABELS.items()}}
    labels = {"kind": _l("Kind"), "topic": _l("Topic"), "language": _l("Language"), "region": _l("Region"),
              "year": _l("Year"), "status": _l("State")}
    options = []
    for name in FACETS:
        if name == "status" and not editor:
            continue
        values = sorted(counts[name].items(), reverse=True) if name == "year" else counts[name].most_common()
        shown = names.get(name, {})
        options.append((name, str(labels[name]), [
            (value, region_name(value) if name == "region" else shown.get(value, value), count)
            for value, count in values]))
    return options
