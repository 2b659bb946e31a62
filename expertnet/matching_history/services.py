"""Recording the suggestions lists coordinators are shown: one list row and one insert of its N expert rows,
in the page's own transaction (the suggestions view commits through `@action`)."""
from datetime import datetime

import sqlalchemy as sa

from expertnet.experts.matcher_bridge import Suggestions, current_tuning, ranker_version
from expertnet.extensions import db
from expertnet.matching_history.models import ShownExpert, ShownList


def record_shown(coordinator, assistance_request, suggestions: Suggestions, *, locale: str = "en",
                 keywords: str = "", required_language: str = "", required_region: str = "",
                 include_unavailable: bool = False, at: datetime | None = None) -> ShownList | None:
    """Record the list `suggestions` as shown to `coordinator` (nothing when it was empty); `at` back-dates
    it (the demo's history)."""
    if not suggestions.experts:
        return None
    config, version = ranker_version()
    tuning = current_tuning()
    shown = ShownList(request_id=assistance_request.id, coordinator_id=coordinator.id, locale=locale,
                      keywords=keywords, required_language=required_language, required_region=required_region,
                      include_unavailable=include_unavailable, ranker_config=config,
                      tuning_id=tuning.id if tuning else None, index_version=version)
    if at is not None:
        shown.shown_at = at
    db.session.add(shown)
    db.session.flush()
    db.session.execute(sa.insert(ShownExpert), [
        {"shown_list_id": shown.id, "expert_id": profile.id, "rank": rank, "score": float(score),
         "included": profile.id in suggestions.included}
        for rank, (profile, score, _reasons) in enumerate(suggestions.experts, start=1)])
    return shown
