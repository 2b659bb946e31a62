""""Before you file": the published hub items closest to what a member is writing, offered beside the
new-request form (and on their draft once saved, for browsers without JavaScript); which items were shown is
recorded so coordinators see them on the request's desk page. Also the coordinators' gaps summary."""
from collections import Counter
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale

from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.form_tokens import FormToken
from expertnet.hub import access, search, services
from expertnet.hub.models import HubItem, HubSearchGap, HubShown
from expertnet.taxonomy.models import Topic

NEW_REQUEST = "request.new"  # the new-request form's token purpose (requests.views.NEW_REQUEST)
SHOWN = 5  # items beside the form
MIN_WORDS = 4  # fewer words say too little to search on
GAP_DAYS = 180


def before_filing(user: Any, text: str, form_token: str = "", locale: str = "en",
                  request_id: int | None = None) -> list[search.Hit]:
    """The closest items the member may read (none when the text is too short or nothing matches well)."""
    if len(text.split()) < MIN_WORDS:
        return []
    found = search.search(text, access.visible_ids(user), k=SHOWN, locale=locale)
    if found.weak:
        services.record_gap(found.language, search.topics_of(text), source="before_filing")
        return []
    close = [hit for hit in found.hits if hit.score >= search.STRONG_MATCH]
    services.record_shown(user, {hit.item.id: hit.score for hit in close}, form_token=form_token,
                          request_id=request_id)
    return close


def for_draft(user: Any, assistance_request: Any) -> list[search.Hit]:
    """The no-JavaScript fallback: on the member's own draft, what the saved text finds."""
    text = "\n".join(filter(None, (assistance_request.title, assistance_request.summary,
                                   assistance_request.gap_statement)))
    return before_filing(user, text, locale=str(get_locale()), request_id=assistance_request.id)


def shown_for_request(assistance_request: Any) -> list[HubShown]:
    """What the member was shown while writing this request (under its form's token) or on its draft."""
    tokens = sa.select(FormToken.token).where(FormToken.purpose == NEW_REQUEST,
                                              FormToken.target_id == assistance_request.id)
    rows = db.session.scalars(sa.select(HubShown).where(sa.or_(
        HubShown.request_id == assistance_request.id,
        sa.and_(HubShown.form_token != "", HubShown.form_token.in_(tokens)))).order_by(HubShown.score.desc()))
    seen: dict[int, HubShown] = {}
    for row in rows:
        seen.setdefault(row.item_id, row)
    return list(seen.values())


def search_gaps(locale: str, days: int = GAP_DAYS, top: int | None = None) -> dict:
    """Searches with no good result over the last `days` days, by topic and by language (most first; the
    first `top` of each when given). The hub's gaps page and the coordinators' dashboard both show it."""
    since = utcnow() - timedelta(days=days)
    rows = db.session.scalars(sa.select(HubSearchGap).where(HubSearchGap.created_at >= since)).all()
    by_topic = Counter(slug for row in rows for slug in (row.topics or [None]))
    by_language = Counter(row.language for row in rows)
    by_source = Counter(row.source for row in rows)
    topics = {t.slug: t.label(locale) for t in db.session.scalars(sa.select(Topic))}
    return {"total": len(rows), "days": days, "by_topic": by_topic.most_common(top),
            "by_language": by_language.most_common(top), "by_source": by_source, "topic_names": topics}


def gap_summary(locale: str) -> dict:
    """The gaps page: the gaps of the last GAP_DAYS days and the most viewed items."""
    usage = db.session.scalars(sa.select(HubItem).order_by(HubItem.view_count.desc()).limit(20)).all()
    return {**search_gaps(locale), "usage": usage}


TEMPLATE_GLOBALS = {"hub_shown_for_request": shown_for_request, "hub_for_draft": for_draft}
