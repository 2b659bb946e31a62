"""Issue 17 "Usage": the coordinators' dashboard shows what members look for and do not find — hub searches
with no good result in the last 90 days, by topic and language — and links to the hub's gaps page."""
from datetime import timedelta

import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.hub import services as hub_services
from expertnet.taxonomy.models import Topic
from tests.conftest import make_user


def _panel(html: str) -> str:
    return html[html.index('id="hub-gaps"'):].split("</section>", 1)[0]


def test_the_dashboard_shows_recent_gaps_by_topic_and_language(client, auth, app):
    topic = db.session.scalars(sa.select(Topic).order_by(Topic.slug)).first()
    if topic is None:
        topic = Topic(slug="chemical-security", labels={"en": "Chemical security", "ar": "الأمن الكيميائي"})
        db.session.add(topic)
        db.session.flush()
    for _ in range(3):
        hub_services.record_gap("ar", [topic.slug])
    hub_services.record_gap("en", [])
    old = hub_services.record_gap("fr", [topic.slug])
    old.created_at = utcnow() - timedelta(days=120)  # outside the 90 days: not counted
    coordinator = make_user(Role.COORDINATOR)
    db.session.commit()
    auth.login(coordinator)
    panel = _panel(client.get("/coordination/dashboard").get_data(as_text=True))
    assert topic.label("en") in panel and "No topic recognised" in panel
    assert ">3<" in panel and ">1<" in panel and "Arabic" in panel and "English" in panel
    assert "French" not in panel and "/hub/gaps" in panel
    arabic = _panel(client.get("/coordination/dashboard", headers={"Accept-Language": "ar"}).get_data(as_text=True))
    assert "ما يبحث عنه الأعضاء ولا يجدونه" in arabic


def test_no_gaps_shows_an_empty_state(client, auth, app):
    auth.login(make_user(Role.COORDINATOR))
    db.session.commit()
    panel = _panel(client.get("/coordination/dashboard").get_data(as_text=True))
    assert "No gaps recorded" in panel and "/hub/gaps" in panel
