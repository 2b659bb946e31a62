"""The agency's list: filters by status, topic and date, search, pagination; accepted experts' names only."""
import re
from datetime import timedelta

import pytest

from expertnet.db import utcnow
from expertnet.extensions import db
from expertnet.requests.models import Feedback, RequestStatus as S
from tests.conftest import make_user
from tests.requests.factories import invite_expert, make_draft, make_request


@pytest.fixture
def listed(client, auth, users):
    member = users["member"]
    drafts = [make_draft(member, title=f"Draft number {n:02d}") for n in range(22)]
    port = make_request(member, S.TRIAGE, users["coordinator"], title="Port precursor targeting_100%",
                        topics=["ports-warehouses"])
    old = make_draft(member, title="An old idea")
    old.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    auth.login(member)
    return drafts, port, old


def _page(client, query=""):
    return client.get(f"/requests/{query}").get_data(as_text=True)


def test_pagination(client, listed):
    first, second = _page(client), _page(client, "?page=2")
    assert first.count('data-label="Request"') == 20 and second.count('data-label="Request"') == 4
    assert "Page 1 of 2" in first and _page(client, "?page=99").count('data-label="Request"') == 0


def test_filters_and_search(client, listed):
    _drafts, port, old = listed
    assert port.title in _page(client, "?status=triage") and "Draft number" not in _page(client, "?status=triage")
    assert _page(client, "?status=nonsense").count('data-label="Request"') == 0
    assert port.title in _page(client, "?topic=ports-warehouses")
    assert "Draft number" not in _page(client, "?topic=ports-warehouses")
    assert port.title in _page(client, "?q=PRECURSOR") and port.title in _page(client, f"?q={port.reference}")
    assert _page(client, "?q=_100%25").count('data-label="Request"') == 1  # LIKE wildcards are literal
    since = (utcnow() - timedelta(days=30)).date().isoformat()
    assert old.title not in _page(client, f"?since={since}") and old.title in _page(client, f"?until={since}")
    assert "No request matches" in _page(client, "?q=nothing-like-this")


def test_expert_names_only_once_accepted(client, auth, users):
    assistance_request = make_request(users["member"], S.INVITING, users["coordinator"])
    pending = make_user(users["expert"].role, full_name="Pending Person")
    accepted = make_user(users["expert"].role, full_name="Accepted Person")
    invite_expert(assistance_request, pending)
    invite_expert(assistance_request, accepted, accepted=True)
    auth.login(users["member"])
    page = _page(client, str(assistance_request.id))
    assert "Accepted Person" in page and "Pending Person" not in page


def test_arabic_search_folds_spelling_variants(client, auth, users):
    make_draft(users["member"], title="إعداد خطة الاستجابة للطوارئ الكيميائية")
    auth.login(users["member"])
    for query in ("اعداد", "إعداد", "الكيميائيه", "الكيمیائية", "خُطة", "خطـة"):
        assert "الاستجابة" in _page(client, f"?q={query}"), query


def test_home_card_counts_exactly_the_requests_its_link_lists(client, auth, users):
    """A closed request awaiting the agency's feedback counted 0 on the home card, whose link opened the whole
    list; now the card and the filtered list it opens share one condition."""
    member, coordinator = users["member"], users["coordinator"]
    closed = make_request(member, S.CLOSED, coordinator, title="Closed, feedback still to give")
    asked = make_request(member, S.INFO_REQUESTED, coordinator, title="Question from the coordinators")
    rated = make_request(member, S.CLOSED, coordinator, title="Closed and rated")
    make_request(member, S.TRIAGE, coordinator, title="In triage, nothing for us to do")
    db.session.add(Feedback(request_id=rated.id, author_id=member.id, usefulness=4, timeliness=4, expertise=4))
    db.session.commit()
    auth.login(member)
    home = client.get("/").get_data(as_text=True)
    card = re.search(r'<a class="card stat" href="([^"]+)"><span class="figure">(\d+)</span><span class="caption">'
                     r'requests waiting for our answer or feedback', home)
    assert card is not None and card.group(2) == "2"
    listed = client.get(card.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert listed.count('data-label="Request"') == 2
    assert closed.title in listed and asked.title in listed and rated.title not in listed
