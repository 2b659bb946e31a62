"""Progressive delays shared by every worker: counters live in the database (table throttle_counter),
so two gunicorn workers or two machines count the same failures, in SQLite and PostgreSQL alike.

Once `free` events came within a quiet window, each further attempt must wait, base seconds and
doubling with every event, capped; the counter starts again once no event came for `window` seconds.
Counting is one INSERT ... ON CONFLICT DO UPDATE, so events arriving at once are all counted."""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from expertnet.accounts.models import ThrottleCounter
from expertnet.db import utcnow
from expertnet.extensions import db

# 2**62 seconds is beyond any cap; a bound keeps the arithmetic in range for absurd counts.
_MAX_DOUBLINGS = 62


@dataclass(frozen=True)
class Policy:
    scope: str
    free: int
    base_seconds: int
    max_seconds: int
    window_seconds: int

    def delay_after(self, events: int) -> int:
        """Seconds to wait after the n-th event: none before the free ones are used up, then base seconds,
        doubling with each further event up to the cap."""
        if events < self.free:
            return 0
        return min(self.base_seconds * 2 ** min(events - self.free, _MAX_DOUBLINGS), self.max_seconds)


def _counter_key(policy: Policy, subject: str):
    return (ThrottleCounter.scope == policy.scope) & (ThrottleCounter.subject == subject[:254])


def _insert():
    return (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(
        ThrottleCounter)


def hold(policy: Policy, subject: str) -> None:
    """Lock the subject's counter until the transaction ends (creating it if need be), so that attempts
    on one account are checked one after the other: parallel guesses cannot all pass the check first."""
    now = utcnow()
    db.session.execute(_insert().values(scope=policy.scope, subject=subject[:254], events=0, last_event_at=now)
                       .on_conflict_do_nothing(index_elements=["scope", "subject"]))
    db.session.execute(sa.select(ThrottleCounter.events).where(_counter_key(policy, subject)).with_for_update())


def _state(policy: Policy, subject: str) -> ThrottleCounter | None:
    return db.session.execute(sa.select(ThrottleCounter).where(_counter_key(policy, subject))
                              .execution_options(populate_existing=True)).scalar_one_or_none()


def seconds_to_wait(policy: Policy, subject: str, now: datetime) -> int:
    counter = _state(policy, subject)
    if counter is None or counter.wait_until is None or counter.wait_until <= now:
        return 0
    return math.ceil((counter.wait_until - now).total_seconds())


def has_recent_events(policy: Policy, subject: str, now: datetime) -> bool:
    counter = _state(policy, subject)
    return (counter is not None and counter.events > 0
            and now - counter.last_event_at < timedelta(seconds=policy.window_seconds))


def count_event(policy: Policy, subject: str, now: datetime) -> int:
    """Count one event atomically and set the wait it earns; returns the count in the current window."""
    quiet_since = now - timedelta(seconds=policy.window_seconds)
    upsert = _insert().values(scope=policy.scope, subject=subject[:254], events=1, last_event_at=now)
    upsert = upsert.on_conflict_do_update(
        index_elements=["scope", "subject"],
        set_={"events": sa.case((ThrottleCounter.last_event_at < quiet_since, 1), else_=ThrottleCounter.events + 1),
              "last_event_at": now})
    events = db.session.execute(upsert.returning(ThrottleCounter.events)).scalar_one()
    delay = policy.delay_after(events)
    # The upsert holds the row (PostgreSQL row lock, SQLite writer lock) until commit: no lost update here.
    db.session.execute(sa.update(ThrottleCounter).where(_counter_key(policy, subject))
                       .values(wait_until=now + timedelta(seconds=delay) if delay else None))
    return events


def count_in_window(policy: Policy, subject: str, now: datetime) -> tuple[int, int]:
    """A rate (the API's requests per token or address): count one event in the subject's fixed window of
    `window_seconds`, which opens with the first event after the last window closed. Returns the events in this
    window and the seconds until it closes. For these counters `last_event_at` is when the window opened; the
    policy's `free` is the rate's limit and its delays are unused (the wait is the rest of the window)."""
    opened_before = now - timedelta(seconds=policy.window_seconds)
    upsert = _insert().values(scope=policy.scope, subject=subject[:254], events=1, last_event_at=now)
    expired = ThrottleCounter.last_event_at <= opened_before
    upsert = upsert.on_conflict_do_update(
        index_elements=["scope", "subject"],
        set_={"events": sa.case((expired, 1), else_=ThrottleCounter.events + 1),
              "last_event_at": sa.case((expired, now), else_=ThrottleCounter.last_event_at)})
    events, opened = db.session.execute(upsert.returning(ThrottleCounter.events,
                                                         ThrottleCounter.last_event_at)).one()
    closes_in = (opened.replace(tzinfo=now.tzinfo) - opened_before).total_seconds()
    return events, max(1, math.ceil(closes_in))


def forget(policy: Policy, subject: str) -> None:
    db.session.execute(sa.delete(ThrottleCounter).where(_counter_key(policy, subject)))
