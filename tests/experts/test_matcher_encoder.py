"""An app configured with MATCHER_ENCODER="none" ranks by TF-IDF alone (no encoder loaded, no meaning reason)."""
import pytest

from expertnet.accounts.models import Role
from expertnet.experts import matcher_bridge
from tests.conftest import make_user
from tests.coordination.factories import make_assistance_request, make_expert
from tests.coordination.test_suggestions_meaning import ARABIC_REQUEST, STORAGE


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MATCHER_ENCODER": "none"}


def test_an_app_configured_without_an_encoder_ranks_by_tfidf_only(app):
    customs = make_expert(headline="Customs targeting of precursor shipments at sea ports")
    storage = make_expert(**STORAGE)
    english = make_assistance_request(coordinator=make_user(Role.COORDINATOR))
    suggestions = matcher_bridge.rank_experts(english, set())
    assert [row.id for row, _score, _reasons in suggestions.experts][0] == customs.id
    assert all(r.kind != "meaning" for _row, _score, reasons in suggestions.experts for r in reasons)
    index = app.extensions["expert_matcher"]
    assert index.matcher.encoder is None and index.matcher.vector_cache_.encoded == 0
    arabic = matcher_bridge.rank_experts(make_assistance_request(**ARABIC_REQUEST), set())
    assert all(r.kind != "meaning" for _row, _score, reasons in arabic.experts for r in reasons)
    assert index.matcher.vector_cache_.encoded == 0 and storage.id in index.ids


def test_an_unknown_encoder_name_is_refused(app):
    app.config["MATCHER_ENCODER"] = "word2vec"
    with pytest.raises(ValueError, match="MATCHER_ENCODER"):
        matcher_bridge.configured_encoder()
