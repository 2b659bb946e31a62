"""Filters, search and ordering for the agency's list of requests."""
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask_babel import get_locale, lazy_gettext as _l

from expertnet.requests.labels import STATUS_LABELS
from expertnet.requests.models import AssistanceRequest, Feedback, RequestStatus, request_topic
from expertnet.taxonomy.models import Topic
from expertnet.taxonomy.services import leaf_topics

SEARCH_MAX = 100
# Arabic search folding (alef and yaa variants, taa marbuta, tatweel, diacritics), done the same way in SQL
# (nested REPLACE, portable to SQLite and PostgreSQL) and in Python for the typed text.
ARABIC_FOLDING = [("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ی", "ي"), ("ة", "ه"), ("ـ", "")] + [
    (mark, "") for mark in "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"]


def fold_text(text: str) -> str:
    text = text.lower()
    for source, target in ARABIC_FOLDING:
        text = text.replace(source, target)
    return text


def _folded(column):
    expression = sa.func.lower(column)
    for source, target in ARABIC_FOLDING:
        expression = sa.func.replace(expression, source, target)
    return expression


def set_filter_choices(form) -> None:
    locale = str(get_locale())
    form.status.choices = [("", _l("Any status"))] + [(s.value, label) for s, label in STATUS_LABELS.items()]
    form.topic.choices = [("", _l("Any topic"))] + [(t.slug, t.label(locale)) for t in leaf_topics()]


def waiting_on_agency() -> sa.ColumnElement[bool]:
    """Requests whose next step is the agency's: a coordinator's question to answer, or feedback to give
    (in evaluation or closed, and not yet given)."""
    return sa.or_(AssistanceRequest.status == RequestStatus.INFO_REQUESTED,
                  sa.and_(AssistanceRequest.status.in_((RequestStatus.EVALUATION, RequestStatus.CLOSED)),
                          ~sa.exists().where(Feedback.request_id == AssistanceRequest.id)))


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def filtered(query: sa.Select, form) -> sa.Select:
    """Apply the valid filters of `form`; an invalid value is ignored rather than failing the page."""
    form.validate()
    if form.status.data:
        statuses = [s for s in RequestStatus if s.value == form.status.data]
        query = query.where(AssistanceRequest.status.in_(statuses) if statuses else sa.false())
    if form.waiting.data:
        query = query.where(waiting_on_agency())
    if form.topic.data:
        query = query.where(AssistanceRequest.id.in_(
            sa.select(request_topic.c.request_id).join(Topic, Topic.id == request_topic.c.topic_id)
            .where(Topic.slug == form.topic.data)))
    if form.since.data:
        query = query.where(AssistanceRequest.created_at >= _day_start(form.since.data))
    if form.until.data:
        query = query.where(AssistanceRequest.created_at < _day_start(form.until.data + timedelta(days=1)))
    text = (form.q.data or "").strip()[:SEARCH_MAX]
    if text:
        columns = (AssistanceRequest.title, AssistanceRequest.summary,
                   sa.func.coalesce(AssistanceRequest.reference, ""))
        folded = fold_text(text)
        query = query.where(sa.or_(*(_folded(column).contains(folded, autoescape=True) for column in columns)))
    return query.order_by(AssistanceRequest.status_changed_at.desc(), AssistanceRequest.id.desc())
