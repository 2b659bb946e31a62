"""Label enforcement (issue 17): role x label x own/other organisation, on the item page, its file, the list, the
search results and the "before you file" fragment. An item beyond the reader's label does not exist for them:
404 on its page and file, absent from lists, counts and results."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from expertnet.extensions import db
from expertnet.hub.models import HubItem, ItemStatus
from expertnet.sensitivity import Tlp
from tests.hub.factories import make_item

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64

# Who may see each item: (label, state) -> roles.
EVERYONE = {"anonymous", "member", "other_member", "expert", "coordinator", "admin"}
SIGNED_IN = EVERYONE - {"anonymous"}
EXPECTED = {
    "clear": EVERYONE,
    "green": SIGNED_IN,
    "amber": {"member", "coordinator", "admin"},  # named: the member's own organisation only
    "draft": {"coordinator", "admin"},
    "archived": {"coordinator", "admin"},
}


@pytest.fixture
def items(app, users):
    home = users["member"].organisation
    editor = users["coordinator"]
    settings = {"clear": {"tlp": Tlp.CLEAR}, "green": {}, "amber": {"tlp": Tlp.AMBER, "audience": [home]},
                "draft": {"status": ItemStatus.DRAFT}, "archived": {"status": ItemStatus.ARCHIVED}}
    made = {name: make_item(editor, title=f"Chlorine storage security {name} guidance", files=[png()], **extra)
            for name, extra in settings.items()}
    return {name: (item.id, item.files[0].id) for name, item in made.items()}


def png():
    return FileStorage(io.BytesIO(PNG), filename="plan.png")


def _as(role, users, auth):
    if role != "anonymous":
        auth.login(users[role])


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_item_pages_and_files_follow_the_label(role, items, users, auth, client):
    _as(role, users, auth)
    for name, (item_id, file_id) in items.items():
        allowed = role in EXPECTED[name]
        page = client.get(f"/hub/{item_id}")
        download = client.get(f"/hub/{item_id}/download/{file_id}")
        assert page.status_code == (200 if allowed else 404), (role, name)
        assert download.status_code == (200 if allowed else 404), (role, name)
        # Another item's file id under a visible item is not found either.
        other = next(f for n, (_i, f) in items.items() if n != name)
        assert client.get(f"/hub/{item_id}/download/{other}").status_code == 404


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("address", ["/hub/", "/hub/?q=chlorine+storage+security", "/hub/?q=تخزين+الكلور"])
def test_lists_and_search_results_never_show_an_item_beyond_the_label(role, address, items, users, auth, client):
    _as(role, users, auth)
    body = client.get(address).get_data(as_text=True)
    for name in items:
        shown = f"Chlorine storage security {name} guidance" in body
        if role not in EXPECTED[name]:
            assert not shown, (role, name, address)
        elif address == "/hub/":
            assert shown, (role, name)
    if address == "/hub/":
        visible = sum(role in roles for roles in EXPECTED.values())
        assert f"({visible})" in body  # the kind facet counts only what the reader may see


def test_before_you_file_offers_only_what_the_member_may_read(items, users, auth, client):
    auth.login(users["other_member"])
    body = client.get("/hub/before-you-file", query_string={
        "title": "Chlorine storage security", "summary": "We need guidance on chlorine storage security at plants",
        "once": "a" * 24}).get_data(as_text=True)
    assert "green guidance" in body or "clear guidance" in body
    for name in ("amber", "draft", "archived"):
        assert f"{name} guidance" not in body


@pytest.mark.parametrize("role", ["anonymous", "member", "expert"])
def test_editor_pages_are_refused_to_readers(role, items, users, auth, client):
    _as(role, users, auth)
    item_id = items["green"][0]
    for address in ("/hub/new", f"/hub/{item_id}/edit", f"/hub/{item_id}/history", "/hub/gaps"):
        assert client.get(address).status_code in (302, 403, 404), address
    response = client.post(f"/hub/{item_id}/move", data={"to": "archived"})
    assert response.status_code in (302, 403)
    assert db.session.get(HubItem, item_id).status == ItemStatus.PUBLISHED
