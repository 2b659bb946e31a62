"""${message}"""
from alembic import op
import sqlalchemy as sa
% if imports:
${imports}
% endif

revision, down_revision = ${repr(up_revision)}, ${repr(down_revision)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
