"""matcher_state.data_version is 64-bit: random steps of up to 2**20 per change overflowed 32 bits after a few thousand changes"""
from alembic import op
import sqlalchemy as sa

revision, down_revision = '4980657b55d5', '3a34abdf9b75'


def upgrade():
    with op.batch_alter_table('matcher_state', schema=None) as batch_op:
        batch_op.alter_column('data_version',
               existing_type=sa.INTEGER(),
               type_=sa.BigInteger(),
               existing_nullable=False)


def downgrade():
    # Versions past 2**31 do not fit back: start the count again (every process then refits once).
    op.execute("UPDATE matcher_state SET data_version = 0, changed_expert_ids = '[]' WHERE data_version > 2147483647")
    with op.batch_alter_table('matcher_state', schema=None) as batch_op:
        batch_op.alter_column('data_version',
               existing_type=sa.BigInteger(),
               type_=sa.INTEGER(),
               existing_nullable=False)
