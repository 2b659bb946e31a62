"""make_thread(...): a discussion started through the service, at a topic or a hub item, committed."""
from expertnet.extensions import db
from expertnet.hub.discussions import services
from expertnet.hub.discussions.places import find_place
from tests.requests.factories import ensure_topics

TOPIC = "supply-chain-kyc"


def make_thread(author, kind: str = "topic", key: str = TOPIC, title: str = "Checks at the counter for precursors",
                body: str = "Which questions do your retailers ask a buyer of hydrogen peroxide above 12%?",
                language: str = "en"):
    ensure_topics()
    place = find_place(kind, str(key))
    assert place is not None, (kind, key)
    thread = services.start_thread(author, place, {"title": title, "language": language, "body": body})
    db.session.commit()
    return thread


def place_of(thread):
    return find_place(thread.place_kind.value, thread.place_key)
