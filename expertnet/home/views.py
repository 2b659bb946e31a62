"""Home: each role sees what it can do now, from real data."""
from flask import render_template
from flask_login import current_user

from expertnet.home import bp
from expertnet.home.services import home_summary


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    return render_template("home/index.html", summary=home_summary(current_user._get_current_object()))
