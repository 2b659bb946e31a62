"""A group's own discussion space on its page: the latest threads placed in the group and the way in to start one.
Registered as a panel of the group page at app start (groups sit below the hub and may not import it). The group
page is shown only to those who may see the group, who are exactly those who may see its space (`places`)."""
import sqlalchemy as sa
from flask import Flask, render_template
from markupsafe import Markup

from expertnet.extensions import db
from expertnet.groups.panels import GroupPanel, register_panel
from expertnet.hub.discussions.models import PlaceKind
from expertnet.hub.discussions.places import Place
from expertnet.hub.discussions.services import threads_at

SHOWN = 5


def render_space(group, viewer) -> Markup:
    place = Place(PlaceKind.GROUP, group.slug, group)
    query = threads_at(place)
    threads = list(db.session.scalars(query.limit(SHOWN)))
    total = db.session.scalar(query.with_only_columns(sa.func.count()).order_by(None)) if threads else 0
    return Markup(render_template("discussions/_group_space.html", group=group, place=place, threads=threads,
                                  total=total))


def init_app(app: Flask) -> None:
    register_panel(app, GroupPanel("discussions", render_space, position=30))
