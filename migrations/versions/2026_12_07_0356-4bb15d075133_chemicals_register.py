"""The chemicals-of-concern register (issue 18): control lists, substances with names, listings and versions, and
the tags joining requests and experts to substances"""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = '4bb15d075133', 'eb6b9bc9ddec'


def upgrade():
    op.create_table('control_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('source_title', sa.String(length=300), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('retrieved_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_control_list')),
    sa.UniqueConstraint('code', name=op.f('uq_control_list_code'))
    )
    op.create_table('substance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cas', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('is_retired', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_substance')),
    sa.UniqueConstraint('cas', name=op.f('uq_substance_cas'))
    )
    op.create_table('substance_listing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('substance_id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['control_list.id'], name=op.f('fk_substance_listing_list_id_control_list')),
    sa.ForeignKeyConstraint(['substance_id'], ['substance.id'], name=op.f('fk_substance_listing_substance_id_substance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_substance_listing')),
    sa.UniqueConstraint('substance_id', 'list_id', name=op.f('uq_substance_listing_substance_id_list_id'))
    )
    with op.batch_alter_table('substance_listing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_substance_listing_list_id'), ['list_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_substance_listing_substance_id'), ['substance_id'], unique=False)

    op.create_table('substance_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('substance_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('is_preferred', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['substance_id'], ['substance.id'], name=op.f('fk_substance_name_substance_id_substance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_substance_name')),
    sa.UniqueConstraint('substance_id', 'language', 'key', name=op.f('uq_substance_name_substance_id_language_key'))
    )
    with op.batch_alter_table('substance_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_substance_name_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_substance_name_substance_id'), ['substance_id'], unique=False)

    op.create_table('substance_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('substance_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_substance_version_actor_id_user_account')),
    sa.ForeignKeyConstraint(['substance_id'], ['substance.id'], name=op.f('fk_substance_version_substance_id_substance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_substance_version')),
    sa.UniqueConstraint('substance_id', 'number', name=op.f('uq_substance_version_substance_id_number'))
    )
    with op.batch_alter_table('substance_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_substance_version_substance_id'), ['substance_id'], unique=False)

    op.create_table('expert_substance',
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('substance_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['expert_profile.id'], name=op.f('fk_expert_substance_expert_id_expert_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['substance_id'], ['substance.id'], name=op.f('fk_expert_substance_substance_id_substance')),
    sa.PrimaryKeyConstraint('expert_id', 'substance_id', name=op.f('pk_expert_substance'))
    )
    with op.batch_alter_table('expert_substance', schema=None) as batch_op:
        batch_op.create_index('ix_expert_substance_substance_id', ['substance_id'], unique=False)

    op.create_table('request_substance',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('substance_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_request_substance_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['substance_id'], ['substance.id'], name=op.f('fk_request_substance_substance_id_substance')),
    sa.PrimaryKeyConstraint('request_id', 'substance_id', name=op.f('pk_request_substance'))
    )
    with op.batch_alter_table('request_substance', schema=None) as batch_op:
        batch_op.create_index('ix_request_substance_substance_id', ['substance_id'], unique=False)



def downgrade():
    with op.batch_alter_table('request_substance', schema=None) as batch_op:
        batch_op.drop_index('ix_request_substance_substance_id')

    op.drop_table('request_substance')
    with op.batch_alter_table('expert_substance', schema=None) as batch_op:
        batch_op.drop_index('ix_expert_substance_substance_id')

    op.drop_table('expert_substance')
    with op.batch_alter_table('substance_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_substance_version_substance_id'))

    op.drop_table('substance_version')
    with op.batch_alter_table('substance_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_substance_name_substance_id'))
        batch_op.drop_index(batch_op.f('ix_substance_name_key'))

    op.drop_table('substance_name')
    with op.batch_alter_table('substance_listing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_substance_listing_substance_id'))
        batch_op.drop_index(batch_op.f('ix_substance_listing_list_id'))

    op.drop_table('substance_listing')
    op.drop_table('substance')
    op.drop_table('control_list')
