"""Unbound extension singletons, bound to an app in create_app."""
from flask import g, has_request_context
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from expertnet.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def database_unreachable() -> bool:
    """True for the rest of a request whose database could not be reached (set by the 503 handler): the user
    loaders then answer "nobody" instead of querying again, so the error page is drawn as for a visitor."""
    return has_request_context() and bool(g.get("database_unreachable"))
