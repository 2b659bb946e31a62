"""hub items texts versions files usage"""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = '79e20541df7b', 'df43cf64de83'


def upgrade():
    op.create_table('hub_search_gap',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_search_gap'))
    )
    with op.batch_alter_table('hub_search_gap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_search_gap_created_at'), ['created_at'], unique=False)

    op.create_table('hub_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('guidance', 'sop', 'training', 'webinar', 'case_study', 'legislation', 'lesson', name='kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status', sa.Enum('draft', 'in_review', 'published', 'archived', name='itemstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('tlp', sa.Enum('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED', name='tlp', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('original_language', sa.String(length=8), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('external_url', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('view_count', sa.Integer(), nullable=False),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('helped_count', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_hub_item_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], name=op.f('fk_hub_item_engagement_id_engagement'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_hub_item_request_id_assistance_request'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_item'))
    )
    with op.batch_alter_table('hub_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_item_status'), ['status'], unique=False)

    op.create_table('hub_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_file_item_id_hub_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_hub_file_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_file')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_hub_file_storage_key'))
    )
    with op.batch_alter_table('hub_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_file_item_id'), ['item_id'], unique=False)

    op.create_table('hub_helped',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_helped_item_id_hub_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_hub_helped_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_helped')),
    sa.UniqueConstraint('item_id', 'user_id', name=op.f('uq_hub_helped_item_id_user_id'))
    )
    op.create_table('hub_item_organisation',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_item_organisation_item_id_hub_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_hub_item_organisation_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('item_id', 'organisation_id', name=op.f('pk_hub_item_organisation'))
    )
    op.create_table('hub_item_topic',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_item_topic_item_id_hub_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_hub_item_topic_topic_id_topic')),
    sa.PrimaryKeyConstraint('item_id', 'topic_id', name=op.f('pk_hub_item_topic'))
    )
    op.create_table('hub_shown',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_shown_item_id_hub_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_hub_shown_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_hub_shown_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_shown'))
    )
    with op.batch_alter_table('hub_shown', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_shown_form_token'), ['form_token'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_shown_request_id'), ['request_id'], unique=False)

    op.create_table('hub_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_text_item_id_hub_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_text')),
    sa.UniqueConstraint('item_id', 'language', name=op.f('uq_hub_text_item_id_language'))
    )
    op.create_table('hub_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_hub_version_author_id_user_account')),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_version_item_id_hub_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_version')),
    sa.UniqueConstraint('item_id', 'number', name=op.f('uq_hub_version_item_id_number'))
    )
    with op.batch_alter_table('hub_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_version_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('hub_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_version_item_id'))

    op.drop_table('hub_version')
    op.drop_table('hub_text')
    with op.batch_alter_table('hub_shown', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_shown_request_id'))
        batch_op.drop_index(batch_op.f('ix_hub_shown_form_token'))

    op.drop_table('hub_shown')
    op.drop_table('hub_item_topic')
    op.drop_table('hub_item_organisation')
    op.drop_table('hub_helped')
    with op.batch_alter_table('hub_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_file_item_id'))

    op.drop_table('hub_file')
    with op.batch_alter_table('hub_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_item_status'))

    op.drop_table('hub_item')
    with op.batch_alter_table('hub_search_gap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_search_gap_created_at'))

    op.drop_table('hub_search_gap')
