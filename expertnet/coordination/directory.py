"""The coordinators' expert directory: the filter form (read from the query string), one page of vetted experts,
and an expert's history with the network (invitations, engagements and their outcomes, the agencies' feedback)."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from wtforms import Form, SelectField, StringField
from wtforms.validators import Length, Optional

from expertnet.coordination.queue import Page
from expertnet.engagements.models import Engagement, Invitation
from expertnet.experts.directory import LOADS, SORTS, DirectoryFilters, known_values, search_experts
from expertnet.experts.labels import AVAILABILITY_LABELS
from expertnet.extensions import db
from expertnet.i18n import country_name, language_choices, region_name
from expertnet.requests.models import AssistanceRequest, Feedback

FILTER_FIELDS = ("q", "topic", "language", "country", "region", "availability", "load", "sort")
LOAD_LABELS = {"free": _l("Has a free place"), "idle": _l("No current work"), "full": _l("At capacity")}
SORT_LABELS = {"name": _l("Name"), "free": _l("Most free places"), "load": _l("Busiest first"),
               "recent": _l("Recently vetted")}


class DirectoryForm(Form):
    """Read from the query string; a value outside the lists is refused and shown, never trusted."""

    q = StringField(_l("Name or headline"), validators=[Optional(), Length(max=100)])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    country = SelectField(_l("Country of experience"), validators=[Optional()])
    region = SelectField(_l("Region"), validators=[Optional()])
    availability = SelectField(_l("Availability"), validators=[Optional()])
    load = SelectField(_l("Load"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), default="name", validators=[Optional()])

    def __init__(self, formdata, topics: list[tuple[str, str]], locale: str):
        super().__init__(formdata)
        known = known_values()
        anything = [("", _l("Any"))]
        self.topic.choices = anything + topics
        by_name = lambda pair: pair[1]  # noqa: E731 - the lists read in the reader's alphabet
        self.language.choices = anything + sorted(language_choices(known["language"], locale), key=by_name)
        self.country.choices = anything + sorted(((c, country_name(c, locale)) for c in known["country"]), key=by_name)
        self.region.choices = anything + sorted(((r, region_name(r)) for r in known["region"]), key=by_name)
        self.availability.choices = anything + [(a.value, label) for a, label in AVAILABILITY_LABELS.items()]
        self.load.choices = anything + [(key, LOAD_LABELS[key]) for key in LOADS]
        self.sort.choices = [(key, SORT_LABELS[key]) for key in SORTS]

    def filters(self) -> DirectoryFilters:
        """The accepted values; a refused one is dropped (the page shows its error)."""
        self.validate()
        values = {name: ("" if self[name].errors else (self[name].data or "")) for name in FILTER_FIELDS}
        return DirectoryFilters(**{**values, "sort": values["sort"] or "name"})


def directory_page(filters: DirectoryFilters, page: int, per_page: int) -> Page:
    """One page of the directory; a page beyond the last shows the last."""
    experts = search_experts(filters)
    pages = max(1, -(-len(experts) // per_page))
    page = min(max(page, 1), pages)
    return Page(experts[(page - 1) * per_page: page * per_page], page, per_page, len(experts))


@dataclass(frozen=True)
class History:
    invitations: list[Invitation]
    feedback: list[Feedback]

    @property
    def accepted(self) -> int:
        return sum(1 for i in self.invitations if i.engagement is not None)


def history_of(profile) -> History:
    """Every invitation of the expert (newest first) with its request and engagement, and the agencies'
    feedback on the requests they worked on."""
    invitations = list(db.session.scalars(
        sa.select(Invitation).where(Invitation.expert_id == profile.id)
        .options(selectinload(Invitation.request).selectinload(AssistanceRequest.organisation),
                 selectinload(Invitation.engagement))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())))
    worked_on = sa.select(Engagement.request_id).where(Engagement.expert_id == profile.id)
    feedback = list(db.session.scalars(
        sa.select(Feedback).where(Feedback.request_id.in_(worked_on))
        .options(selectinload(Feedback.request)).order_by(Feedback.created_at.desc())))
    return History(invitations, feedback)
