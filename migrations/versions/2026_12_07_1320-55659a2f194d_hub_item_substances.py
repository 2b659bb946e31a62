"""Hub items tagged with substances of the chemicals register, as requests and experts are (issue 18)."""
from alembic import op
import sqlalchemy as sa

revision, down_revision = '55659a2f194d', 'ca90c2337f53'


def upgrade():
    op.create_table(
        'hub_item_substance',
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('substance_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['hub_item.id'], name=op.f('fk_hub_item_substance_item_id_hub_item'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['substance_id'], ['substance.id'],
                                name=op.f('fk_hub_item_substance_substance_id_substance')),
        sa.PrimaryKeyConstraint('item_id', 'substance_id', name=op.f('pk_hub_item_substance')))
    op.create_index('ix_hub_item_substance_substance_id', 'hub_item_substance', ['substance_id'])


def downgrade():
    op.drop_index('ix_hub_item_substance_substance_id', table_name='hub_item_substance')
    op.drop_table('hub_item_substance')
