"""A rollback undoes everything the transaction wrote, savepoints included, on SQLite as on PostgreSQL."""
import sqlalchemy as sa

from expertnet.accounts.models import Organisation, OrganisationKind
from expertnet.extensions import db


def _count(name: str) -> int:
    with db.engine.connect() as connection:  # another connection: only what was committed
        return connection.scalar(sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == name))


def test_a_savepoint_opened_before_any_write_is_undone_by_the_rollback(app):
    # sqlite3's own transaction handling let the SAVEPOINT open the transaction, and its RELEASE committed.
    with db.session.begin_nested():
        db.session.add(Organisation(name="Written in a savepoint", country="JO", kind=OrganisationKind.REGULATOR))
    db.session.rollback()
    assert _count("Written in a savepoint") == 0


def test_reads_and_writes_of_one_transaction_commit_together(app):
    db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    with db.session.begin_nested():
        db.session.add(Organisation(name="Kept", country="JO", kind=OrganisationKind.REGULATOR))
    assert _count("Kept") == 0  # not visible to others before the commit
    db.session.commit()
    assert _count("Kept") == 1
