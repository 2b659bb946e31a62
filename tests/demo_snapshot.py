"""The demo network, seeded once per test session and restored into each test that needs it.

Seeding takes tens of seconds (the matcher encodes every profile, the history replays coordinators' decisions);
restoring a copy takes a fraction of one. The snapshot is the real `seed_demo_network()` on the real database
kind of the pass; `flask seed-demo` itself is still run for real by tests/platform/test_cli.py.

On SQLite the snapshot is a database file, copied over the test's own; on PostgreSQL it is a database of the
test cluster, cloned over the test's database with `CREATE DATABASE ... TEMPLATE`. Files the seeding wrote
beside the database (uploads, the saved matcher index) are copied into the test's folder with the same layout.
"""
import shutil
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from expertnet.app import create_app
from expertnet.demo.seed import seed_demo_network
from expertnet.extensions import db

DATABASE_FILE = "demo.sqlite3"


class DemoSnapshot:
    def __init__(self, folder: Path, postgres_url: str | None):
        self.folder = folder
        self.postgres_url = postgres_url
        self.database = f"{sa.engine.make_url(postgres_url).database}_demo" if postgres_url else None

    def seed(self, migrated_template: Path, make_config) -> "DemoSnapshot":
        if self.postgres_url:
            self._administer(f"DROP DATABASE IF EXISTS {self.database}", f"CREATE DATABASE {self.database}")
            url = sa.engine.make_url(self.postgres_url).set(database=self.database).render_as_string(
                hide_password=False)
        else:
            shutil.copyfile(migrated_template, self.folder / DATABASE_FILE)
            url = f"sqlite:///{self.folder / DATABASE_FILE}"
        app = create_app(make_config(url, self.folder))
        with app.app_context():
            if self.postgres_url:
                upgrade()
            assert seed_demo_network()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        return self

    def restore(self, app: Flask, test_folder: Path) -> None:
        """Replace the test app's (empty) database and files by the snapshot's; the app reconnects on next use."""
        db.session.remove()
        db.engine.dispose()
        if self.postgres_url:
            self._clone_into(sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
        else:
            shutil.copyfile(self.folder / DATABASE_FILE,
                            sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
        shutil.copytree(self.folder, test_folder, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(DATABASE_FILE, f"{DATABASE_FILE}-*"))

    def _clone_into(self, database: str) -> None:
        self._administer(f"DROP DATABASE {database} WITH (FORCE)", f"CREATE DATABASE {database} TEMPLATE {self.database}")

    def drop(self) -> None:
        if self.postgres_url:
            self._administer(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")

    def _administer(self, *statements: str) -> None:
        """Statements outside any transaction, from the cluster's maintenance database."""
        engine = sa.create_engine(sa.engine.make_url(self.postgres_url).set(database="postgres"),
                                  isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
        engine.dispose()
