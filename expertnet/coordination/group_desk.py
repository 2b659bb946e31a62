"""A group's page, for staff: the requests of the group's organisations by state, their open engagements and their
open gaps (requests not yet assigned), each through the viewer's scope (`requests.access.visible_requests`: a
regional coordinator sees only their regions' share). Registered as a panel of the group page at app start."""
import sqlalchemy as sa
from flask import Flask, render_template
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from expertnet.accounts.policy import is_staff
from expertnet.engagements.capacity import OPEN_ENGAGEMENT
from expertnet.engagements.models import Engagement
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.groups.models import group_organisation
from expertnet.groups.panels import GroupPanel, register_panel
from expertnet.requests.access import visible_requests
from expertnet.requests.models import AssistanceRequest as R

SHOWN = 10  # rows of each list; the queue and the engagements page hold the rest


def group_requests(group, viewer) -> sa.Select:
    """The ids of the group's organisations' requests that `viewer` may see."""
    organisations = sa.select(group_organisation.c.organisation_id).where(group_organisation.c.group_id == group.id)
    return visible_requests(viewer).where(R.organisation_id.in_(organisations)).with_only_columns(R.id)


def by_state(ids: sa.Select) -> list[tuple]:
    return list(db.session.execute(sa.select(R.status, sa.func.count()).where(R.id.in_(ids))
                                   .group_by(R.status).order_by(sa.func.count().desc(), R.status)).all())


def open_gaps(ids: sa.Select) -> list[R]:
    return list(db.session.scalars(sa.select(R).where(R.id.in_(ids), R.queue_stage == "queue")
                                   .options(selectinload(R.organisation))
                                   .order_by(R.submitted_at.desc(), R.id.desc()).limit(SHOWN)))


def open_engagements(ids: sa.Select) -> list[Engagement]:
    return list(db.session.scalars(
        sa.select(Engagement).where(Engagement.request_id.in_(ids), Engagement.status.in_(OPEN_ENGAGEMENT))
        .options(selectinload(Engagement.request), selectinload(Engagement.expert).selectinload(ExpertProfile.user))
        .order_by(Engagement.created_at.desc(), Engagement.id.desc()).limit(SHOWN)))


def render_desk(group, viewer) -> Markup | None:
    if not is_staff(viewer):
        return None  # members see their own requests on their own pages, never the group's
    ids = group_requests(group, viewer)
    return Markup(render_template("coordination/_group_desk.html", group=group, states=by_state(ids),
                                  gaps=open_gaps(ids), engagements=open_engagements(ids)))


def init_app(app: Flask) -> None:
    register_panel(app, GroupPanel("coordination", render_desk, position=10))
