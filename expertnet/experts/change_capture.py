"""Change capture for the matcher that no writer can forget (issue 15): SQLAlchemy session events find every
change that can move a ranking and mark the expert changed (matcher_bridge's MatcherState log) in the same
transaction.

What counts is what `matcher_bridge.to_matcher_profile` and the per-request rules read: the expert profile row
itself (text, languages, countries and regions, capacity and commitments, availability, vetting, leaving the
network, conflict countries, conflict organisations), its topics, experiences, publications and blackout
periods, and the expert's user account (active flag, role, name, organisation). Features above experts add
their own rows with `track` (a coordinator's exclusion override). Topic rows feed every profile: a change to
one marks everything (`mark_all_changed`).

- ORM changes: `after_flush` collects the experts behind every new, changed or deleted row of those kinds;
- statements run through the session (`session.execute(sa.update(ExpertProfile)...)`, bulk inserts, deletes):
  `do_orm_execute` finds the experts the statement touches (their ids selected with its WHERE beforehand);
- the collected experts are logged before the transaction commits (`before_commit`), and before a ranking
  reads the index in the same transaction (`matcher_bridge.mark_pending_changes`); a rollback forgets them.
"""
import re
from collections.abc import Callable

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm import Session

from expertnet.accounts.models import User
from expertnet.chemicals.models import Substance, SubstanceName, expert_substance
from expertnet.experts import matcher_bridge
from expertnet.experts.models import (BlackoutPeriod, Experience, ExpertProfile, ExpertTopic, Publication,
                                      expert_conflict_organisation)
from expertnet.taxonomy.models import Topic

# Mapped class -> the attribute holding the expert profile's id.
TRACKED: dict[type, str] = {ExpertProfile: "id", ExpertTopic: "expert_id", Experience: "expert_id",
                            Publication: "expert_id", BlackoutPeriod: "expert_id"}
# The account fields a ranking depends on (matchable only while active and an expert; names are shown).
USER_FIELDS = ("is_active", "role", "full_name", "organisation_id")
PENDING = matcher_bridge.PENDING_CHANGES
# Rows every profile's concepts depend on: the taxonomy's topics and the chemicals register's substances.
CONCEPTS = (Topic, Substance, SubstanceName)


def track(model: type, expert_id_attribute: str = "expert_id") -> None:
    """Rows of `model` belong to the expert in `expert_id_attribute`; changing one marks that expert."""
    TRACKED[model] = expert_id_attribute


def _pending(session: Session) -> set:
    return session.info.setdefault(PENDING, set())


def _changed_in_flush(session: Session) -> set:
    """('expert', id), ('user', id) or ('all', 0) for each row of the flush that can move a ranking."""
    found = set()
    for row in [*session.new, *session.dirty, *session.deleted]:
        kind = type(row)
        if row in session.dirty and not session.is_modified(row):
            continue  # touched, but nothing of it changed (a relationship's other side, say)
        if kind in TRACKED:
            expert_id = getattr(row, TRACKED[kind])
            if expert_id is not None:
                found.add(("expert", expert_id))
        elif kind is User and (row not in session.dirty or any(
                sa.inspect(row).attrs[name].history.has_changes() for name in USER_FIELDS)):
            found.add(("user", row.id))
        elif kind in CONCEPTS:
            found.add(("all", 0))
    return found


def _after_flush(session: Session, _context) -> None:
    _pending(session).update(_changed_in_flush(session))


# ------------------------------------------------------------------ statements run through the session
def _tables() -> dict[sa.Table, tuple[str, str]]:
    """Table -> (kind, column naming the expert or user) for statements."""
    tables = {model.__table__: ("expert", attribute) for model, attribute in TRACKED.items()}
    tables[expert_conflict_organisation] = ("expert", "expert_id")
    tables[expert_substance] = ("expert", "expert_id")  # chemicals.services.tag_expert's statements
    tables[User.__table__] = ("user", "id")
    for model in CONCEPTS:
        tables[model.__table__] = ("all", "id")
    return tables


def _statement_table(state) -> sa.Table | None:
    """The table an INSERT, UPDATE or DELETE writes: its mapper's table for an ORM-enabled statement
    (`sa.update(ExpertProfile)`), else the statement's own Table (`ExpertProfile.__table__.update()`)."""
    if state.bind_mapper is not None:
        return state.bind_mapper.local_table
    table = getattr(state.statement, "table", None)
    return table if isinstance(table, sa.Table) else None


def _compiled_values(state) -> dict:
    """Bound values of the statement by name, as SQLAlchemy compiles them (`values(...)` of an UPDATE or INSERT;
    a multi-row VALUES names each row's value `<column>_m<n>`). An executemany (parameter sets given to
    `execute`) is not compiled here: its values are the parameter sets, and an ORM bulk INSERT compiles only
    within its own execution."""
    if isinstance(state.parameters, list) or (state.is_insert and state.parameters):
        return {}
    return state.statement.compile(dialect=state.session.get_bind().dialect).params


def _parameter_rows(state) -> list[dict]:
    parameters = state.parameters
    if isinstance(parameters, list):
        return [dict(row) for row in parameters]
    return [dict(parameters)] if parameters else []


def _set_columns(state) -> set[str]:
    """Column names an UPDATE sets: its `values(...)` and the keys of executemany parameter sets."""
    names = set(_compiled_values(state)) | {key for row in _parameter_rows(state) for key in row}
    return {str(name) for name in names}


def _inserted_values(state, column: str) -> set:
    values = {value for name, value in _compiled_values(state).items()
              if name == column or re.fullmatch(rf"{re.escape(column)}_m\d+", name)}
    return (values | {row.get(column) for row in _parameter_rows(state)}) - {None}


def _ids_touched(state, table: sa.Table, column: str) -> set:
    """The values of `column` in the rows the statement inserts, or will update or delete."""
    if state.is_insert:
        return _inserted_values(state, column)
    statement, rows = state.statement, _parameter_rows(state)
    key = next(iter(table.primary_key.columns))
    query = sa.select(table.c[column])
    if isinstance(state.parameters, list):  # a bulk UPDATE by primary key: one parameter set per row
        query = query.where(key.in_([row[key.key] for row in rows if key.key in row]))
    elif statement.whereclause is not None:
        query = query.where(statement.whereclause)
    return set(state.session.execute(query, rows[0] if rows else {}).scalars())


def _on_execute(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = _statement_table(state)
    target = _tables().get(table) if table is not None else None
    if target is None:
        return
    kind, column = target
    if kind == "user" and state.is_update and not _set_columns(state) & set(USER_FIELDS):
        return  # an account update that no ranking depends on (a sign-in time, a password)
    ids = {0} if kind == "all" else _ids_touched(state, table, column)
    _pending(state.session).update((kind, i) for i in ids)


# ------------------------------------------------------------------ logged in the same transaction
def _before_commit(session: Session) -> None:
    if not has_app_context():
        return  # no application's database: nothing of ours was written
    if session.info.get(PENDING) or session.new or session.dirty or session.deleted:
        matcher_bridge.mark_pending_changes(session)


def _forget(session: Session, transaction) -> None:
    """The transaction ended (committed: nothing is left; rolled back: what it changed is undone)."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


LISTENERS: tuple[tuple[str, Callable], ...] = (
    ("after_flush", _after_flush), ("do_orm_execute", _on_execute), ("before_commit", _before_commit),
    ("after_transaction_end", _forget))


def register() -> None:
    """Listen on every session (once per process, however many apps are created)."""
    for name, listener in LISTENERS:
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
