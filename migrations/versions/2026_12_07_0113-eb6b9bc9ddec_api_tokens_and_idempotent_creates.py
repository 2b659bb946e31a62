"""API tokens (personal, stored as SHA-256, scoped, expiring, revocable) and the first answers of creates sent with an
Idempotency-Key (issue 16)"""
from alembic import op
import sqlalchemy as sa
import expertnet.db

revision, down_revision = 'eb6b9bc9ddec', '3b89060a6fb6'


def upgrade():
    op.create_table('api_idempotent_create',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('operation', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_idempotent_create_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotent_create')),
    sa.UniqueConstraint('user_id', 'operation', 'key', name=op.f('uq_api_idempotent_create_user_id_operation_key'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=12), nullable=False),
    sa.Column('scope', sa.Enum('read', 'write', name='scope', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('expires_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', expertnet.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', expertnet.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_api_token_secret_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('api_idempotent_create')
