"""A request's sentence vector, kept so that its text is encoded once for every worker that ranks it (issue 15)."""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = 'b17e59d46fde', '7d2f4b9c1e36'


def upgrade():
    op.create_table('request_vector',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('encoder', sa.String(length=200), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.Text(), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_request_vector_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_request_vector'))
    )


def downgrade():
    op.drop_table('request_vector')
