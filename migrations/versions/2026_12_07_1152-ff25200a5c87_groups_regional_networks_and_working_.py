"""Groups: regional networks and working groups, their organisations and people (member or group coordinator), and
hub items scoped TLP:AMBER to groups (issue 18)"""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = 'ff25200a5c87', 'a1e346aa945f'


def upgrade():
    op.create_table('network_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('region', 'working_group', name='groupkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_group')),
    sa.UniqueConstraint('name', name=op.f('uq_network_group_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_network_group_slug'))
    )
    op.create_table('group_organisation',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['network_group.id'], name=op.f('fk_group_organisation_group_id_network_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_group_organisation_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('group_id', 'organisation_id', name=op.f('pk_group_organisation'))
    )
    op.create_table('group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'group_coordinator', name='grouprole', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['network_group.id'], name=op.f('fk_group_member_group_id_network_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_group_member_user_id_user_account')),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_member'))
    )
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_member_user_id'), ['user_id'], unique=False)

    op.create_table('hub_item_group',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['network_group.id'], name=op.f('fk_hub_item_group_group_id_network_group')),
    sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_item_group_item_id_hub_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'group_id', name=op.f('pk_hub_item_group'))
    )


def downgrade():
    op.drop_table('hub_item_group')
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_member_user_id'))

    op.drop_table('group_member')
    op.drop_table('group_organisation')
    op.drop_table('network_group')
