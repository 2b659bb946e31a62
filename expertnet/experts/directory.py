"""The vetted experts a coordinator can search: text over name and headline, topic, availability and load in SQL;
languages, countries and regions (JSON lists, stored differently by SQLite and PostgreSQL) checked on the rows.

The network holds hundreds of experts, not millions: the JSON-list filters run over the SQL-filtered rows, and
the page is sliced after them (the directory's caller paginates)."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.accounts.models import User
from expertnet.experts.models import Availability, ExpertProfile, ExpertTopic, VettingStatus
from expertnet.extensions import db
from expertnet.taxonomy.models import Topic

LOADS = ("free", "idle", "full")  # has a free place; no commitment at all; no free place
SORTS = ("name", "free", "load", "recent")


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    topic: str = ""
    language: str = ""
    country: str = ""
    region: str = ""
    availability: str = ""
    load: str = ""
    sort: str = "name"


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _load_clause(load: str):
    return {"free": ExpertProfile.commitments < ExpertProfile.capacity,
            "idle": ExpertProfile.commitments == 0,
            "full": ExpertProfile.commitments >= ExpertProfile.capacity}[load]


ORDER = {
    "name": (sa.func.lower(User.full_name), ExpertProfile.id),
    "free": ((ExpertProfile.capacity - ExpertProfile.commitments).desc(), sa.func.lower(User.full_name)),
    "load": (ExpertProfile.commitments.desc(), sa.func.lower(User.full_name)),
    "recent": (ExpertProfile.vetted_at.desc(), ExpertProfile.id.desc()),
}


def vetted_query(filters: DirectoryFilters) -> sa.Select:
    """Approved experts with an active account, filtered by what SQL can say on every database."""
    query = (sa.select(ExpertProfile).join(User, ExpertProfile.user_id == User.id)
             .where(ExpertProfile.vetting_status == VettingStatus.APPROVED, User.is_active)
             .options(selectinload(ExpertProfile.user),
                      selectinload(ExpertProfile.topics).selectinload(ExpertTopic.topic)))
    text = filters.q.strip()
    if text:
        query = query.where(sa.or_(User.full_name.ilike(_like(text), escape="\\"),
                                   ExpertProfile.headline.ilike(_like(text), escape="\\")))
    if filters.topic:
        query = query.where(ExpertProfile.topics.any(ExpertTopic.topic.has(Topic.slug == filters.topic)))
    if filters.availability:
        query = query.where(ExpertProfile.availability == Availability(filters.availability))
    if filters.load:
        query = query.where(_load_clause(filters.load))
    return query.order_by(*ORDER.get(filters.sort, ORDER["name"]))


def _matches_lists(profile: ExpertProfile, filters: DirectoryFilters) -> bool:
    languages = {str(item.get("code", "")).lower() for item in profile.languages or []}
    return ((not filters.language or filters.language.lower() in languages)
            and (not filters.country or filters.country.upper() in {c.upper() for c in profile.countries or []})
            and (not filters.region or filters.region in (profile.regions or [])))


def search_experts(filters: DirectoryFilters) -> list[ExpertProfile]:
    """Every vetted expert the filters keep, in the chosen order."""
    return [p for p in db.session.scalars(vetted_query(filters)) if _matches_lists(p, filters)]


def known_values() -> dict[str, list[str]]:
    """The languages, countries and regions vetted experts declared: what the directory's lists offer."""
    rows = db.session.execute(sa.select(ExpertProfile.languages, ExpertProfile.countries, ExpertProfile.regions)
                              .where(ExpertProfile.vetting_status == VettingStatus.APPROVED)).all()
    languages = {str(item.get("code", "")).lower() for row in rows for item in row[0] or [] if item.get("code")}
    countries = {str(c).upper() for row in rows for c in row[1] or []}
    regions = {str(r) for row in rows for r in row[2] or []}
    return {"language": sorted(languages), "country": sorted(countries), "region": sorted(regions)}
