"""The triage queue on PostgreSQL (issue 15): the view tabs counted from one covering index, the search by trigram
(pg_trgm GIN on title and reference; a plain index on SQLite), and statistics on queue stage, status and milestone so that the planner knows no queued request
lacks a clock (it read the whole table by id for the "no clock" branch)."""
from alembic import op
import sqlalchemy as sa

revision, down_revision = '5c1e9a7d2b40', '5a1e55f0c0a1'


def _postgresql():
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.create_index("ix_assistance_request_queue_views", "assistance_request",
                    ["queue_stage", "status", "urgency", "lead_coordinator_id", "sla_due_us", "sla_left_us"])
    if _postgresql():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE STATISTICS IF NOT EXISTS st_assistance_request_stage_status_milestone (mcv) "
                   "ON queue_stage, status, sla_milestone FROM assistance_request")
    op.create_index("ix_assistance_request_search_trgm", "assistance_request", ["title", "reference"],
                    postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops", "reference": "gin_trgm_ops"})


def downgrade():
    op.drop_index("ix_assistance_request_search_trgm", table_name="assistance_request")
    if _postgresql():
        op.execute("DROP STATISTICS IF EXISTS st_assistance_request_stage_status_milestone")
    op.drop_index("ix_assistance_request_queue_views", table_name="assistance_request")
