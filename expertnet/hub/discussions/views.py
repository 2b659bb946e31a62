"""Discussion pages. Readers: the latest threads, the threads of a place (topic or hub item) with the form to
start one, a thread with its replies and the reply form; following; reporting a post. Moderators (coordinators
and admins): the queue of reported and hidden posts, hide (with a reason, after a confirmation), restore, keep.
Each view loads through the scoped lookups (`places`: a place or thread beyond the reader's label is 404), checks,
and acts through one service call under `@action`."""
from flask import abort, current_app, flash, redirect, render_template, request as http, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from expertnet.actions import action, refused_back_to
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.form_schema import load_form
from expertnet.hub.discussions import bp, places, services
from expertnet.hub.discussions.forms import ButtonForm, EditForm, ModerationForm, PostForm, ReportForm, ThreadForm
from expertnet.hub.discussions.messages import DiscussionError
from expertnet.hub.discussions.models import Post, Thread
from expertnet.hub.discussions.places import place_titles
from expertnet.hub.discussions.schemas import ModerationIn, PostIn, ReportIn, ThreadIn
from expertnet.hub.models import LANGUAGES
from expertnet.web_input import paginate

POSTS_PER_PAGE = 30


def _user():
    return current_user._get_current_object()


def _locale() -> str:
    return str(get_locale())


def _stripped(form, *names) -> dict:
    """The fields as typed, trimmed; an empty one left out, so the schema says it is required."""
    values = {name: (form[name].data or "").strip() for name in names}
    return {name: value for name, value in values.items() if value}


def _load_post(post_id: int) -> tuple[Post, Thread, places.Place]:
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    thread, place = places.get_visible_thread_or_404(_user(), post.thread_id)
    return post, thread, place


def _post_url(post_id: int, **_view_args) -> str:
    return url_for("hub.discussions.post", post_id=post_id)


refused_on_post = refused_back_to(_post_url)
refused_on_thread = refused_back_to(lambda thread_id, **_: url_for("hub.discussions.thread", thread_id=thread_id))


def _moderator_only() -> None:
    if not places.may_moderate(_user()):
        abort(403)


# ------------------------------------------------------------------ readers
@bp.get("/")
@login_required
def index():
    query = places.visible_threads(_user()).order_by(Thread.last_post_at.desc(), Thread.id.desc())
    page = paginate(query, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    return render_template("discussions/index.html", page=page, titles=place_titles(page.items, _locale()),
                           groups=places.group_spaces(_user()), moderator=places.may_moderate(_user()))


@bp.route("/<kind>/<key>", methods=["GET", "POST"])
@login_required
@action
def place(kind: str, key: str):
    place = places.get_visible_place_or_404(_user(), kind, key)
    form, status = ThreadForm(), 200
    if form.is_submitted():
        data = load_form(form, ThreadIn(), {**_stripped(form, "title", "body"), "language": form.language.data})
        if data is not None:
            thread = services.start_thread(_user(), place, data)
            flash(_("The discussion is started; you follow it."), "success")
            return redirect(url_for("hub.discussions.thread", thread_id=thread.id))
        status = 422
    elif _locale() in LANGUAGES:
        form.language.data = _locale()
    page = paginate(services.threads_at(place), per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    return render_template("discussions/place.html", place=place, page=page, form=form), status


def _thread_page(thread: Thread, place: places.Place, form, status: int = 200):
    page = paginate(services.posts_of(thread), per_page=POSTS_PER_PAGE, error_out=False)
    return render_template("discussions/thread.html", thread=thread, place=place, page=page, form=form,
                           following=services.is_following(_user(), thread),
                           moderator=places.may_moderate(_user()), may_edit=services.may_still_edit,
                           now=utcnow(), report_form=ReportForm(), moderation_form=ModerationForm(),
                           button_form=ButtonForm()), status


@bp.get("/thread/<int:thread_id>")
@login_required
def thread(thread_id: int):
    found, place = places.get_visible_thread_or_404(_user(), thread_id)
    return _thread_page(found, place, PostForm())


@bp.get("/post/<int:post_id>")
@login_required
def post(post_id: int):
    """A post's address: its thread's page that shows it, at the post."""
    found, thread, _place = _load_post(post_id)
    before = db.session.scalar(services.posts_of(thread).where(Post.id < found.id)
                               .with_only_columns(db.func.count(Post.id)).order_by(None)) or 0
    page = before // POSTS_PER_PAGE + 1
    return redirect(url_for("hub.discussions.thread", thread_id=thread.id, page=page if page > 1 else None,
                            _anchor=f"post-{found.id}"))


@bp.post("/thread/<int:thread_id>/reply")
@login_required
@action(refused=refused_on_thread)
def reply(thread_id: int):
    found, place = places.get_visible_thread_or_404(_user(), thread_id)
    form = PostForm()
    data = load_form(form, PostIn(), _stripped(form, "body"))
    if data is None:
        return _thread_page(found, place, form, 422)
    posted = services.reply(_user(), found, place, data["body"])
    flash(_("Your reply is posted; you follow the discussion."), "success")
    return redirect(_post_url(posted.id))


@bp.route("/post/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@action(refused=refused_on_post)
def edit(post_id: int):
    found, thread, place = _load_post(post_id)
    if found.author_id != _user().id:
        abort(403)
    form, status = EditForm(), 200
    if form.is_submitted():
        data = load_form(form, PostIn(), _stripped(form, "body"))
        if data is not None:
            services.edit_post(_user(), found, place, data["body"])
            flash(_("Your post is changed."), "success")
            return redirect(_post_url(found.id))
        status = 422
    else:
        if not services.may_still_edit(_user(), found):
            raise DiscussionError("edit_window_over")
        form.body.data = found.body
    return render_template("discussions/edit.html", form=form, post=found, thread=thread, place=place), status


@bp.post("/post/<int:post_id>/report")
@login_required
@action(refused=refused_on_post)
def report(post_id: int):
    found, _thread, _place = _load_post(post_id)
    form = ReportForm()
    data = load_form(form, ReportIn(), _stripped(form, "reason"))
    if data is None:
        flash(" ".join(str(e) for e in form.reason.errors) or _("The form has expired; try again."), "danger")
        return redirect(_post_url(found.id))
    services.report_post(_user(), found, data["reason"])
    flash(_("Thank you: the moderators will look at this post."), "success")
    return redirect(_post_url(found.id))


@bp.post("/thread/<int:thread_id>/follow")
@login_required
@action(refused=refused_on_thread)
def follow(thread_id: int):
    found, _place = places.get_visible_thread_or_404(_user(), thread_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if http.form.get("stop"):
        services.unfollow(_user(), found)
        flash(_("You no longer follow this discussion."), "success")
    else:
        services.follow(_user(), found)
        flash(_("You follow this discussion: you are told of each reply."), "success")
    return redirect(url_for("hub.discussions.thread", thread_id=found.id))


# ------------------------------------------------------------------ moderators
@bp.get("/moderation")
@login_required
def queue():
    _moderator_only()
    show = "hidden" if http.args.get("show") == "hidden" else "reported"
    page = paginate(services.moderation_queue(_user(), show), per_page=current_app.config["ITEMS_PER_PAGE"],
                    error_out=False)
    return render_template("discussions/queue.html", page=page, show=show,
                           reports={p.id: services.open_reports_of(p) for p in page.items},
                           form=ModerationForm(), button_form=ButtonForm())


def _moderation(post_id: int):
    _moderator_only()
    found, _thread, _place = _load_post(post_id)
    form = ModerationForm()
    seen = form.seen.data
    data = load_form(form, ModerationIn(), {**_stripped(form, "reason"),
                                            "seen": int(seen) if seen and seen.isdigit() else None})
    if data is None:
        raise DiscussionError("reason_required")
    return found, data


def _back(found: Post):
    return redirect(url_for("hub.discussions.queue") if http.form.get("back") == "queue" else _post_url(found.id))


@bp.post("/post/<int:post_id>/hide")
@login_required
@action(refused=refused_on_post)
def hide(post_id: int):
    found, data = _moderation(post_id)
    moved = services.hide_post(_user(), found, data["reason"], data["seen"])
    flash(_("The post is hidden.") if moved else _("The post was already hidden."), "success")
    return _back(found)


@bp.post("/post/<int:post_id>/restore")
@login_required
@action(refused=refused_on_post)
def restore(post_id: int):
    found, data = _moderation(post_id)
    moved = services.restore_post(_user(), found, data["seen"])
    flash(_("The post is shown again.") if moved else _("The post was already shown."), "success")
    return _back(found)


@bp.post("/post/<int:post_id>/keep")
@login_required
@action(refused=refused_on_post)
def keep(post_id: int):
    found, data = _moderation(post_id)
    services.keep_post(_user(), found, data["seen"])
    flash(_("The post stays; its reports are closed."), "success")
    return _back(found)
