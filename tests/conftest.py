"""Shared fixtures: a real database (a SQLite file, or PostgreSQL when EXPERTNET_TEST_DATABASE_URL is set),
the Flask test client with sign-in helpers, the CLI runner, captured mail and a live server for the browser."""
import contextlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator

import jinja2
import pytest
from flask import g
from flask.testing import FlaskClient
import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from expertnet.accounts.models import Organisation, OrganisationKind, Role, User
from expertnet.app import create_app
from expertnet.extensions import db
from expertnet.i18n import compile_catalogues
from tests.demo_snapshot import DemoSnapshot
from tests.notifications.smtp_server import LoopbackSMTP

POSTGRES_URL = os.environ.get("EXPERTNET_TEST_DATABASE_URL")
PASSWORD = "correct horse battery staple"
SHARED_MEMORY = "/dev/shm"
# Cheap scrypt parameters: verification reads them from the hash, so sign-ins in tests stay fast.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


def base_config(database_url: str, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "memory",
        "JOBS_URL": "immediate",  # jobs run at once in the enqueuing request (tests/jobs start real consumers)
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MATCHER_INDEX_PATH": str(tmp_path / "matcher-index"),
        "SERVER_NAME": None,
    }


# Markers of a test that reaches a database: the shared fixtures, or a module that builds its own app or engine.
_DATABASE_FIXTURES = {"app_config", "migrated_template"}
_DATABASE_SOURCE_MARKS = ("POSTGRES_URL", "EXPERTNET_TEST_DATABASE_URL", "create_app", "base_config(")


def _reaches_database(item, module_sources: dict) -> bool:
    if _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    path = item.path
    if path not in module_sources:
        module_sources[path] = any(mark in path.read_text(encoding="utf-8") for mark in _DATABASE_SOURCE_MARKS)
    return module_sources[path]


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass runs the tests that reach a database; the rest (the pure matcher, static checks) give the
    same result whatever the database, so they run once, in the SQLite pass."""
    if not POSTGRES_URL:
        return
    module_sources: dict = {}
    kept = [item for item in items if _reaches_database(item, module_sources)]
    deselected = [item for item in items if not _reaches_database(item, module_sources)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    compile_catalogues()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """Run the real migrations once per session; each test then starts from a copy (SQLite) or a truncate (PostgreSQL)."""
    tmp = tmp_path_factory.mktemp("template")
    url = POSTGRES_URL or f"sqlite:///{tmp / 'template.sqlite3'}"
    app = create_app(base_config(url, tmp))
    with app.app_context():
        if POSTGRES_URL:
            db.drop_all()
            db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        db.engine.dispose()
    return tmp / "template.sqlite3"


@pytest.fixture(scope="session")
def demo_snapshot(migrated_template, tmp_path_factory):
    snapshot = DemoSnapshot(tmp_path_factory.mktemp("demo"), POSTGRES_URL).seed(migrated_template, base_config)
    yield snapshot
    snapshot.drop()


@pytest.fixture
def demo_network(app, demo_snapshot, tmp_path):
    """The demo network (`flask seed-demo`'s data and files), restored from the session's snapshot: ask for it
    before fixtures that add rows, which the restore would replace."""
    demo_snapshot.restore(app, tmp_path)


def _empty_postgres_tables() -> None:
    # DELETE, children first: on small tables it is far cheaper than TRUNCATE's per-table file swap.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _database_folder(tmp_path):
    """Memory-backed storage for each test's SQLite file where the machine has room: the same SQLite, without
    the disk's flushes on every commit (about 1.5 ms each here, which tests pay dozens of times)."""
    if os.path.isdir(SHARED_MEMORY) and shutil.disk_usage(SHARED_MEMORY).free > 1 << 30:
        return tempfile.TemporaryDirectory(dir=SHARED_MEMORY, prefix="expertnet-test-")
    return contextlib.nullcontext(str(tmp_path))


@pytest.fixture
def app_config(tmp_path, migrated_template) -> Iterator[dict]:
    """Override in a test module (or parametrise) to change settings before the app is built."""
    if POSTGRES_URL:
        yield base_config(POSTGRES_URL, tmp_path)
        return
    with _database_folder(tmp_path) as folder:
        database = os.path.join(folder, "expertnet.sqlite3")
        shutil.copyfile(migrated_template, database)
        yield base_config(f"sqlite:///{database}", tmp_path)


class FreshGlobalsClient(FlaskClient):
    """The test keeps one app context open and Flask reuses it for every request, so `g` would carry
    Flask-Login's user and Flask-Babel's locale from one request (and one client) to the next.
    Clearing it per request makes each request start as it does in production."""

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        return super().open(*args, **kwargs)


class SessionTemplateCode(jinja2.BytecodeCache):
    """Each test's app has its own Jinja environment, which would compile every template it renders again. The
    compiled code is the same for every app, so the session keeps it once (Jinja's bucket key includes a
    checksum of the template's source, so an edited template is compiled afresh)."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


SESSION_TEMPLATE_CODE = SessionTemplateCode()


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = FreshGlobalsClient
    app.jinja_env.bytecode_cache = SESSION_TEMPLATE_CODE
    with app.app_context():
        yield app
        db.session.remove()
        if POSTGRES_URL:
            _empty_postgres_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback, started, with the app's SMTP settings pointing at it."""
    server = LoopbackSMTP()
    server.configure(app)
    yield server.start()
    server.stop()


@pytest.fixture
def sent_mail(app):
    """Messages delivered through the mail seam during the test."""
    return app.extensions.setdefault("sent_mail", [])


def make_organisation(name: str = "Port Authority of Testland", country: str = "JO",
                      kind: OrganisationKind = OrganisationKind.CUSTOMS_BORDER) -> Organisation:
    organisation = Organisation(name=name, country=country, kind=kind)
    db.session.add(organisation)
    db.session.commit()
    return organisation


_counter = iter(range(1, 10**9))


def make_user(role: Role = Role.MEMBER, organisation: Organisation | None = None, email: str | None = None,
              full_name: str | None = None, locale: str | None = None, is_active: bool = True) -> User:
    """A committed user whose password is PASSWORD (hashed once per session: scrypt is slow on purpose)."""
    number = next(_counter)
    if role == Role.MEMBER and organisation is None:
        organisation = make_organisation(name=f"Agency {number}")
    user = User(email=email or f"{role.value}{number}@example.org", full_name=full_name or f"{role.value.title()} {number}",
                role=role, organisation=organisation, locale=locale, is_active=is_active, password_hash=_PASSWORD_HASH)
    db.session.add(user)
    db.session.commit()
    return user


class AuthActions:
    """Sign in and out through the real sign-in form."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/sign-in", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/sign-out")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def users(app):
    """One user of each role, with two member agencies, for access matrices."""
    home = make_organisation("Home Agency", "JO")
    other = make_organisation("Other Agency", "KE", OrganisationKind.LAW_ENFORCEMENT)
    return {
        "member": make_user(Role.MEMBER, home),
        "other_member": make_user(Role.MEMBER, other),
        "expert": make_user(Role.EXPERT),
        "coordinator": make_user(Role.COORDINATOR),
        "admin": make_user(Role.ADMIN),
    }


class LiveServer:
    """The app on a free loopback port in a daemon thread, for the browser."""

    def __init__(self, app):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()


@pytest.fixture
def live_server(app):
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1"
    server = LiveServer(app).start()
    yield server
    server.stop()


# ---- headless browser (Debian's Chromium driven by Playwright; never `playwright install`) ----
CHROMIUM = os.environ.get("EXPERTNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """JavaScript errors and requests that tried to leave 127.0.0.1, collected while a page is driven."""

    def __init__(self):
        self.js_errors: list[str] = []
        self.external_requests: list[str] = []

    def assert_clean(self):
        assert self.js_errors == [], self.js_errors
        assert self.external_requests == [], self.external_requests


def _guard_network(page, problems: PageProblems):
    def route(route_request):
        url = route_request.request.url
        if url.startswith(("http://127.0.0.1", "data:", "about:", "blob:")):
            route_request.continue_()
        else:
            problems.external_requests.append(url)
            route_request.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: problems.js_errors.append(str(error)))
    page.on("console", lambda msg: problems.js_errors.append(msg.text) if msg.type == "error" else None)


@pytest.fixture
def page_factory(browser, request):
    """New pages (viewport, locale) whose problems are checked and which are screenshotted on failure."""
    contexts = []

    def new_page(width: int = 1280, height: int = 900, locale: str = "en-GB"):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        page = context.new_page()
        page.problems = PageProblems()
        _guard_network(page, page.problems)
        contexts.append((context, page))
        return page

    yield new_page
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    for index, (context, page) in enumerate(contexts):
        if failed:
            os.makedirs(ARTIFACTS, exist_ok=True)
            page.screenshot(path=os.path.join(ARTIFACTS, f"{request.node.name}-{index}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(page_factory):
    return page_factory()


def browser_sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form [type=submit][name=submit]")
    page.wait_for_load_state()
