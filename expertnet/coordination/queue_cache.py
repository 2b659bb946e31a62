"""What every triage-queue page asks and few writes change -- the saved views' counts (its tabs), the topic and
lead choices of its filters -- kept in this process for QUEUE_CACHE_SECONDS (0: never kept, read every time).

At 100k open requests the tabs' counts read the whole queue's index on every page (issue 15: the page's p95
was over its 100 ms target on PostgreSQL). Any INSERT, UPDATE or DELETE this process sends to the tables behind
an entry forgets it at once (an engine event: ORM flushes, statements and bulk writes alike), so a coordinator
sees their own changes counted on the next page; another process's write shows when the entry ages out, so a
tab's count (and the page count of a saved view) may lag a colleague's change by at most QUEUE_CACHE_SECONDS,
as may the Overdue tab a deadline passing. The requests listed are always read fresh: only counts and choices
are kept.
"""
from __future__ import annotations

import re
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import Engine

from expertnet.extensions import db

# Entry kind -> the tables whose writes make it stale.
# A regional coordinator's counts follow their groups' organisations too (groups.access).
TABLES = {"counts": ("assistance_request", "group_organisation", "group_member"), "topics": ("topic",),
          "staff": ("user_account",)}
STALE = "expertnet.queue_cache_stale"  # connection.info: kinds this transaction wrote
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_caches: weakref.WeakKeyDictionary[Engine, dict[tuple, tuple[float, Any]]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


class StaffMember(NamedTuple):
    """What the queue's lead filter lists of an active coordinator or admin."""

    id: int
    full_name: str


def _entries(engine: Engine) -> dict[tuple, tuple[float, Any]]:
    with _lock:
        return _caches.setdefault(engine, {})


def cached(kind: str, key: tuple, compute: Callable[[], Any]) -> Any:
    """The kept value of (`kind`, `key`) while younger than QUEUE_CACHE_SECONDS, else `compute()` kept anew."""
    seconds = float(current_app.config.get("QUEUE_CACHE_SECONDS", 0) or 0)
    if seconds <= 0:
        return compute()
    entries, now = _entries(db.engine), time.monotonic()
    found = entries.get((kind, *key))
    if found is not None and now - found[0] < seconds:
        return found[1]
    value = compute()
    entries[(kind, *key)] = (now, value)
    return value


def _stale_kinds(statement: str) -> list[str]:
    if not _WRITE.match(statement):
        return []
    written = statement.lower()
    return [kind for kind, tables in TABLES.items()
            if any(re.search(rf"\b{table}\b", written) for table in tables)]


def _forget(engine: Engine, kinds) -> None:
    entries = _caches.get(engine)
    if entries:
        for entry in [e for e in list(entries) if e[0] in kinds]:
            entries.pop(entry, None)


def _after_write(conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
    kinds = _stale_kinds(statement)
    if kinds:
        _forget(conn.engine, kinds)
        conn.info.setdefault(STALE, set()).update(kinds)


def _after_commit(conn) -> None:
    """Again at commit: a page may have counted between the write and its commit (and kept the old count)."""
    kinds = conn.info.pop(STALE, None)
    if kinds:
        _forget(conn.engine, kinds)


def _after_rollback(conn) -> None:
    conn.info.pop(STALE, None)


LISTENERS: tuple[tuple[str, Callable], ...] = (
    ("after_cursor_execute", _after_write), ("commit", _after_commit), ("rollback", _after_rollback))


def register() -> None:
    """Listen on every engine (once per process, however many apps are created)."""
    for name, listener in LISTENERS:
        if not sa.event.contains(Engine, name, listener):
            sa.event.listen(Engine, name, listener)
