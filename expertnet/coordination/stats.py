"""Dashboard figures, straight from the database (the tests recount them independently)."""
import statistics
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.coordination import sla, substances
from expertnet.db import utcnow
from expertnet.engagements.models import Invitation, InvitationStatus
from expertnet.experts.models import ExpertProfile, VettingStatus
from expertnet.extensions import db
from expertnet.i18n import country_name
from expertnet.requests.access import staff_scope, staff_scope_of_rows
from expertnet.requests.models import AssistanceRequest, RequestStatus, Urgency, request_topic
from expertnet.taxonomy.models import Topic

OPEN = tuple(s for s in RequestStatus
             if s not in (RequestStatus.DRAFT, RequestStatus.CLOSED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN))
GAP_DAYS, GAP_TOP = 90, 5  # the dashboard's hub gaps panel: the last 90 days, the five largest of each
ANSWERED = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.EXPIRED,
            InvitationStatus.CONFLICT_DECLARED)


@dataclass
class Bar:
    label: str
    value: float
    share: float  # of the largest bar, 0..100, for the bar width


def bars(pairs, label=str, keep_zero: bool = False) -> list[Bar]:
    pairs = [(key, value) for key, value in pairs if value or keep_zero]
    top = max((value for _k, value in pairs), default=0) or 1
    return [Bar(label(key), value, round(100 * value / top, 1)) for key, value in pairs]


def scope(user=None) -> list:
    """The WHERE on AssistanceRequest that keeps a regional coordinator's figures to their regions' requests
    (requests.access.staff_scope, the queue's own scope); nothing for a global coordinator, an admin or None."""
    return [] if user is None else staff_scope(user)


def of_requests(request_id_column, user=None) -> list:
    """The same scope for rows that belong to a request (invitations, engagements)."""
    return [] if user is None else staff_scope_of_rows(user, request_id_column)


def open_by_status(user=None) -> dict[RequestStatus, int]:
    rows = db.session.execute(sa.select(AssistanceRequest.status, sa.func.count()).where(
        AssistanceRequest.status.in_(OPEN), *scope(user)).group_by(AssistanceRequest.status)).all()
    counts = dict(rows)
    return {status: counts.get(status, 0) for status in OPEN}


def open_by_urgency(user=None) -> dict[Urgency, int]:
    rows = dict(db.session.execute(sa.select(AssistanceRequest.urgency, sa.func.count()).where(
        AssistanceRequest.status.in_(OPEN), *scope(user)).group_by(AssistanceRequest.urgency)).all())
    return {urgency: rows.get(urgency, 0) for urgency in Urgency}


def median_hours(milestone: sla.Milestone, user=None) -> float | None:
    """Median working hours from submission to the milestone, pauses for the agency excluded."""
    reached = getattr(AssistanceRequest, sla.REACHED_AT[milestone])
    rows = db.session.scalars(sa.select(AssistanceRequest).where(reached.is_not(None),
                                                                 AssistanceRequest.submitted_at.is_not(None), *scope(user))
                              .options(selectinload(AssistanceRequest.events))).all()
    hours = [sla.elapsed_to(r, milestone).total_seconds() / 3600 for r in rows]
    return round(statistics.median(hours), 1) if hours else None


def acceptance_rate(user=None) -> tuple[float | None, int, int]:
    """(accepted share of answered invitations in %, accepted, answered); revoked and pending are not answers."""
    rows = dict(db.session.execute(sa.select(Invitation.status, sa.func.count()).where(
        Invitation.status.in_(ANSWERED), *of_requests(Invitation.request_id, user)).group_by(Invitation.status)).all())
    answered = sum(rows.values())
    accepted = rows.get(InvitationStatus.ACCEPTED, 0)
    return (round(100 * accepted / answered, 1) if answered else None), accepted, answered


def utilisation() -> dict:
    """Commitments against capacity over vetted experts, and how many are idle, partly or fully committed."""
    rows = db.session.execute(sa.select(ExpertProfile.commitments, ExpertProfile.capacity).where(
        ExpertProfile.vetting_status == VettingStatus.APPROVED)).all()
    committed, capacity = sum(r[0] for r in rows), sum(r[1] for r in rows)
    return {"committed": committed, "capacity": capacity, "experts": len(rows),
            "percent": round(100 * committed / capacity, 1) if capacity else None,
            "idle": sum(1 for c, _cap in rows if c == 0), "full": sum(1 for c, cap in rows if cap and c >= cap),
            "partly": sum(1 for c, cap in rows if 0 < c < cap)}


def period_start(months: int, now: datetime | None = None) -> datetime | None:
    """The first instant of the calendar month `months - 1` before now (None: all time)."""
    if not months:
        return None
    now = now or utcnow()
    year, month = divmod(now.year * 12 + now.month - 1 - (months - 1), 12)
    return now.replace(year=year, month=month + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def _submitted_since(months: int, user=None):
    query = sa.select(AssistanceRequest.id).where(AssistanceRequest.submitted_at.is_not(None), *scope(user))
    if months:
        query = query.where(AssistanceRequest.submitted_at >= period_start(months))
    return query


def by_topic(months: int, locale: str, user=None) -> list[tuple[str, int]]:
    rows = db.session.execute(
        sa.select(Topic, sa.func.count(request_topic.c.request_id)).join(request_topic, request_topic.c.topic_id == Topic.id)
        .where(request_topic.c.request_id.in_(_submitted_since(months, user))).group_by(Topic.id)
        .order_by(sa.func.count(request_topic.c.request_id).desc(), Topic.slug)).all()
    return [(topic.label(locale), count) for topic, count in rows]


def by_country(months: int, user=None) -> tuple[list[tuple[str, int]], int]:
    """Requests per country code, most first, and how many name no country (regional or network-wide
    requests): those are counted apart, not drawn as a country of their own."""
    rows = db.session.execute(
        sa.select(AssistanceRequest.country, sa.func.count()).where(AssistanceRequest.id.in_(_submitted_since(months, user)))
        .group_by(AssistanceRequest.country).order_by(sa.func.count().desc(), AssistanceRequest.country)).all()
    return [(country, count) for country, count in rows if country], sum(count for country, count in rows if not country)


def by_month(months: int, now: datetime | None = None, user=None) -> list[tuple[str, int]]:
    """Requests submitted per calendar month (oldest first), months without any shown as zero."""
    now = now or utcnow()
    dates = db.session.scalars(sa.select(AssistanceRequest.submitted_at).where(
        AssistanceRequest.id.in_(_submitted_since(months, user)))).all()
    counts: dict[str, int] = {}
    for moment in dates:
        counts[moment.strftime("%Y-%m")] = counts.get(moment.strftime("%Y-%m"), 0) + 1
    span = months or _months_between(min(dates, default=now), now)
    keys = [_month_key(now, back) for back in range(span - 1, -1, -1)]
    return [(key, counts.get(key, 0)) for key in keys]


def _month_key(now: datetime, back: int) -> str:
    year, month = divmod(now.year * 12 + now.month - 1 - back, 12)
    return f"{year:04d}-{month + 1:02d}"


def _months_between(start: datetime, end: datetime) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _quarter(moment: datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def last_quarters(count: int, now: datetime | None = None) -> list[str]:
    now = now or utcnow()
    index = now.year * 4 + (now.month - 1) // 3
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def over_time(kind: str, locale: str, quarters: int = 4, top: int = 8, user=None) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Requests submitted per quarter for the most frequent topics or countries: (quarters, [(label, counts)])."""
    keys = last_quarters(quarters)
    if kind == "topic":
        query = (sa.select(Topic, AssistanceRequest.submitted_at)
                 .join(request_topic, request_topic.c.topic_id == Topic.id)
                 .join(AssistanceRequest, AssistanceRequest.id == request_topic.c.request_id))
        label = lambda topic: topic.label(locale)  # noqa: E731
    else:
        query = sa.select(AssistanceRequest.country, AssistanceRequest.submitted_at).where(
            AssistanceRequest.country.is_not(None), AssistanceRequest.country != "")
        label = lambda country: country_name(country, locale)  # noqa: E731
    rows = db.session.execute(query.where(AssistanceRequest.submitted_at.is_not(None), *scope(user))).all()
    table: dict[str, list[int]] = {}
    for key, moment in rows:
        quarter = _quarter(moment)
        if quarter in keys:
            table.setdefault(label(key), [0] * len(keys))[keys.index(quarter)] += 1
    ranked = sorted(table.items(), key=lambda item: (-sum(item[1]), item[0]))
    return keys, ranked[:top]


def hub_gaps(locale: str) -> dict:
    """What members looked for in the hub and did not find (the hub's own gaps query, a shorter window)."""
    # Imported here, not at the top: hub.models names events' Event by string, and loading it while
    # coordination's own modules configure the mappers (before events is imported) breaks start-up.
    from expertnet.hub.suggestions import search_gaps
    return search_gaps(locale, days=GAP_DAYS, top=GAP_TOP)


def dashboard(months: int, locale: str, user=None) -> dict:
    """The dashboard's figures; a regional coordinator's request figures count their regions' requests only
    (experts' capacity stays network-wide: experts serve every region)."""
    rate, accepted, answered = acceptance_rate(user)
    countries, without_country = by_country(months, user)
    by_status = open_by_status(user)
    return {
        "by_status": by_status, "by_urgency": open_by_urgency(user),
        "open_total": sum(by_status.values()),
        "median_triage": median_hours(sla.Milestone.TRIAGE, user),
        "median_assignment": median_hours(sla.Milestone.ASSIGNMENT, user),
        "acceptance_rate": rate, "accepted": accepted, "answered": answered, "utilisation": utilisation(),
        "by_topic": by_topic(months, locale, user)[:15], "by_country": countries[:15],
        "without_country": without_country,
        "by_month": by_month(months, user=user),
        "topics_over_time": over_time("topic", locale, user=user),
        "countries_over_time": over_time("country", locale, user=user),
        **substances.figures(_submitted_since(months, user), locale, OPEN, scope(user)),
        "hub_gaps": hub_gaps(locale),
    }
