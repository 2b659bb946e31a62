"""outbox: claim lease (claim_token, claimed_until) and back-off time (next_attempt_at)

Revision ID: b7d3c1e9a2f4
Revises: 3f1c9a7d2b60
Create Date: 2026-12-06 04:05:00

"""
from alembic import op
import sqlalchemy as sa
import expertnet.db


revision = 'b7d3c1e9a2f4'
down_revision = '3f1c9a7d2b60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', expertnet.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', expertnet.db.UTCDateTime(timezone=True), nullable=True))
    # Messages queued before this revision are due at once.
    op.execute("UPDATE outbox_message SET next_attempt_at = created_at")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=expertnet.db.UTCDateTime(timezone=True),
                              nullable=False)
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claim_token')
        batch_op.drop_column('next_attempt_at')
