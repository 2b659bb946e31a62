"""assistance_request.anonymised_at: when the retention purge blanked a request's content

Revision ID: b7d3e9a1c5f2
Revises: b7d3c1e9a2f4
Create Date: 2026-12-06 04:10:00

"""
from alembic import op
import sqlalchemy as sa
import expertnet.db


revision = 'b7d3e9a1c5f2'
down_revision = 'b7d3c1e9a2f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', expertnet.db.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
