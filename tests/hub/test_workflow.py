"""The editorial workflow (draft -> in review -> published -> archived, review -> draft) through the pages and
statemachine.transition, with audit rows; versions on each text edit; the editor's form refusals inline;
usage counters."""
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.hub.models import HubItem, HubVersion, ItemStatus
from tests.hub.factories import make_item

FORM = {"language": "en", "kind": "guidance", "tlp": "TLP:GREEN", "title": "Securing chlorine at water plants",
        "summary": "How a water utility keeps its chlorine cylinders out of the wrong hands.",
        "body": "Fence, lock and count the cylinders; vet the drivers.", "sectors": "water, utilities"}


def _actions(item_id):
    return list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "hub_item",
                                                                      AuditEvent.object_id == item_id)
                                   .order_by(AuditEvent.id)))


def test_an_editor_writes_reviews_publishes_and_archives(users, auth, client):
    auth.login(users["coordinator"])
    response = client.post("/hub/new", data=FORM)
    assert response.status_code == 302
    item = db.session.scalar(sa.select(HubItem))
    assert item.status == ItemStatus.DRAFT
    for to in ("in_review", "draft", "in_review", "published"):
        assert client.post(f"/hub/{item.id}/move", data={"to": to}).status_code == 302
    db.session.refresh(item)
    assert item.status == ItemStatus.PUBLISHED and item.published_at is not None
    assert client.post(f"/hub/{item.id}/move", data={"to": "published"}).status_code == 302  # a repeat: no-op
    assert client.post(f"/hub/{item.id}/move", data={"to": "draft"}).status_code == 409  # not in the table
    assert client.post(f"/hub/{item.id}/move", data={"to": "archived"}).status_code == 302
    db.session.refresh(item)
    assert item.status == ItemStatus.ARCHIVED
    assert _actions(item.id) == ["hub_item.created", "hub_item.in_review", "hub_item.draft", "hub_item.in_review",
                                 "hub_item.published", "hub_item.archived"]
    assert client.post(f"/hub/{item.id}/edit", data=FORM).status_code == 409  # archived: no longer edited
    assert "Archive this item?" not in client.get(f"/hub/{item.id}").get_data(as_text=True)


def test_the_archive_button_asks_first(users, auth, client):
    item = make_item(users["coordinator"])
    auth.login(users["coordinator"])
    page = client.get(f"/hub/{item.id}").get_data(as_text=True)
    assert 'data-confirm="Archive this item? Readers will no longer find it."' in page


def test_each_text_edit_is_a_version_and_translations_join_the_item(users, auth, client):
    auth.login(users["coordinator"])
    client.post("/hub/new", data=FORM)
    item = db.session.scalar(sa.select(HubItem))
    edited = {**FORM, "body": "Fence, lock, count and log the cylinders."}
    client.post(f"/hub/{item.id}/edit", data={**edited, "note": "Logging added"})
    client.post(f"/hub/{item.id}/edit", data={**edited, "kind": "sop"})  # no text change: no version
    client.post(f"/hub/{item.id}/edit?language=ar", data={
        **edited, "kind": "sop", "language": "ar", "title": "تأمين الكلور في محطات المياه",
        "summary": "كيف تحمي مرافق المياه أسطوانات الكلور من الوصول غير المصرح به."})
    db.session.refresh(item)
    assert item.version == 3 and sorted(item.languages) == ["ar", "en"] and item.kind.value == "sop"
    numbers = db.session.scalars(sa.select(HubVersion.number).where(HubVersion.item_id == item.id)).all()
    assert sorted(numbers) == [1, 2, 3]
    history = client.get(f"/hub/{item.id}/history").get_data(as_text=True)
    assert "Logging added" in history and "تأمين الكلور" in history


def test_refusals_are_shown_on_the_fields(users, auth, client):
    auth.login(users["coordinator"])
    response = client.post("/hub/new", data={**FORM, "title": "x", "tlp": "TLP:AMBER"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in page and 'id="audience-error"' in page
    assert db.session.scalar(sa.select(sa.func.count(HubItem.id))) == 0


def test_an_amber_item_without_text_content_cannot_go_to_review(users):
    from expertnet.hub import services
    from expertnet.hub.messages import HubError
    item = make_item(users["coordinator"], status=ItemStatus.DRAFT, body="")
    try:
        services.move_item(users["coordinator"], item, ItemStatus.IN_REVIEW)
    except HubError as error:
        assert error.code == "no_content"
    else:
        raise AssertionError("moved without content")


def test_views_downloads_and_helped_are_counted_for_editors(users, auth, client):
    item = make_item(users["coordinator"])
    auth.login(users["member"])
    client.get(f"/hub/{item.id}")
    client.get(f"/hub/{item.id}")
    assert client.post(f"/hub/{item.id}/helped").status_code == 302
    assert client.post(f"/hub/{item.id}/helped").status_code == 409  # once per reader
    assert "Views" not in client.get(f"/hub/{item.id}").get_data(as_text=True)
    db.session.refresh(item)
    assert (item.view_count, item.helped_count) == (3, 1)
    auth.logout()
    auth.login(users["coordinator"])
    assert 'id="views">' in client.get(f"/hub/{item.id}").get_data(as_text=True)
