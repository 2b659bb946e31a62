"""The Global Knowledge Hub: the network's guidance, training material and lessons, labelled like requests,
searchable across languages, and offered to a member before they file a request (issue 17)."""
from flask import Blueprint

from expertnet.hub.labels import TEMPLATE_GLOBALS

bp = Blueprint("hub", __name__, template_folder="templates", static_folder="static", url_prefix="/hub")
for _name, _function in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)

from expertnet.hub import lessons, suggestions, views  # noqa: E402,F401 - routes join bp
from expertnet.hub.discussions import bp as discussions_bp  # noqa: E402 - hub.discussions.*, /hub/discussions
from expertnet.taxonomy.services import leaf_topics  # noqa: E402

bp.register_blueprint(discussions_bp)
bp.add_app_template_global(leaf_topics, "discussion_topics")

for _name, _function in {**suggestions.TEMPLATE_GLOBALS, **lessons.TEMPLATE_GLOBALS}.items():
    bp.add_app_template_global(_function, _name)
