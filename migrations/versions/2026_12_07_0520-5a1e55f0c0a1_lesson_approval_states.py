"""Hub items: the lesson states awaiting_agency and approved (agency approval of lessons, issue 17)"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '5a1e55f0c0a1', '80ad3773e4d0'

OLD = ('draft', 'in_review', 'published', 'archived')
NEW = ('draft', 'in_review', 'awaiting_agency', 'approved', 'published', 'archived')


def _status(values):
    return sa.Enum(*values, name='itemstatus', native_enum=False, create_constraint=True, length=20)


def upgrade():
    with op.batch_alter_table('hub_item', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=_status(OLD), type_=_status(NEW), existing_nullable=False)


def downgrade():
    op.execute("UPDATE hub_item SET status = 'draft' WHERE status IN ('awaiting_agency', 'approved')")
    with op.batch_alter_table('hub_item', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=_status(NEW), type_=_status(OLD), existing_nullable=False)
