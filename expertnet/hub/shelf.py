"""A group's hub shelf: the published items whose TLP:AMBER audience names the group, as the viewer may see them
(`access.visibility`: a member of the group reads them, anyone else finds nothing). Registered as a panel of the
group page at app start."""
import sqlalchemy as sa
from flask import Flask, render_template
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from expertnet.extensions import db
from expertnet.groups.panels import GroupPanel, register_panel
from expertnet.hub.access import visible_items
from expertnet.hub.models import HubItem, ItemStatus, hub_item_group

SHOWN = 12


def shelf_items(group, viewer, limit: int = SHOWN) -> list[HubItem]:
    scoped = sa.select(hub_item_group.c.item_id).where(hub_item_group.c.group_id == group.id)
    return list(db.session.scalars(
        visible_items(viewer).where(HubItem.status == ItemStatus.PUBLISHED, HubItem.id.in_(scoped))
        .options(selectinload(HubItem.texts)).order_by(HubItem.published_at.desc(), HubItem.id.desc()).limit(limit)))


def render_shelf(group, viewer) -> Markup:
    return Markup(render_template("hub/_group_shelf.html", group=group, items=shelf_items(group, viewer)))


def init_app(app: Flask) -> None:
    register_panel(app, GroupPanel("hub", render_shelf, position=20))
