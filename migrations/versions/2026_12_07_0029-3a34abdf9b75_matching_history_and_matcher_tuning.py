"""shown_list, shown_expert: the suggestions lists coordinators were shown; matcher_tuning: the matcher
configurations learnt from their decisions (issue 14, item 6)"""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = '3a34abdf9b75', 'c4e8a2f6d1b3'


def upgrade():
    op.create_table('matcher_tuning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('held_out_share', sa.Double(), nullable=False),
    sa.Column('train_requests', sa.Integer(), nullable=False),
    sa.Column('held_out_requests', sa.Integer(), nullable=False),
    sa.Column('train_before', sa.Double(), nullable=False),
    sa.Column('train_after', sa.Double(), nullable=False),
    sa.Column('held_out_before', sa.Double(), nullable=False),
    sa.Column('held_out_after', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matcher_tuning'))
    )
    op.create_table('shown_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('shown_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('keywords', sa.Text(), nullable=False),
    sa.Column('required_language', sa.String(length=8), nullable=False),
    sa.Column('required_region', sa.String(length=40), nullable=False),
    sa.Column('include_unavailable', sa.Boolean(), nullable=False),
    sa.Column('ranker_config', sa.String(length=32), nullable=False),
    sa.Column('tuning_id', sa.Integer(), nullable=True),
    sa.Column('index_version', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['coordinator_id'], ['user_account.id'], name=op.f('fk_shown_list_coordinator_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_shown_list_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tuning_id'], ['matcher_tuning.id'], name=op.f('fk_shown_list_tuning_id_matcher_tuning'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shown_list'))
    )
    with op.batch_alter_table('shown_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shown_list_coordinator_id'), ['coordinator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shown_list_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shown_list_shown_at'), ['shown_at'], unique=False)

    op.create_table('shown_expert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shown_list_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('included', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_shown_expert_expert_id_expert_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shown_list_id'], ['shown_list.id'], name=op.f('fk_shown_expert_shown_list_id_shown_list'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shown_expert')),
    sa.UniqueConstraint('shown_list_id', 'rank', name=op.f('uq_shown_expert_shown_list_id_rank'))
    )
    with op.batch_alter_table('shown_expert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shown_expert_expert_id'), ['expert_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shown_expert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shown_expert_expert_id'))

    op.drop_table('shown_expert')
    with op.batch_alter_table('shown_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shown_list_shown_at'))
        batch_op.drop_index(batch_op.f('ix_shown_list_request_id'))
        batch_op.drop_index(batch_op.f('ix_shown_list_coordinator_id'))

    op.drop_table('shown_list')
    op.drop_table('matcher_tuning')
