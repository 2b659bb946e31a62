"""Rows to JSON lines and back, driven by the schema reflected from the database itself.

Reflection (rather than the application's models) lets a backup describe exactly what the database held at
its revision, on SQLite and PostgreSQL alike. Values are stored in their portable form: datetimes as UTC
ISO-8601, dates as ISO dates, everything else as JSON already represents it.
"""
import json
from datetime import date, datetime, timezone

import sqlalchemy as sa

# Alembic's bookkeeping is carried in the manifest as the revision, not as data.
NOT_DATA = {"alembic_version"}


def data_tables(connection) -> list[sa.Table]:
    """The database's tables in foreign-key order (parents before children)."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return [table for table in metadata.sorted_tables if table.name not in NOT_DATA]


def _portable(value):
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; the application stores them all in UTC.
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_line(row) -> str:
    return json.dumps({key: _portable(value) for key, value in row._mapping.items()}, ensure_ascii=False,
                      sort_keys=True)


def _native(column: sa.Column, value):
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, sa.Date):
        return date.fromisoformat(value)
    return value


def row_from_line(table: sa.Table, line: str) -> dict:
    data = json.loads(line)
    unknown = set(data) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"{table.name}: columns not in the schema: {sorted(unknown)}")
    return {name: _native(table.columns[name], value) for name, value in data.items()}


def primary_key_order(table: sa.Table) -> list:
    return list(table.primary_key.columns) or list(table.columns)


def parents_first(table: sa.Table, rows: list[dict]) -> list[dict]:
    """A table referring to itself (topic.parent_id) needs each parent row inserted before its children."""
    self_keys = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]
    if not self_keys:
        return rows
    ordered, placed, waiting = [], set(), list(rows)
    while waiting:
        ready = [row for row in waiting
                 if all(row[child] is None or (parent, row[child]) in placed for child, parent in self_keys)]
        if not ready:
            raise ValueError(f"{table.name}: rows refer to parents that are not in the backup")
        for row in ready:
            ordered.append(row)
            placed.update((parent, row[parent]) for _, parent in self_keys)
        done = {id(row) for row in ready}
        waiting = [row for row in waiting if id(row) not in done]
    return ordered
