import pytest

from expertnet.matching import (Document, EmptyQueryError, ExpertMatcher, ExpertProfile, InvalidProfileError,
                                MatchingInputError, MatchQuery, UnknownExpertError)

from .conftest import PROFILES, TOPICS, profile


def test_arabic_request_reaches_english_expert_through_the_taxonomy(matcher):
    result = matcher.rank(MatchQuery("نحتاج إلى خبير في الرقابة على سلائف المتفجرات"))
    assert result.experts[0].expert_id == 1
    assert any(r.kind == "topic" for r in result.experts[0].reasons)


def test_english_request_reaches_expert_who_wrote_only_arabic():
    profiles = [profile(1, "خبير في الكيمياء الجنائية والإسناد وتحليل العينات"), profile(2, "Customs targeting")]
    matcher = ExpertMatcher(taxonomy=TOPICS).fit(profiles)
    assert matcher.rank("forensic chemistry and attribution").experts[0].expert_id == 1


def test_french_and_spanish_requests(matcher):
    assert matcher.rank("contrôle des précurseurs d'explosifs").experts[0].expert_id == 1
    assert matcher.rank("control de precursores de explosivos").experts[0].expert_id == 1


def test_requested_topics_count_without_text(matcher):
    result = matcher.rank(MatchQuery(" ", topics=("ot-ics-cybersecurity",)))
    assert result.experts[0].expert_id == 3


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_request_is_a_clear_error(matcher, text):
    with pytest.raises(EmptyQueryError):
        matcher.rank(MatchQuery(text))
    assert issubclass(EmptyQueryError, ValueError)


@pytest.mark.parametrize("text", [
    "\x00\x01\x02\xff\ufffd" * 200,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
    "%%%%%% ////// ::::: 😀😀😀",
    "zzqxv " * 50,
])
def test_garbage_request_gives_an_empty_result(matcher, text):
    result = matcher.rank(MatchQuery(text))
    assert result.experts == [] and result.weak


def test_very_long_request_is_cut_not_crashed(matcher):
    result = matcher.rank(MatchQuery("customs targeting " * 200_000))
    assert result.experts[0].expert_id == 2


def test_bad_k_and_bad_query_type(matcher):
    with pytest.raises(MatchingInputError):
        matcher.rank("customs", k=0)
    with pytest.raises(MatchingInputError):
        matcher.rank(42)


def test_empty_profiles_are_indexed_but_never_matched(matcher):
    assert 7 in matcher.positions_
    assert 7 not in {e.expert_id for e in matcher.rank("customs", k=20).experts}
    assert ExpertMatcher().fit([ExpertProfile(1, []), ExpertProfile(2, [Document("headline", "  ")])]).rank("x").experts == []


def test_fit_on_no_profiles_gives_empty_results():
    assert ExpertMatcher(taxonomy=TOPICS).fit([]).rank("customs").experts == []


@pytest.mark.parametrize("bad", [
    [profile(1, "a"), profile(1, "b")],
    [ExpertProfile(1, [Document("poem", "roses")])],
    [ExpertProfile(1, [Document("headline", None)])],
    [ExpertProfile(1, [], topics={"customs-interdiction": "guru"})],
    ["not a profile"],
])
def test_bad_profiles_are_refused_clearly(bad):
    with pytest.raises(InvalidProfileError):
        ExpertMatcher().fit(bad)


def test_update_adds_and_replaces_without_refit(matcher):
    version = matcher.version_
    matcher.update(profile(60, "SCADA hardening, industrial control systems, SCADA audits"))
    assert matcher.rank("SCADA audits").experts[0].expert_id == 60
    # the vocabulary is fixed until the next fit: words never seen before are not yet features
    assert matcher.rank("drone").experts == []
    assert matcher.version_ != version and matcher.n_experts_ == len(PROFILES) + 1
    matcher.update(profile(2, "Now only working on chemical forensics"))
    assert 2 not in {e.expert_id for e in matcher.rank("customs targeting HS codes").experts}
    assert matcher.n_experts_ == len(PROFILES) + 1


def test_remove_and_compact_keep_rankings(matcher):
    matcher.update(profile(61, "Customs precursor seizures"))
    matcher.remove(2)
    before = [(e.expert_id, round(e.score, 6)) for e in matcher.rank("customs precursor", k=None).experts]
    assert 2 not in [i for i, _ in before]
    matcher.compact()
    after = [(e.expert_id, round(e.score, 6)) for e in matcher.rank("customs precursor", k=None).experts]
    assert before == after
    with pytest.raises(UnknownExpertError):
        matcher.remove(2)
    with pytest.raises(UnknownExpertError):
        matcher.describe_profile(2)
