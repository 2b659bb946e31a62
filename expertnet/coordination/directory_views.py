"""The expert directory for coordinators: search and filter vetted experts, and each expert's page
(profile facts, history with the network, feedback received, how the matcher sees them). Read-only."""
from flask import current_app, render_template, request

from expertnet.accounts.policy import STAFF, roles_required
from expertnet.coordination import bp
from expertnet.coordination.directory import DirectoryForm, directory_page, history_of
from expertnet.coordination.pages import locale
from expertnet.experts.access import profile_or_404
from expertnet.experts.completeness import completeness
from expertnet.experts.matcher_bridge import describe_expert
from expertnet.taxonomy.services import leaf_topics
from expertnet.web_input import bounded_page


@bp.get("/experts")
@roles_required(*STAFF)
def directory():
    topics = [(t.slug, t.label(locale())) for t in leaf_topics()]
    form = DirectoryForm(request.args, topics, locale())
    filters = form.filters()
    per_page = current_app.config["ITEMS_PER_PAGE"]
    page = directory_page(filters, bounded_page(per_page), per_page)
    return render_template("coordination/directory.html", form=form, page=page, filters=filters)


@bp.get("/experts/<int:expert_id>")
@roles_required(*STAFF)
def expert_profile(expert_id: int):
    profile = profile_or_404(expert_id)
    percent, _hints = completeness(profile)
    return render_template("coordination/expert.html", profile=profile, percent=percent,
                           history=history_of(profile), reasons=describe_expert(profile, locale()))
