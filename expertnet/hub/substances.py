"""Hub items tagged with substances of the chemicals register (issue 18), as requests and experts are: the tags
(editors set them through the register's one tag page), and the hub's panel on a substance's page, which counts
only the items the viewer may see (an AMBER item beyond their reach is not even counted)."""
from typing import Any

import sqlalchemy as sa
from flask import Flask, render_template
from markupsafe import Markup

from expertnet.chemicals import services as chemicals
from expertnet.chemicals.models import Substance
from expertnet.chemicals.panels import register_panel
from expertnet.extensions import db
from expertnet.hub.access import may_edit, visibility
from expertnet.hub.messages import HubError
from expertnet.hub.models import HubItem, ItemStatus, hub_item_substance
from expertnet.panels import Panel


def item_substances(item_id: int) -> list[Substance]:
    return chemicals.substances_of(hub_item_substance, "item_id", item_id)


def tag_item(actor: Any, item: HubItem, substance_ids) -> None:
    """Replace the item's substance tags (editors only, not on an archived item); audited as the register's tags."""
    if not may_edit(actor):
        raise HubError("not_allowed")
    if item.status == ItemStatus.ARCHIVED:
        raise HubError("not_editable")
    chemicals.set_tags(actor, hub_item_substance, "item_id", item, substance_ids, "hub.substances_tagged")


def visible_count(substance: Substance, viewer: Any) -> int:
    tagged = sa.select(hub_item_substance.c.item_id).where(hub_item_substance.c.substance_id == substance.id)
    return db.session.scalar(sa.select(sa.func.count(HubItem.id)).where(visibility(viewer), HubItem.id.in_(tagged))) or 0


def render_panel(substance: Substance, viewer: Any) -> Markup:
    return Markup(render_template("hub/_substance_panel.html", substance=substance,
                                  count=visible_count(substance, viewer)))


def init_app(app: Flask) -> None:
    register_panel(app, Panel("hub", render_panel, position=20))
