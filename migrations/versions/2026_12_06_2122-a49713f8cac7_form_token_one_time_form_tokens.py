"""form_token: the first use of a one-time form token (a create-form acted on once; issue 13 bug 1)

Revision ID: a49713f8cac7
Revises: b7d3e9a1c5f2
Create Date: 2026-12-06 21:22:18.143378

"""
from alembic import op
import sqlalchemy as sa
import expertnet.db


revision = 'a49713f8cac7'
down_revision = 'b7d3e9a1c5f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_form_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_token')),
    sa.UniqueConstraint('purpose', 'token', name=op.f('uq_form_token_purpose_token'))
    )
    with op.batch_alter_table('form_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_token_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('form_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_token_user_id'))

    op.drop_table('form_token')
