"""Event materials become hub items (issue 18): hub_item.event_id names the event an item publishes the materials
of; event_topic holds the taxonomy topics an event is about (its hub items carry them)"""
from alembic import op
import sqlalchemy as sa

revision, down_revision = 'e43f5bf50663', '1c7a9c8eede9'


def upgrade():
    op.create_table(
        'event_topic',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('topic_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_topic_event_id_event'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_event_topic_topic_id_topic')),
        sa.PrimaryKeyConstraint('event_id', 'topic_id', name=op.f('pk_event_topic')))
    with op.batch_alter_table('hub_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_hub_item_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_hub_item_event_id_event'), 'event', ['event_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('hub_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_hub_item_event_id_event'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_hub_item_event_id'))
        batch_op.drop_column('event_id')
    op.drop_table('event_topic')
