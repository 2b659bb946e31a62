"""The hub's rules: plain functions named after the action, the actor passed in; they flush, never commit, and
audit in the same transaction. Editors write items and move them through `machine.HUB_MACHINE`; readers'
views, downloads and "this helped" are counted on the item."""
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from expertnet import statemachine
from expertnet.accounts.models import Organisation
from expertnet.attachments.services import remove_stored_file_on_commit, store_upload, stored_path
from expertnet.audit.services import record
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.hub import search
from expertnet.hub.machine import machine_for
from expertnet.hub.messages import HubError
from expertnet.hub.models import (HubFile, HubHelped, HubItem, HubSearchGap, HubShown, HubText, HubVersion,
                                  ItemStatus)
from expertnet.groups.models import Group
from expertnet.taxonomy.models import Topic

ITEM_FIELDS = ("kind", "tlp", "regions", "sectors", "external_url")


def _set_shared_fields(item: HubItem, data: dict) -> None:
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    slugs = list(data.get("topics") or [])
    item.topics = list(db.session.scalars(sa.select(Topic).where(Topic.slug.in_(slugs)))) if slugs else []
    ids = list(data.get("audience") or [])
    item.audience = list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))) if ids else []
    if "audience_groups" in data:
        group_ids = list(data.get("audience_groups") or [])
        item.audience_groups = list(db.session.scalars(sa.select(Group).where(Group.id.in_(group_ids)))) \
            if group_ids else []


def _texts_snapshot(item: HubItem) -> dict:
    return {t.language: {"title": t.title, "summary": t.summary, "body": t.body} for t in item.texts}


def _add_version(actor: Any, item: HubItem, note: str) -> HubVersion:
    version = HubVersion(item_id=item.id, number=item.version, texts=_texts_snapshot(item), note=note,
                         author_id=actor.id)
    db.session.add(version)
    return version


def create_item(actor: Any, data: dict) -> HubItem:
    """A new draft with its first text (version 1)."""
    item = HubItem(created_by_id=actor.id, original_language=data["language"], status=ItemStatus.DRAFT, version=1,
                   regions=[], sectors=[])
    _set_shared_fields(item, data)
    item.texts.append(HubText(language=data["language"], title=data["title"], summary=data["summary"],
                              body=data.get("body", "")))
    db.session.add(item)
    db.session.flush()
    _add_version(actor, item, data.get("note", ""))
    record("hub_item.created", actor, item, kind=item.kind.value, tlp=item.tlp.value, language=data["language"])
    db.session.flush()
    return item


def update_item(actor: Any, item: HubItem, data: dict) -> HubItem:
    """Change the item's shared fields and its text in `data['language']` (added when new); a changed text makes
    a new version row."""
    if item.status == ItemStatus.ARCHIVED:
        raise HubError("not_editable")
    before = _texts_snapshot(item)
    _set_shared_fields(item, data)
    text = next((t for t in item.texts if t.language == data["language"]), None)
    if text is None:
        text = HubText(language=data["language"], title="", summary="", body="")
        item.texts.append(text)
    text.title, text.summary, text.body = data["title"], data["summary"], data.get("body", "")
    item.updated_at = utcnow()
    changed = _texts_snapshot(item) != before
    if changed:
        item.version += 1
        _add_version(actor, item, data.get("note", ""))
    record("hub_item.edited", actor, item, language=data["language"], version=item.version, text_changed=changed,
           tlp=item.tlp.value)
    if item.status == ItemStatus.PUBLISHED:
        search.mark_index_changed()
    db.session.flush()
    return item


def move_item(actor: Any, item: HubItem, to_status: ItemStatus, note: str = "") -> None:
    """One step of the editorial workflow (row-locked, audited; a repeat is a no-op)."""
    if ItemStatus.PUBLISHED in (item.status, ItemStatus(to_status)) and item.status != ItemStatus(to_status):
        search.mark_index_changed()  # published or taken out of the library: the search index follows
    statemachine.transition(machine_for(item), item, ItemStatus(to_status), actor, note=note)


def versions_of(item: HubItem) -> list[HubVersion]:
    return list(db.session.scalars(sa.select(HubVersion).where(HubVersion.item_id == item.id)
                                   .order_by(HubVersion.number.desc())))


# ------------------------------------------------------------------ files
def add_file(actor: Any, item: HubItem, upload: Any) -> HubFile:
    """Checked and stored as attachments are (type by content, size limit, random key)."""
    if item.status == ItemStatus.ARCHIVED:
        raise HubError("not_editable")
    stored = store_upload(upload)
    hub_file = HubFile(item_id=item.id, uploaded_by_id=actor.id, filename=stored.filename,
                       content_type=stored.content_type, size_bytes=stored.size_bytes, sha256=stored.sha256,
                       storage_key=stored.storage_key)
    db.session.add(hub_file)
    db.session.flush()
    record("hub_file.uploaded", actor, hub_file, item_id=item.id, filename=hub_file.filename,
           size_bytes=hub_file.size_bytes, content_type=hub_file.content_type)
    return hub_file


def remove_file(actor: Any, hub_file: HubFile) -> None:
    record("hub_file.removed", actor, hub_file, item_id=hub_file.item_id, filename=hub_file.filename)
    remove_stored_file_on_commit(hub_file.storage_key)
    db.session.delete(hub_file)
    db.session.flush()


def _count(item_id: int, column: str) -> None:
    # One UPDATE adding 1: parallel readers never lose a count.
    db.session.execute(sa.update(HubItem).where(HubItem.id == item_id)
                       .values({column: getattr(HubItem, column) + 1}).execution_options(synchronize_session=False))


def open_file(actor: Any, hub_file: HubFile) -> Path:
    """The file's path for a reader the caller has checked; counted and audited."""
    path = stored_path(hub_file.storage_key)
    _count(hub_file.item_id, "download_count")
    record("hub_file.downloaded", actor if getattr(actor, "is_authenticated", False) else None, hub_file,
           item_id=hub_file.item_id, filename=hub_file.filename)
    return path


# ------------------------------------------------------------------ readers
def record_view(item: HubItem) -> None:
    _count(item.id, "view_count")


def has_helped(user: Any, item: HubItem) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(sa.select(HubHelped.id).where(HubHelped.item_id == item.id,
                                                           HubHelped.user_id == user.id)) is not None


def mark_helped(actor: Any, item: HubItem) -> None:
    """Once per reader and item."""
    if has_helped(actor, item):
        raise HubError("already_helped")
    try:  # a twin click at the same moment waits on the unique index, then is refused like a repeat
        with db.session.begin_nested():
            db.session.add(HubHelped(item_id=item.id, user_id=actor.id))
            db.session.flush()
    except IntegrityError as twin:
        raise HubError("already_helped") from twin
    _count(item.id, "helped_count")
    db.session.flush()


def record_gap(language: str, topics: list[str], source: str = "search") -> HubSearchGap:
    gap = HubSearchGap(language=language, topics=sorted(set(topics)), source=source)
    db.session.add(gap)
    db.session.flush()
    return gap


def record_shown(user: Any, scores: dict[int, float], *, form_token: str = "", request_id: int | None = None) -> None:
    """Remember which items a member writing a request was shown (each once per form or request)."""
    if not scores:
        return
    where = (HubShown.request_id == request_id) if request_id is not None else (HubShown.form_token == form_token)
    known = set(db.session.scalars(sa.select(HubShown.item_id).where(where, HubShown.item_id.in_(list(scores)))))
    for item_id, score in scores.items():
        if item_id not in known:
            db.session.add(HubShown(item_id=item_id, user_id=user.id, form_token=form_token, request_id=request_id,
                                    score=round(float(score), 4)))
    db.session.flush()
