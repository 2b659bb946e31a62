"""Event pages: the list (upcoming / past), an event (register, cancel, calendar), the organisers' pages
(create, edit, registrations with CSV, attendance, materials) and the private calendar feed."""
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from expertnet.accounts.models import Organisation
from expertnet.accounts.policy import found_or_404
from expertnet.actions import action, attempt
from expertnet.attachments.responses import download_response
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.events import bp, calendar, hub_items, registration, services
from expertnet.events.access import (
    count_with_status, has_ended, has_started, may_create, may_manage, may_read_materials, may_see_online_link,
    registered_events, registration_of, visible_event, visible_events, waiting_position)
from expertnet.events.forms import AttendanceForm, EventForm, MaterialForm, PublishForm
from expertnet.events.labels import kind_label, status_label
from expertnet.events.models import (
    EVENT_LANGUAGES, Audience, Event, EventKind, EventMaterial, MaterialKind, RegistrationStatus)
from expertnet.events.schemas import EventIn, MaterialIn, PublishIn, agenda_text
from expertnet.form_schema import load_form
from expertnet.sensitivity import Tlp
from expertnet.web_input import paginate

PER_PAGE = 10


def load_event(event_id: int) -> Event:
    return found_or_404(visible_event(current_user, event_id))


def load_managed(event_id: int) -> Event:
    event = load_event(event_id)
    if not may_manage(current_user, event):
        abort(403)
    return event


def _told(message: str, endpoint: str, event: Event, category: str = "success"):
    """Say what happened and go (303) to one of the event's pages."""
    flash(message, category)
    return redirect(url_for(endpoint, event_id=event.id), 303)


@bp.app_template_global()
def event_kind_label(kind) -> str:
    return kind_label(kind)


@bp.app_template_global()
def registration_status_label(status) -> str:
    return status_label(status)


# ------------------------------------------------------------------ the list and an event
@bp.get("/events")
@login_required
def index():
    past = request.args.get("when") == "past"
    kind, language = request.args.get("kind", ""), request.args.get("language", "")
    now = utcnow()
    query = visible_events(current_user).where(Event.ends_at <= now if past else Event.ends_at > now)
    if kind in {k.value for k in EventKind}:
        query = query.where(Event.kind == EventKind(kind))
    if language in EVENT_LANGUAGES:
        query = query.where(sa.cast(Event.languages, sa.String).contains(f'"{language}"'))
    query = query.order_by(Event.starts_at.desc() if past else Event.starts_at, Event.id)
    page = paginate(query, per_page=PER_PAGE)
    return render_template("events/index.html", page=page, past=past, kind=kind, language=language,
                           kinds=list(EventKind), languages=EVENT_LANGUAGES, may_create=may_create(current_user))


@bp.get("/events/<int:event_id>")
@login_required
def detail(event_id: int):
    event = load_event(event_id)
    mine = registration_of(current_user, event)
    return render_template(
        "events/detail.html", event=event, mine=mine, position=waiting_position(mine) if mine else None,
        seats_taken=count_with_status(event, RegistrationStatus.REGISTERED),
        waiting=count_with_status(event, RegistrationStatus.WAITLISTED),
        started=has_started(event), ended=has_ended(event), manage=may_manage(current_user, event),
        show_link=may_see_online_link(current_user, event),
        materials=services.materials_for(event) if may_read_materials(current_user, event) else None,
        hub_items=hub_items.hub_items_of(current_user, event))


@bp.post("/events/<int:event_id>/register")
@login_required
@action
def register(event_id: int):
    event = load_event(event_id)
    mine = registration.register(current_user, event)
    if mine.status == RegistrationStatus.REGISTERED:
        return _told(_("You are registered."), ".detail", event)
    return _told(_("The event is full: you are on the waiting list."), ".detail", event, "info")


@bp.post("/events/<int:event_id>/cancel")
@login_required
@action
def cancel(event_id: int):
    event = load_event(event_id)
    mine = found_or_404(registration_of(current_user, event))
    registration.cancel(current_user, mine)
    return _told(_("Your registration is cancelled."), ".detail", event)


# ------------------------------------------------------------------ calendar export
def _describe(event: Event) -> str:
    lines = [event.description] if event.description else []
    lines += [_("Languages: %(languages)s", languages=", ".join(event.languages))]
    if event.agenda:
        lines.append(_("Agenda (UTC):"))
        lines += [f"{item.starts_at:%Y-%m-%d %H:%M} {item.title}" for item in event.agenda]
    return "\n".join(lines)


def _download(body: bytes | str, filename: str, mimetype: str = "text/calendar") -> Response:
    """A generated file (calendar, CSV) as a private download that no cache keeps."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/<int:event_id>.ics")
@login_required
def event_ics(event_id: int):
    event = load_event(event_id)
    body = calendar.calendar([event], current_app.config["PUBLIC_BASE_URL"], _describe,
                             lambda e: may_see_online_link(current_user, e), event.title)
    return _download(body, f"event-{event.id}.ics")


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The private feed: no session, the secret in the address is the key (404 when unknown or revoked)."""
    owner = found_or_404(calendar.feed_owner(token))
    events = list(db.session.scalars(registered_events(owner)))
    body = calendar.calendar(events, current_app.config["PUBLIC_BASE_URL"], _describe, lambda e: True,
                             _("expertnet events"))
    return _download(body, "expertnet-events.ics")


@bp.get("/events/calendar")
@login_required
def calendar_settings():
    return render_template("events/calendar.html", feed=calendar.feed_of(current_user), new_url=None)


@bp.post("/events/calendar/feed")
@login_required
@action
def create_feed():
    token = calendar.create_feed(current_user)
    return render_template("events/calendar.html", feed=calendar.feed_of(current_user),
                           new_url=url_for(".feed", token=token, _external=True))


@bp.post("/events/calendar/feed/revoke")
@login_required
@action
def revoke_feed():
    if calendar.revoke_feed(current_user):
        flash(_("Your calendar address is revoked: calendars that used it get nothing more."), "success")
    return redirect(url_for(".calendar_settings"), 303)


# ------------------------------------------------------------------ organisers
def _event_form(event: Event | None = None) -> EventForm:
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.is_active).order_by(Organisation.name)).all()
    form = EventForm(obj=event, locale=str(get_locale()), organisations=organisations)
    if event is not None and not form.is_submitted():
        zone = ZoneInfo(event.time_zone)
        form.starts_at.data = event.starts_at.astimezone(zone).replace(tzinfo=None)
        form.ends_at.data = event.ends_at.astimezone(zone).replace(tzinfo=None)
        form.kind.data, form.audience.data = event.kind.value, event.audience.value
        form.organisation_ids.data = [o.id for o in event.organisations]
        form.topics.data = [t.slug for t in event.topics]
        form.agenda.data = agenda_text(event, event.time_zone)
    return form


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
@action
def create():
    if not may_create(current_user):
        abort(403)
    form = _event_form()
    if form.is_submitted() and (data := load_form(form, EventIn())) is not None:
        return _told(_("The event is published."), ".detail", services.create_event(current_user, data))
    return render_template("events/edit.html", form=form, event=None), 422 if form.is_submitted() else 200


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
@action
def edit(event_id: int):
    event = load_managed(event_id)
    form = _event_form(event)
    if form.is_submitted() and (data := load_form(form, EventIn())) is not None:
        return _told(_("The event is saved."), ".detail", services.update_event(current_user, event, data))
    return render_template("events/edit.html", form=form, event=event), 422 if form.is_submitted() else 200


@bp.get("/events/<int:event_id>/registrations")
@login_required
def registrations(event_id: int):
    event = load_managed(event_id)
    rows = services.registrations(event)
    form = AttendanceForm()
    form.attended.choices = [(r.user_id, r.user.full_name) for r in rows if r.status == RegistrationStatus.REGISTERED]
    form.attended.data = [r.user_id for r in rows if r.attended]
    return render_template("events/registrations.html", event=event, rows=rows, form=form,
                           material_form=MaterialForm(), started=has_started(event),
                           materials=services.materials_for(event))


@bp.get("/events/<int:event_id>/registrations.csv")
@login_required
@action
def registrations_csv(event_id: int):
    event = load_managed(event_id)
    header = [_("Name"), _("E-mail"), _("Organisation"), _("Status"), _("Since"), _("Attended")]

    def yes_no(value) -> str:
        return "" if value is None else (_("yes") if value else _("no"))

    body = services.registrations_csv(current_user, event, header, status_label, yes_no)
    return _download(body, f"event-{event.id}-registrations.csv", "text/csv")


@bp.post("/events/<int:event_id>/attendance")
@login_required
@action
def attendance(event_id: int):
    event = load_managed(event_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    count = services.mark_attendance(current_user, event, form.attended.data or [])
    return _told(_("Attendance saved: %(count)s present.", count=count), ".registrations", event)


@bp.post("/events/<int:event_id>/materials")
@login_required
@action
def add_material(event_id: int):
    event = load_managed(event_id)
    form = MaterialForm()
    data = load_form(form, MaterialIn())
    if data is None:
        return _told(" ".join(e for errors in form.errors.values() for e in errors), ".registrations", event, "danger")
    services.add_material(current_user, event, data["title"].strip(), form.file.data, data["url"].strip())
    return _told(_("The material is added."), ".registrations", event)


def _load_material(event: Event, material_id: int) -> EventMaterial:
    material = db.session.get(EventMaterial, material_id)
    return found_or_404(material, material is not None and material.event_id == event.id)


@bp.post("/events/<int:event_id>/materials/<int:material_id>/delete")
@login_required
@action
def remove_material(event_id: int, material_id: int):
    event = load_managed(event_id)
    services.remove_material(current_user, _load_material(event, material_id))
    return _told(_("The material is removed."), ".registrations", event)


@bp.route("/events/<int:event_id>/publish", methods=["GET", "POST"])
@login_required
@action
def publish(event_id: int):
    """The organiser publishes materials of a held event as a hub item, then reads it in the hub."""
    event = load_managed(event_id)
    form = PublishForm()
    form.material_ids.choices = [(m.id, m.title) for m in event.materials]
    if not form.is_submitted():
        form.title.data, form.summary.data = event.title, event.description
        form.material_ids.data = [] if hub_items.has_hub_items(event) else [m.id for m in event.materials]
        if event.audience == Audience.ORGANISATIONS:
            form.tlp.data = Tlp.AMBER.value
    elif (data := load_form(form, PublishIn())) is not None:
        outcome = attempt(lambda: hub_items.publish_materials(current_user, event, data), form.material_ids,
                          {"amber_needs_organisations": form.tlp})
        if outcome.ok:
            flash(_("The materials are published in the hub."), "success")
            return redirect(url_for("hub.item", item_id=outcome.value.id), 303)
    return render_template("events/publish.html", event=event, form=form, ended=has_ended(event),
                           hub_items=hub_items.hub_items_of(current_user, event)), 422 if form.is_submitted() else 200


@bp.get("/events/<int:event_id>/materials/<int:material_id>")
@login_required
@action
def material(event_id: int, material_id: int):
    event = load_event(event_id)
    found_or_404(event, may_read_materials(current_user, event))
    item = _load_material(event, material_id)
    if item.kind == MaterialKind.LINK:
        return redirect(item.url)
    return download_response(services.open_material(current_user, item), item)
