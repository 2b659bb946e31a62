"""invitation.closed_because: why a pending invitation was closed with its request (closed, withdrawn,
rejected or filled), so the expert's page can say it (issue 13 bug 2); engagement.report_accepted_at: when
the coordinator accepted the report, from which the agency sees it (issue 13, the member sees the outcome)

Revision ID: c4e8a2f6d1b3
Revises: 34fdbda6e29d
Create Date: 2026-12-06 21:30:00

"""
from alembic import op
import sqlalchemy as sa
import expertnet.db


revision = 'c4e8a2f6d1b3'
down_revision = '34fdbda6e29d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_because', sa.Enum(
            'request_closed', 'request_withdrawn', 'request_rejected', 'request_filled', name='closedbecause',
            native_enum=False, create_constraint=True, length=32), nullable=True))
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_accepted_at', expertnet.db.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.drop_column('report_accepted_at')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invitation_closedbecause'), type_='check')
        batch_op.drop_column('closed_because')
