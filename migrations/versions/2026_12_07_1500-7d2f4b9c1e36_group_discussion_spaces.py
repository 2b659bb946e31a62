"""A group's own discussion space: threads may be placed in a regional network or working group (issue 18); a
thread's place key holds a group's slug (up to 80 characters)."""
from alembic import op
import sqlalchemy as sa

revision, down_revision = '7d2f4b9c1e36', '55659a2f194d'


def _place_kind(*kinds: str) -> sa.Enum:
    return sa.Enum(*kinds, name='placekind', native_enum=False, create_constraint=True, length=16)


def _change_places(before: sa.Enum, after: sa.Enum, key_length: tuple[int, int]) -> None:
    # Alembic replaces the enum's CHECK constraint with the new type's, on SQLite through a batch copy.
    with op.batch_alter_table('discussion_thread') as batch_op:
        batch_op.alter_column('place_kind', existing_type=before, type_=after, existing_nullable=False)
        batch_op.alter_column('place_key', existing_type=sa.String(key_length[0]), type_=sa.String(key_length[1]),
                              existing_nullable=False)


def upgrade():
    _change_places(_place_kind('topic', 'item'), _place_kind('topic', 'item', 'group'), (64, 80))


def downgrade():
    # Groups' threads cannot exist below this revision; their posts, reports and followers go with them (spelled
    # out, as SQLite's batch copies run with foreign keys unchecked).
    threads = "SELECT id FROM discussion_thread WHERE place_kind = 'group'"
    op.execute(f"DELETE FROM discussion_report WHERE post_id IN (SELECT id FROM discussion_post "
               f"WHERE thread_id IN ({threads}))")
    for table in ('discussion_post', 'discussion_subscription'):
        op.execute(f"DELETE FROM {table} WHERE thread_id IN ({threads})")
    op.execute("DELETE FROM discussion_thread WHERE place_kind = 'group'")
    _change_places(_place_kind('topic', 'item', 'group'), _place_kind('topic', 'item'), (80, 64))
