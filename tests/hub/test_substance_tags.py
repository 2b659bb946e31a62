"""Hub items tagged with substances of the chemicals register (issue 18): editors tag through the register's tag
page, readers see the tags on the item, and a substance's page counts only the items its viewer may read — an
AMBER item for another organisation is not even counted."""
import pytest
import sqlalchemy as sa

from expertnet.audit.models import AuditEvent
from expertnet.extensions import db
from expertnet.hub import substances as hub_substances
from expertnet.hub.messages import HubError
from expertnet.sensitivity import Tlp
from tests.chemicals.factories import make_substance
from tests.hub.factories import make_item


@pytest.fixture
def tagged(users):
    substance = make_substance()
    green = make_item(users["coordinator"], title="Storing ammonium nitrate safely")
    amber = make_item(users["coordinator"], tlp=Tlp.AMBER, audience=[users["other_member"].organisation],
                      title="Seizure note for the Kenyan police")
    return substance, green, amber


@pytest.mark.parametrize("role", ["member", "expert"])
def test_only_editors_tag_items(client, auth, users, tagged, role):
    substance, green, _amber = tagged
    auth.login(users[role])
    assert client.get(f"/hub/{green.id}/substances").status_code == 403
    assert client.post(f"/hub/{green.id}/substances", data={"substances": [str(substance.id)]}).status_code == 403
    with pytest.raises(HubError):
        hub_substances.tag_item(users[role], green, [substance.id])
    assert hub_substances.item_substances(green.id) == []


def test_an_editor_tags_and_readers_see_the_tags_and_counts_within_their_labels(client, auth, users, tagged):
    substance, green, amber = tagged
    auth.login(users["coordinator"])
    assert "Ammonium nitrate" in client.get(f"/hub/{green.id}/substances").get_data(as_text=True)
    for item in (green, amber):
        assert client.post(f"/hub/{item.id}/substances", data={"substances": [str(substance.id)]}).status_code == 302
    assert hub_substances.item_substances(amber.id) == [substance]
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "hub.substances_tagged")) == 2
    for who, shown in (("member", 1), ("other_member", 2), ("coordinator", 2)):
        auth.logout()
        auth.login(users[who])
        item_page = client.get(f"/hub/{green.id}").get_data(as_text=True)
        assert f"/chemicals/{substance.id}" in item_page and "Ammonium nitrate" in item_page, who
        page = client.get(f"/chemicals/{substance.id}").get_data(as_text=True)
        assert f"{shown} hub item" in page and "Kenyan" not in page, who
        listed = client.get(f"/hub/?substance={substance.id}").get_data(as_text=True)
        assert "Storing ammonium nitrate" in listed and ("Kenyan police" in listed) == (shown == 2), who
    assert "Storing ammonium nitrate" not in client.get(f"/hub/?substance={substance.id + 1}").get_data(as_text=True)
