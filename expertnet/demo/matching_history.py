"""Demo step: months of coordinators' decisions for `flask matching evaluate` and `tune` to learn from.

24 past requests (history.json: eight each written in English, Arabic and French, by agencies on four
continents, over about eight months) are walked to closed. For each, the suggestions list the coordinator saw
is the real ranker's and is recorded as shown; what the coordinator then did is NOT read from that list: it
follows what each request was written for, its ticked topics (the first one leads), against the topics the
experts hold and the languages they speak. The best-fitting experts are invited and accept (one may decline
for dates or load); now and then the coordinator also tries one of the list's first ten experts who does
not fit what the request was written for, and that expert declines as outside their expertise.
"""
import json
import random
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.demo.engagements import _advance, _answer, _backdate
from expertnet.demo.requests import _build, _walk
from expertnet.db import utcnow
from expertnet.engagements import services
from expertnet.engagements.models import EngagementStatus
from expertnet.engagements.suggestions import rank_for_request
from expertnet.experts.matcher_bridge import is_vetted, profile_query
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db
from expertnet.matching_history.models import ShownList
from expertnet.matching_history.services import record_shown
from expertnet.notifications.models import Notification, OutboxMessage

LEVEL = {"awareness": 1, "practitioner": 2, "expert": 3}
FITS = 4  # an intent score from which the coordinator sees a fit: expert in the lead topic, or more
MISFIT_WINDOW = 10  # how far down the list a coordinator looks for one more name to try
DEFAULTS = {"status": "closed", "gap_type": "knowledge", "modality": "remote_advice", "urgency": "routine",
            "summary_tlp": "TLP:GREEN", "detail_tlp": "TLP:AMBER", "sectors": []}


def history() -> list[dict]:
    entries = json.loads((Path(__file__).with_name("history.json")).read_text("utf-8"))["requests"]
    return [{**DEFAULTS, **entry} for entry in entries]


def intent(profile, entry: dict) -> int:
    """How well an expert fits what the request was written for: their level in each ticked topic (the lead
    topic twice), plus one when they speak a language the request asks for."""
    levels = {t.topic.slug: LEVEL[t.level.value] for t in profile.topics}
    score = sum(levels.get(slug, 0) * (2 if number == 0 else 1) for number, slug in enumerate(entry["topics"]))
    speaks = {str(item.get("code")) for item in profile.languages or []}
    return score + (1 if score and speaks & set(entry["languages"]) else 0)


def _candidates(assistance_request, profiles) -> list:
    organisation = assistance_request.organisation
    return [p for p in profiles if is_vetted(p) and p.organisation_id != organisation.id
            and organisation not in p.conflict_organisations and p.capacity - p.commitments >= 1]


def _decisions(entry, candidates, shown, used: dict, rng: random.Random) -> list[tuple]:
    """(profile, outcome) in invitation order: the fits by intent (experts used often in this history a
    little less), then perhaps one of the list's first ten who does not fit (they decline as outside their
    expertise)."""
    ranked = sorted(((intent(p, entry) - 0.5 * used.get(p.id, 0), rng.random(), p) for p in candidates),
                    key=lambda item: (-item[0], item[1]))
    fits = [p for score, _tie, p in ranked if intent(p, entry) >= FITS]
    wanted = entry["experts_wanted"]
    declining = 1 if rng.random() < 0.4 else 0
    picks = fits[:wanted + declining]
    outcomes = ["accepted"] * len(picks)
    if declining and len(picks) > wanted:
        outcomes[rng.randrange(len(picks))] = rng.choice(["dates", "no_capacity"])
    decisions = list(zip(picks, outcomes))
    misfit = next((p for p, _score, _reasons in shown.experts[:MISFIT_WINDOW] if p not in picks and intent(p, entry) < FITS), None)
    if misfit is not None and misfit in candidates and rng.random() < 0.6:
        decisions.insert(0, (misfit, "out_of_expertise"))
    return decisions


def seed_matching_history(admin, organisations: dict) -> None:
    if db.session.scalar(sa.select(ShownList.id).limit(1)) is not None:
        return
    rng = random.Random(14)
    first_outbox = db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    first_notification = db.session.scalar(sa.select(sa.func.max(Notification.id))) or 0
    coordinators = list(db.session.scalars(sa.select(User).where(User.role == Role.COORDINATOR).order_by(User.id)))
    members = {}
    for user in db.session.scalars(sa.select(User).where(User.role == Role.MEMBER).order_by(User.id)):
        members.setdefault(user.organisation_id, user)
    profiles = db.session.scalars(profile_query().order_by(ExpertProfile.id)).all()  # the same on every database
    used: dict[int, int] = {}
    for number, entry in enumerate(sorted(history(), key=lambda e: -e["days_ago"])):
        arabic = [c for c in coordinators if c.locale == "ar"]
        coordinator = arabic[0] if entry["written_in"] == "ar" and arabic else coordinators[number % len(coordinators)]
        member = members[organisations[entry["organisation"]].id]
        created_at = utcnow() - timedelta(days=entry["days_ago"], hours=number % 5)
        assistance_request = _build(entry, member, coordinator, {t.slug: t for t in _topics()}, created_at)
        _walk(assistance_request, entry, member, coordinator, created_at)
        _decide(assistance_request, entry, coordinator, profiles, used, rng)
    db.session.flush()
    # Back-filled history is not news (as for the engagements' step).
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id > first_outbox))
    db.session.execute(sa.delete(Notification).where(Notification.id > first_notification))


def _topics():
    from expertnet.taxonomy.models import Topic

    return db.session.scalars(sa.select(Topic))


def _decide(assistance_request, entry, coordinator, profiles, used: dict, rng: random.Random) -> None:
    locale = coordinator.locale or "en"
    shown = rank_for_request(assistance_request, k=20, locale=locale)
    record_shown(coordinator, assistance_request, shown, locale=locale,
                 at=assistance_request.first_invited_at - timedelta(minutes=30 + rng.randrange(90)))
    decisions = _decisions(entry, _candidates(assistance_request, profiles), shown, used, rng)
    scores = {profile.id: score for profile, score, _reasons in shown.experts}
    invitations = [(services.record_invitation(coordinator, assistance_request, profile,
                                               "Your profile fits this request well; could you help?",
                                               utcnow() + timedelta(days=7), scores.get(profile.id)), outcome)
                   for profile, outcome in decisions]
    for invitation, outcome in sorted(invitations, key=lambda pair: pair[1] == "accepted"):
        used[invitation.expert_id] = used.get(invitation.expert_id, 0) + 1
        _answer(invitation, outcome, rng)
    for number, (invitation, _outcome) in enumerate(invitations):
        if invitation.engagement is not None:
            _advance(invitation.engagement, EngagementStatus.CLOSED, coordinator,
                     "ar" if invitation.expert.user.locale == "ar" else "en")
        _backdate(invitation, assistance_request, number)
