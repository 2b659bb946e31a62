"""One read-only transaction that sees the whole database at a single instant."""
from contextlib import contextmanager

from expertnet.extensions import db


@contextmanager
def snapshot_connection():
    """PostgreSQL: REPEATABLE READ, read only. SQLite: an explicit BEGIN, so every SELECT reads the same
    state (the driver would otherwise run each statement in a transaction of its own)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    else:
        connection = engine.connect()
        connection.exec_driver_sql("BEGIN")
    try:
        yield connection
    finally:
        connection.rollback()
        connection.close()
