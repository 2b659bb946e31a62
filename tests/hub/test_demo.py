"""The demo's hub (issue 17, item 5): at least 40 items across kinds, languages and labels, each reached through
the editorial machine; search finds English guidance for an Arabic question among them."""
from collections import Counter

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.accounts.services import create_user
from expertnet.demo import content
from expertnet.demo.hub import seed_hub
from expertnet.demo.seed import seed_organisations
from expertnet.extensions import db
from expertnet.hub import access, search
from expertnet.hub.models import HubItem, HubText, ItemStatus
from tests.requests.factories import ensure_topics


def test_demo_hub(app):
    ensure_topics()
    admin = create_user("admin@demo.example", "Admin", Role.ADMIN, None)
    organisations = seed_organisations(admin)
    for person in content.coordinators():
        create_user(person["email"], person["full_name"], Role.COORDINATOR, None)
    seed_hub(admin, organisations)
    db.session.commit()
    items = db.session.scalars(sa.select(HubItem)).all()
    assert len(items) >= 40
    assert len(Counter(i.kind for i in items)) >= 6
    assert {"en", "ar", "fr", "es"} <= set(db.session.scalars(sa.select(HubText.language)))
    assert {i.tlp.value for i in items} == {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"}
    lesson_only = {ItemStatus.AWAITING_AGENCY, ItemStatus.APPROVED}
    assert {i.status for i in items} == set(ItemStatus) - lesson_only
    assert all(i.files or i.external_url or any(t.body for t in i.texts) for i in items)
    published = {i.id for i in items if i.status == ItemStatus.PUBLISHED}
    found = search.search("كيف تتحقق متاجر الكيماويات من هوية المشترين قبل بيع السلائف", published, locale="ar")
    assert found.hits[0].item.original_language == "en" or found.hits[0].item.original_language == "ar"
    titles = [h.item.text_in("en").title for h in found.hits[:3]]
    assert "Know-your-customer checks for sales of explosives precursors" in titles
    anonymous_sees = db.session.scalars(access.visible_items(type("Anonymous", (), {})())).all()
    assert anonymous_sees and all(i.tlp.value == "TLP:CLEAR" for i in anonymous_sees)
