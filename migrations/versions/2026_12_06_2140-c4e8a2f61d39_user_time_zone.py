"""user_account.time_zone: the IANA zone a user reads dates and times in (issue 13, bug 13)

Revision ID: c4e8a2f61d39
Revises: a49713f8cac7
Create Date: 2026-12-06 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e8a2f61d39'
down_revision = 'a49713f8cac7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
