"""A request's sentence vector is encoded once and kept in the database: another worker (its own process cache
empty) ranks with the kept row instead of encoding the text again; an edited text, another encoder or a refined
ranking make a vector of their own; deleting the request deletes its vector."""
import base64

import numpy as np
import pytest

from expertnet.experts import matcher_bridge
from expertnet.experts.models import RequestVector
from expertnet.extensions import db
from expertnet.matching.dense import query_vector
from tests.coordination.factories import make_assistance_request, make_expert
from tests.coordination.test_suggestions_meaning import ARABIC_REQUEST, STORAGE


@pytest.fixture
def storage_request(app):
    make_expert(**STORAGE)
    make_expert(topics=(), headline="Drinking water laboratory analyst",
                expertise_statement="Pesticide residues in drinking water samples, method validation.")
    return make_assistance_request(**ARABIC_REQUEST)


def ranked(assistance_request, **refinement):
    suggestions = matcher_bridge.rank_experts(assistance_request, set(), **refinement)
    db.session.commit()
    return [(row.id, score) for row, score, _reasons in suggestions.experts]


def kept_vector(assistance_request) -> np.ndarray:
    row = db.session.get(RequestVector, assistance_request.id)
    db.session.refresh(row)
    return np.frombuffer(base64.b64decode(row.vector), dtype="<f4")


def the_matcher(app):
    return app.extensions["expert_matcher"].matcher


def test_another_worker_ranks_with_the_kept_vector_without_encoding(app, storage_request):
    first = ranked(storage_request)
    row = db.session.get(RequestVector, storage_request.id)
    assert row.encoder == the_matcher(app).encoder.name
    text = matcher_bridge.request_query(storage_request).text
    assert np.array_equal(kept_vector(storage_request), the_matcher(app).encode_query(text))

    query_vector.cache_clear()  # a worker that never ranked this request
    assert ranked(storage_request) == first
    assert query_vector.cache_info().misses == 0


def test_an_edited_text_or_another_encoder_makes_the_vector_again(app, storage_request):
    ranked(storage_request)
    before = kept_vector(storage_request)
    storage_request.summary = "نحتاج إلى تدريب الحراس على فحص المخزون يوميًا."
    db.session.commit()
    ranked(storage_request)
    assert not np.array_equal(kept_vector(storage_request), before)

    row = db.session.get(RequestVector, storage_request.id)
    row.encoder, row.vector = "an-older-encoder", base64.b64encode(np.ones(3, "<f4").tobytes()).decode()
    db.session.commit()
    query_vector.cache_clear()
    ranked(storage_request)
    assert row.encoder == the_matcher(app).encoder.name and kept_vector(storage_request).shape == (512,)


def test_a_refined_ranking_keeps_no_vector_and_leaves_the_requests_own(app, storage_request):
    ranked(storage_request)
    own = kept_vector(storage_request)
    query_vector.cache_clear()
    ranked(storage_request, extra_keywords="guards stock checks")
    assert query_vector.cache_info().misses == 1  # the refined text, encoded in this worker only
    assert np.array_equal(kept_vector(storage_request), own)


def test_deleting_the_request_deletes_its_vector(app, storage_request):
    ranked(storage_request)
    db.session.delete(storage_request)
    db.session.commit()
    assert db.session.query(RequestVector).count() == 0
