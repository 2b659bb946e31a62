"""The application factory, built from small register_* steps."""
import os
from pathlib import Path

from flask import Flask, has_request_context
from flask_babel import get_locale, lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user

from expertnet import config as config_module
from expertnet.extensions import babel, csrf, db, login_manager, migrate

PACKAGE_ROOT = Path(__file__).parent
PROJECT_ROOT = PACKAGE_ROOT.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask("expertnet", instance_path=str(PROJECT_ROOT / "instance"), instance_relative_config=True)
    configure(app, config)
    register_input_checks(app)
    register_extensions(app)
    register_blueprints(app)
    register_template_context(app)
    register_hooks(app)
    register_http_security(app)
    register_cli(app)
    from expertnet.errors import register_error_handlers

    register_error_handlers(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    app.config.from_object(config_module.DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config_module.environment_overrides())
    app.config.update(overrides or {})
    config_module.accounts_settings_follow(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.instance_secret_key(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'expertnet.sqlite3'}"
    app.config.setdefault("UPLOAD_FOLDER", str(Path(app.instance_path) / "uploads"))
    app.config.setdefault("MATCHER_INDEX_PATH", str(Path(app.instance_path) / "matcher-index"))
    # Beside the experts' index unless set (tests give MATCHER_INDEX_PATH a temporary folder: both follow it).
    app.config.setdefault("HUB_INDEX_PATH", str(Path(app.config["MATCHER_INDEX_PATH"]).parent / "hub-index"))


def register_input_checks(app: Flask) -> None:
    """Before the blueprints: their `<int:...>` rules must be built with the bounded converter."""
    from expertnet.web_input import register_input_checks as register

    register(app)


def register_extensions(app: Flask) -> None:
    from expertnet.accounts.loader import load_user
    from expertnet.i18n import select_locale, select_timezone, translation_directories

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True,
                     render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")  # Flask-Login's own text is English only
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=";".join(translation_directories()))
    register_sqlite_pragmas(app)
    import_models()
    register_upward_rules(app)
    register_session_listeners()


def register_session_listeners() -> None:
    """What follows a write in the same transaction, whoever wrote it (issue 15): the triage queue's SLA columns,
    and the matcher's change log for every change that can move a ranking (on SQLAlchemy's Session class); the
    queue's kept counts and choices forgotten (on its Engine class). Registered once per process."""
    from expertnet.coordination import queue_cache, sla_columns
    from expertnet.engagements.models import ExclusionOverride
    from expertnet.experts import change_capture

    sla_columns.register()
    queue_cache.register()
    change_capture.register()
    change_capture.track(ExclusionOverride)


def import_models() -> None:
    """Every model module, so metadata (and Alembic) sees the whole schema."""
    from expertnet.accounts import api_tokens as _api_tokens, models as _accounts  # noqa: F401
    from expertnet.api import models as _api  # noqa: F401
    from expertnet.attachments import models as _attachments  # noqa: F401
    from expertnet.audit import models as _audit  # noqa: F401
    from expertnet.chemicals import models as _chemicals  # noqa: F401
    from expertnet.engagements import models as _engagements  # noqa: F401
    from expertnet.events import models as _events  # noqa: F401
    from expertnet.groups import models as _groups  # noqa: F401
    from expertnet.experts import models as _experts  # noqa: F401
    from expertnet.hub import models as _hub  # noqa: F401
    from expertnet.hub.discussions import models as _discussions  # noqa: F401
    from expertnet.matching_history import models as _matching_history  # noqa: F401
    from expertnet import form_tokens as _form_tokens  # noqa: F401
    from expertnet.notifications import models as _notifications  # noqa: F401
    from expertnet.requests import models as _requests  # noqa: F401
    from expertnet.taxonomy import models as _taxonomy  # noqa: F401
    from expertnet.webhooks import models as _webhooks  # noqa: F401


def register_upward_rules(app: Flask) -> None:
    """What a lower feature must learn from a higher one is registered here, so imports only run downwards:
    requests leave experts' need-to-know to the module that knows invitations; an expert's own-data export
    takes its invitations and engagements from engagements; a request that ends closes its invitations and
    engagements (issue 13 bug 2); a group's page takes its panels from the features above groups."""
    from expertnet import need_to_know
    from expertnet.coordination import group_desk
    from expertnet.engagements import machine, own_data
    from expertnet.hub import shelf, substances as hub_substances
    from expertnet.hub.discussions import group_space

    need_to_know.init_app(app)
    own_data.init_app(app)
    machine.init_app(app)
    group_desk.init_app(app)  # a group's page shows its requests, engagements and gaps (staff) and its hub shelf
    shelf.init_app(app)
    group_space.init_app(app)  # and its own discussion space
    hub_substances.init_app(app)  # a substance's page counts the hub items tagged with it that the viewer may see


def register_sqlite_pragmas(app: Flask) -> None:
    """SQLite ignores foreign keys unless asked, and needs a busy timeout for several processes.

    Python's sqlite3 driver opens a transaction only before its first INSERT/UPDATE/DELETE, so a SAVEPOINT
    (`begin_nested`) issued earlier opened the transaction itself and its RELEASE committed everything: a
    rollback afterwards could not undo it. A savepoint therefore first opens the transaction when none is
    open. (Reads keep running outside transactions, so a page that only reads holds no lock on the file.)"""
    import sqlalchemy as sa

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():
        @sa.event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        @sa.event.listens_for(db.engine, "savepoint")
        def _begin_before_savepoint(connection, _name):
            if not connection.connection.dbapi_connection.in_transaction:
                connection.exec_driver_sql("BEGIN")


def register_blueprints(app: Flask) -> None:
    from expertnet.accounts import bp as accounts_bp
    from expertnet.admin import bp as admin_bp
    from expertnet.chemicals import bp as chemicals_bp
    from expertnet.coordination import bp as coordination_bp
    from expertnet.engagements import bp as engagements_bp
    from expertnet.events import bp as events_bp
    from expertnet.groups import bp as groups_bp
    from expertnet.experts import bp as experts_bp
    from expertnet.home import bp as home_bp
    from expertnet.hub import bp as hub_bp
    from expertnet.requests import bp as requests_bp

    for blueprint in (home_bp, accounts_bp, experts_bp, admin_bp, requests_bp, coordination_bp, engagements_bp,
                      chemicals_bp, events_bp, hub_bp, groups_bp):
        app.register_blueprint(blueprint)
    register_export_blueprint(app)
    register_api(app)


def register_api(app: Flask) -> None:
    from expertnet.api import init_app

    init_app(app)


def register_export_blueprint(app: Flask) -> None:
    from expertnet.exports import bp as exports_bp
    from expertnet.notifications import bp as notifications_bp

    app.register_blueprint(exports_bp)
    app.register_blueprint(notifications_bp)


def register_template_context(app: Flask) -> None:
    from expertnet.bidi import register_bidi_isolation
    from expertnet.i18n import LANGUAGE_NAMES, TEMPLATE_FILTERS, TEMPLATE_GLOBALS, text_direction
    from expertnet.navigation import nav_items_for
    from expertnet.accounts.policy import is_staff
    from expertnet.accounts.models import Role

    from expertnet.accounts.labels import role_label
    from expertnet.experts.labels import vetting_label

    app.jinja_env.add_extension("jinja2.ext.do")
    register_bidi_isolation(app)
    app.jinja_env.globals.update(role_label=role_label, vetting_label=vetting_label)
    # One date/time style and one way to name countries, languages and regions, on every page and mail.
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
    app.jinja_env.filters.update(TEMPLATE_FILTERS)

    @app.context_processor
    def layout_context():
        # Mail is also rendered from CLI commands, where there is no signed-in user.
        user = current_user if has_request_context() else AnonymousUserMixin()
        locale = str(get_locale())
        return {"current_locale": locale, "text_direction": text_direction(locale),
                "language_names": LANGUAGE_NAMES, "Role": Role, "is_staff": is_staff(user),
                "nav_items": nav_items_for(user)}


def register_hooks(app: Flask) -> None:
    from expertnet.jobs.engine import init_jobs
    from expertnet.notifications.services import enqueue_delivery_after_request

    init_jobs(app)  # web requests hand mail to the job engine; they never talk to SMTP themselves
    app.after_request(enqueue_delivery_after_request)
    from expertnet import webhooks

    webhooks.init_app(app)  # events from committed changes, handed to the job engine like mail


def register_http_security(app: Flask) -> None:
    from expertnet.http_security import register_proxy_fix, register_security_headers

    register_proxy_fix(app)
    register_security_headers(app)


def register_cli(app: Flask) -> None:
    from expertnet.cli import register_commands

    register_commands(app)
