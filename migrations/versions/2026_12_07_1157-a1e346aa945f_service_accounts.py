"""user_account.is_service_account: organisations' service accounts, systems that act through API tokens only
(issue 16)"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = 'a1e346aa945f', 'e43f5bf50663'


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_service_account', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    # Without the flag a service account would read as a person: it stays, deactivated, for its history.
    op.execute(sa.text("UPDATE user_account SET is_active = :no WHERE is_service_account = :yes")
               .bindparams(no=False, yes=True))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('is_service_account')
