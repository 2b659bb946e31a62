"""The demo's groups step (issue 18), run on the demo agencies alone (the whole demo takes minutes): four regions
with the agencies of their countries, the cross-sector advisory group of the industry bodies, an AMBER shelf, and
the Arabic MENA coordinator, limited to MENA and printed with the demo sign-ins."""
import sqlalchemy as sa

from expertnet.accounts.models import Role, User
from expertnet.demo import content
from expertnet.demo.credentials import demo_sign_ins, regional_credentials
from expertnet.demo.groups import seed_groups
from expertnet.demo.seed import seed_organisations
from expertnet.extensions import db
from expertnet.groups.access import in_scope, is_regional_coordinator
from expertnet.groups.models import Group, GroupKind
from expertnet.hub.shelf import shelf_items
from tests.conftest import make_user


def test_the_demo_groups(app):
    admin = make_user(Role.ADMIN)
    make_user(Role.COORDINATOR, email=content.coordinators()[0]["email"])
    organisations = seed_organisations(admin)
    seed_groups(admin, organisations)
    db.session.commit()
    groups = {g.slug: g for g in db.session.scalars(sa.select(Group))}
    assert {g.name for g in groups.values() if g.kind == GroupKind.REGION} == {
        "Middle East and North Africa", "Sub-Saharan Africa", "South-East Asia", "Latin America"}
    assert groups["cross-sector-advisory-group"].kind == GroupKind.WORKING_GROUP
    assert {o.country for o in groups["mena"].organisations} == {"JO", "MA", "EG", "AE", "TN", "IQ"}
    assert all(o.kind.value == "industry" for o in groups["cross-sector-advisory-group"].organisations)

    (role, email), = regional_credentials()
    assert (role, email) in demo_sign_ins() and "MENA" in role
    layla = db.session.scalar(sa.select(User).where(User.email == email))
    assert layla.locale == "ar" and is_regional_coordinator(layla)
    assert in_scope(layla, organisations["Jordan Customs – Aqaba Port Directorate"].id)
    assert not in_scope(layla, organisations["National Police Agency of Kenya – Chemical Crimes Unit"].id)
    assert len(shelf_items(groups["mena"], layla)) == 2
    assert shelf_items(groups["cross-sector-advisory-group"], layla) == []


def test_the_demo_group_spaces(demo_network, client, auth):
    """The full demo: the MENA network's Arabic thread, started by its regional coordinator, is on the group page
    and in her discussions; the advisory group's thread is not hers to read."""
    from expertnet.demo.credentials import DEMO_PASSWORD
    from expertnet.demo.discussions import GROUP_THREADS

    (_role, email), = regional_credentials()
    (_mena, _ar, ours, _posts), (_advisory, _en, theirs, _their_posts) = GROUP_THREADS
    assert auth.login(email, DEMO_PASSWORD).status_code == 302
    listing = client.get("/hub/discussions/").get_data(as_text=True)
    assert ours in listing and theirs not in listing
    assert ours in client.get("/groups/mena").get_data(as_text=True)
    assert client.get("/groups/cross-sector-advisory-group").status_code == 404
