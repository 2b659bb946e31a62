"""The triage queue pages in the database: each request's running SLA clock as columns, with indexes (issue 15).

Adds queue_stage, sla_milestone, sla_due_us, sla_warn_us, sla_left_us and sla_warn_left_us to assistance_request
and fills them for the existing rows the way expertnet/coordination/sla_columns.py computes them (the stage from
the status; the first milestone not reached; time paused before now excluded; a paused clock keeps its time
left). The SLA targets are the application's configuration when the upgrade runs inside it (`flask db upgrade`),
else the defaults.
"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa

revision, down_revision = '3b89060a6fb6', '4980657b55d5'

# The configuration's defaults when this revision was written (expertnet/config.py).
DEFAULT_TARGETS = {
    "urgent": {"triage": 4, "first_invitation": 24, "assignment": 72},
    "priority": {"triage": 24, "first_invitation": 72, "assignment": 168},
    "routine": {"triage": 72, "first_invitation": 168, "assignment": 336},
}
DEFAULT_WARNING_FRACTION = 0.25
MILESTONES = (("triage", "triaged_at"), ("first_invitation", "first_invited_at"), ("assignment", "assigned_at"))
FINAL = ("closed", "rejected", "withdrawn")
STAGES = {**dict.fromkeys(("submitted", "triage", "info_requested", "matching", "inviting"), "queue"),
          **dict.fromkeys(("assigned", "in_progress", "on_hold", "delivered", "evaluation"), "active")}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MICROSECOND = timedelta(microseconds=1)
BIGINT_COLUMNS = ("sla_due_us", "sla_warn_us", "sla_left_us", "sla_warn_left_us")
CLOCK = ["sla_due_us", "sla_warn_us", "sla_left_us", "sla_warn_left_us"]
# The triage queue reads each sort in index order and counts each saved view from one index.
INDEXES = {
    "ix_assistance_request_queue_due": ["queue_stage", "sla_due_us", "sla_warn_us"],
    "ix_assistance_request_queue_left": ["queue_stage", "sla_left_us", "sla_warn_left_us"],
    "ix_assistance_request_queue_urgency_due": ["queue_stage", "urgency", "sla_due_us", "sla_warn_us"],
    "ix_assistance_request_queue_urgency_left": ["queue_stage", "urgency", "sla_left_us", "sla_warn_left_us"],
    "ix_assistance_request_queue_priority": ["queue_stage", "urgency", "priority", "submitted_at", *CLOCK],
    "ix_assistance_request_queue_age": ["queue_stage", "submitted_at", *CLOCK],
    "ix_assistance_request_queue_clock": ["queue_stage", "sla_milestone", "id"],
    "ix_assistance_request_queue_country": ["queue_stage", "country"],
    "ix_assistance_request_status_due": ["status", "sla_due_us", "sla_warn_us"],
    "ix_assistance_request_status_left": ["status", "sla_left_us", "sla_warn_left_us"],
    "ix_assistance_request_status_clock": ["status", "sla_milestone", "id"],
    "ix_assistance_request_queue_title": ["queue_stage", "title", "reference"],
    "ix_assistance_request_lead_due": ["lead_coordinator_id", "queue_stage", "sla_due_us", "sla_warn_us"],
    "ix_assistance_request_lead_left": ["lead_coordinator_id", "queue_stage", "sla_left_us", "sla_warn_left_us"],
}


def upgrade():
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_stage', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('sla_milestone', sa.String(length=20), nullable=True))
        for name in BIGINT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=True))
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table('request_topic', schema=None) as batch_op:
        batch_op.create_index('ix_request_topic_topic_id', ['topic_id', 'request_id'], unique=False)
    backfill()


def downgrade():
    with op.batch_alter_table('request_topic', schema=None) as batch_op:
        batch_op.drop_index('ix_request_topic_topic_id')
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
        for name in ('queue_stage', 'sla_milestone', *BIGINT_COLUMNS):
            batch_op.drop_column(name)


def _settings():
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - Alembic without Flask
        return DEFAULT_TARGETS, DEFAULT_WARNING_FRACTION
    if has_app_context():
        return (current_app.config.get("SLA_TARGETS", DEFAULT_TARGETS),
                current_app.config.get("SLA_WARNING_FRACTION", DEFAULT_WARNING_FRACTION))
    return DEFAULT_TARGETS, DEFAULT_WARNING_FRACTION


def _aware(moment):
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def clock_columns(row, targets, fraction) -> dict:
    empty = {"queue_stage": STAGES.get(row["status"]), "sla_milestone": None, **dict.fromkeys(BIGINT_COLUMNS)}
    milestone = next((name for name, reached in MILESTONES if row[reached] is None), None)
    if milestone is None or row["submitted_at"] is None or row["status"] in FINAL:
        return empty
    target = timedelta(hours=targets[row["urgency"]][milestone])
    margin = target * fraction
    due = _aware(row["submitted_at"]) + target + timedelta(seconds=row["paused_seconds"] or 0)
    if row["paused_since"] is not None:
        left = due - _aware(row["paused_since"])
        return {**empty, "sla_milestone": milestone, "sla_left_us": left // MICROSECOND,
                "sla_warn_left_us": (left - margin) // MICROSECOND}
    return {**empty, "sla_milestone": milestone, "sla_due_us": (due - EPOCH) // MICROSECOND,
            "sla_warn_us": (due - margin - EPOCH) // MICROSECOND}


def backfill(batch: int = 5000):
    targets, fraction = _settings()
    inputs = ("id", "status", "urgency", "submitted_at", "paused_seconds", "paused_since",
              *(reached for _name, reached in MILESTONES))
    request = sa.table('assistance_request', *(sa.column(name, sa.DateTime(timezone=True) if name.endswith(
        ("_at", "_since")) else None) for name in inputs), sa.column('sla_milestone'),
        sa.column('queue_stage'),
        *(sa.column(name) for name in BIGINT_COLUMNS))
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(sa.select(*(request.c[name] for name in inputs)).where(request.c.id > last_id)
                                  .order_by(request.c.id).limit(batch)).mappings().all()
        if not rows:
            return
        values = [{"row_id": row["id"], **clock_columns(row, targets, fraction)} for row in rows]
        connection.execute(request.update().where(request.c.id == sa.bindparam("row_id")).values(
            {name: sa.bindparam(name) for name in ("queue_stage", "sla_milestone", *BIGINT_COLUMNS)}), values)
        last_id = rows[-1]["id"]
