"""The chemicals-of-concern register (issue 18): substances with their CAS numbers, names in four languages and
control-list memberships, curated by admins and read by every signed-in user; the tags that join requests and
experts to substances; the register's substances as matcher concepts."""

from flask import Blueprint

bp = Blueprint("chemicals", __name__, url_prefix="/chemicals", template_folder="templates", cli_group="chemicals")

from expertnet.chemicals import commands, views  # noqa: E402,F401 - routes and commands join bp
