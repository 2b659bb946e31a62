"""Discussions of the knowledge hub (issue 17): threads at a place (a topic or a hub item), posts with their
moderation state, followers and reports"""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = '1c7a9c8eede9', '5c1e9a7d2b40'


def upgrade():
    op.create_table('discussion_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_kind', sa.Enum('topic', 'item', name='placekind', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('place_key', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_post_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_discussion_thread_author_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_thread'))
    )
    with op.batch_alter_table('discussion_thread', schema=None) as batch_op:
        batch_op.create_index('ix_discussion_thread_place', ['place_kind', 'place_key', 'last_post_at'], unique=False)

    op.create_table('discussion_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Enum('visible', 'hidden', name='poststatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('hidden_reason', sa.String(length=300), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('moderation_version', sa.Integer(), nullable=False),
    sa.Column('open_reports', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_discussion_post_author_id_user_account')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_discussion_post_hidden_by_id_user_account')),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_thread.id'], name=op.f('fk_discussion_post_thread_id_discussion_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_post'))
    )
    with op.batch_alter_table('discussion_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_post_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_post_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_thread.id'], name=op.f('fk_discussion_subscription_thread_id_discussion_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_discussion_subscription_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_subscription')),
    sa.UniqueConstraint('thread_id', 'user_id', name=op.f('uq_discussion_subscription_thread_id_user_id'))
    )
    with op.batch_alter_table('discussion_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_subscription_user_id'), ['user_id'], unique=False)

    op.create_table('discussion_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_post.id'], name=op.f('fk_discussion_report_post_id_discussion_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_discussion_report_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_report')),
    sa.UniqueConstraint('post_id', 'user_id', name=op.f('uq_discussion_report_post_id_user_id'))
    )
    with op.batch_alter_table('discussion_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_report_post_id'), ['post_id'], unique=False)


def downgrade():
    with op.batch_alter_table('discussion_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_report_post_id'))

    op.drop_table('discussion_report')
    with op.batch_alter_table('discussion_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_subscription_user_id'))

    op.drop_table('discussion_subscription')
    with op.batch_alter_table('discussion_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_post_thread_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_post_status'))

    op.drop_table('discussion_post')
    with op.batch_alter_table('discussion_thread', schema=None) as batch_op:
        batch_op.drop_index('ix_discussion_thread_place')

    op.drop_table('discussion_thread')
