"""An event's materials become hub items once it has been held (issue 18): the organiser chooses the materials
(slides and other files, links to recordings and notes), the kind (webinar recording and slides, or training
material) and the label; the item carries the event's topics, a text in each of its languages, and the event it
came from (`HubItem.event_id`), and is published through the hub's own workflow (draft -> in review ->
published, each move audited). Files are stored again for the hub (checked as uploads are), so removing one side's
file never takes the other's."""
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from expertnet.attachments.services import stored_path
from expertnet.audit.services import record
from expertnet.events.access import has_ended
from expertnet.events.messages import EventError
from expertnet.events.models import Audience, Event, EventMaterial, MaterialKind
from expertnet.extensions import db
from expertnet.hub import access as hub_access, services as hub
from expertnet.hub.models import HubItem, ItemStatus
from expertnet.sensitivity import Tlp


def publish_materials(actor, event: Event, data: Mapping[str, Any]) -> HubItem:
    """`data` is PublishIn's load. The event must be over; AMBER goes to the organisations invited to it."""
    if not has_ended(event):
        raise EventError("not_held", http_status=409)
    chosen = _materials(event, data["material_ids"])
    audience = [o.id for o in event.organisations] if event.audience == Audience.ORGANISATIONS else []
    if data["tlp"] == Tlp.AMBER and not audience:
        raise EventError("amber_needs_organisations")
    languages = list(event.languages or []) or ["en"]
    fields = {"kind": data["kind"], "tlp": data["tlp"], "topics": [t.slug for t in event.topics],
              "audience": audience, "regions": [], "sectors": [], "external_url": "",
              "title": data["title"].strip(), "summary": data["summary"].strip(), "body": _body(chosen),
              "note": f"Materials of event {event.id}"}
    item = hub.create_item(actor, {**fields, "language": languages[0]})
    for language in languages[1:]:  # the event was held in these languages too: so is its material
        hub.update_item(actor, item, {**fields, "language": language})
    item.event_id = event.id
    for material in chosen:
        if material.kind == MaterialKind.FILE:
            _copy_file(actor, item, material)
    for step in (ItemStatus.IN_REVIEW, ItemStatus.PUBLISHED):
        hub.move_item(actor, item, step)
    record("event.materials_published", actor, event, item_id=item.id, materials=[m.id for m in chosen],
           tlp=item.tlp.value, kind=item.kind.value)
    return item


def _materials(event: Event, ids) -> list[EventMaterial]:
    wanted = set(ids)
    chosen = [m for m in event.materials if m.id in wanted]
    if not chosen or len(chosen) != len(wanted):
        raise EventError("unknown_material")
    return chosen


def _body(materials: list[EventMaterial]) -> str:
    """The links, one a line (the files are attached to the item)."""
    return "\n".join(f"{m.title}: {m.url}" for m in materials if m.kind == MaterialKind.LINK)


def _copy_file(actor, item: HubItem, material: EventMaterial) -> None:
    with open(stored_path(material.storage_key), "rb") as stream:  # type: ignore[arg-type]  # a file has a key
        hub.add_file(actor, item, FileStorage(stream, filename=material.filename, content_type=material.content_type))


def hub_items_of(user, event: Event) -> list[HubItem]:
    """The hub items made from the event's materials that `user` may know of (the hub's need-to-know)."""
    return list(db.session.scalars(hub_access.visible_items(user).where(HubItem.event_id == event.id)
                                   .order_by(HubItem.id)))


def has_hub_items(event: Event) -> bool:
    return db.session.scalar(sa.select(HubItem.id).where(HubItem.event_id == event.id).limit(1)) is not None
