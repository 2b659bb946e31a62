from dataclasses import replace

import pytest

from expertnet.matching import MatchQuery, RankFilters

ALL_OFF = dict(vetted_only=False, require_capacity=False, require_available=False)


def ids(result):
    return {e.expert_id for e in result.experts}


def test_default_filters_remove_unvetted_at_capacity_and_unavailable(matcher):
    result = matcher.rank(MatchQuery("customs precursor explosives"), k=None)
    assert result.excluded["unvetted"] == 1 and result.excluded["at_capacity"] == 1
    assert result.excluded["unavailable"] == 0  # expert 6 was already counted as unvetted
    assert not ids(result) & {5, 6}
    assert result.eligible == 5


@pytest.mark.parametrize("filters, removed, name, count", [
    (RankFilters(exclude_ids=frozenset({1, 2}), **ALL_OFF), {1, 2}, "excluded_id", 2),
    (RankFilters(exclude_organisation_ids=frozenset({20}), **ALL_OFF), {2, 5}, "same_organisation", 2),
    (RankFilters(vetted_only=True, require_capacity=False, require_available=False), {6}, "unvetted", 1),
    (RankFilters(vetted_only=False, require_capacity=True, require_available=False), {5}, "at_capacity", 1),
    (RankFilters(vetted_only=False, require_capacity=False, require_available=True), {6}, "unavailable", 1),
    (RankFilters(required_languages=frozenset({"ar"}), **ALL_OFF), {1, 3, 5, 6, 7}, "language", 5),
    (RankFilters(required_languages=frozenset({"sw"}), **ALL_OFF), {1, 2, 3, 4, 5, 6, 7}, "language", 7),
])
def test_each_filter_and_its_count(matcher, filters, removed, name, count):
    result = matcher.rank(MatchQuery("customs precursor explosives chemical forensics SCADA"), k=None, filters=filters)
    assert not ids(result) & removed
    assert result.excluded[name] == count
    assert result.eligible == 7 - sum(result.excluded.values())


def test_conflict_of_interest_counted_apart_from_same_organisation(matcher):
    result = matcher.rank(MatchQuery("chemical forensics"), k=None, filters=RankFilters(exclude_organisation_ids=frozenset({20}), **ALL_OFF))
    assert result.excluded["same_organisation"] == 2 and result.excluded["conflict_of_interest"] == 1
    assert 4 not in ids(result)


def test_expert_counted_once_under_first_filter(matcher):
    filters = RankFilters(exclude_ids=frozenset({6}))
    result = matcher.rank(MatchQuery("precursor"), k=None, filters=filters)
    assert result.excluded["excluded_id"] == 1 and result.excluded["unvetted"] == 0


def test_term_and_topic_shares_sum_to_one(matcher):
    for text in ("customs targeting of precursors", "سلائف المتفجرات في الجمارك", "SCADA industrial control systems"):
        for expert in matcher.rank(MatchQuery(text, languages=frozenset({"ar"}), region="JO")).experts:
            text_shares = [r.share for r in expert.reasons if r.kind in ("term", "topic")]
            assert sum(text_shares) == pytest.approx(1.0)
            assert all(r.kind in ("term", "topic", "language", "region") for r in expert.reasons)


def test_reasons_are_readable_words_topic_labels_and_attributes(matcher):
    result = matcher.rank(MatchQuery("precursors at customs", languages=frozenset({"ar"}), region="jo"))
    customs_expert = next(e for e in result.experts if e.expert_id == 2)
    labels = [r.label for r in customs_expert.reasons]
    assert "customs" in labels            # surface word, not the stem 'custom'
    assert "Arabic" in labels and "JO" in labels
    assert "Arabic" in customs_expert.explanation()
    topic = next(e for e in matcher.rank(MatchQuery("restricted precursors")).experts if e.expert_id == 1)
    assert any(r.kind == "topic" and r.label == "Explosives precursor controls" for r in topic.reasons)


def test_topic_labels_in_the_display_language(matcher):
    expert = matcher.rank(MatchQuery("restricted precursors"), display_language="ar").experts[0]
    assert any(r.label == "الرقابة على سلائف المتفجرات" for r in expert.reasons)


def test_abbreviations_shown_in_capitals(matcher):
    expert = matcher.rank(MatchQuery("SCADA")).experts[0]
    assert "SCADA" in [r.label for r in expert.reasons]


def test_language_bonus_lifts_a_speaker(matcher):
    plain = {e.expert_id: e.score for e in matcher.rank(MatchQuery("customs")).experts}
    arabic = {e.expert_id: e.score for e in matcher.rank(MatchQuery("customs", languages=frozenset({"ar"}))).experts}
    assert arabic[2] > plain[2] and arabic.get(1) == plain.get(1)


def test_describe_profile(matcher):
    reasons = matcher.describe_profile(1, n=5)
    assert len(reasons) == 5 and reasons[0].kind == "topic"
    assert sum(r.share for r in reasons) <= 1.0 + 1e-9
    assert matcher.describe_profile(7) == []


def test_repeated_filters_are_recounted_after_the_index_changes(matcher, profiles):
    """Masks of the same filters are reused between requests, never across an update or removal."""
    filters = RankFilters(exclude_ids=frozenset({1}), **ALL_OFF)
    first = matcher.rank(MatchQuery("customs precursor explosives"), k=None, filters=filters)
    again = matcher.rank(MatchQuery("chemical forensics"), k=None, filters=filters)
    assert (again.eligible, again.excluded) == (first.eligible, first.excluded) == (6, {**first.excluded, "excluded_id": 1})
    again.excluded["excluded_id"] = 99  # a caller changing its result changes nothing for the next request
    matcher.remove(2)
    after = matcher.rank(MatchQuery("customs precursor explosives"), k=None, filters=filters)
    assert after.eligible == 5 and after.excluded["excluded_id"] == 1 and 2 not in ids(after)
    unvetted = replace(next(p for p in profiles if p.expert_id == 3), vetted=False)
    matcher.update(unvetted)
    vetted_only = RankFilters(exclude_ids=frozenset({1}), vetted_only=True, require_capacity=False, require_available=False)
    result = matcher.rank(MatchQuery("SCADA industrial control systems"), k=None, filters=vetted_only)
    assert 3 not in ids(result) and result.excluded["unvetted"] == 2


@pytest.mark.parametrize("filters", [
    RankFilters(),
    RankFilters(exclude_ids=frozenset({1}), exclude_organisation_ids=frozenset({20}), required_languages=frozenset({"ar"})),
    RankFilters(required_languages=frozenset({"sw"}), **ALL_OFF),
])
def test_exclusions_name_each_expert_the_counts_count(matcher, filters):
    """Issue 13 (who was excluded, and why): the per-expert reasons add up to rank()'s counts, reason by reason."""
    result = matcher.rank(MatchQuery("customs precursor explosives chemical forensics SCADA"), k=None, filters=filters)
    named = matcher.exclusions(filters)
    for name, count in result.excluded.items():
        assert sum(1 for reason in named.values() if reason == name) == count
    assert not set(named) & ids(result)


def test_exclusions_follow_an_update_after_a_ranking_with_the_same_filters(matcher, profiles):
    """The filtering a ranking did is reused to name the excluded, until the index changes."""
    filters = RankFilters(vetted_only=True, require_capacity=False, require_available=False)
    matcher.rank(MatchQuery("SCADA industrial control systems"), k=None, filters=filters)
    assert matcher.exclusions(filters).get(3) is None
    matcher.update(replace(next(p for p in profiles if p.expert_id == 3), vetted=False))
    assert matcher.exclusions(filters)[3] == "unvetted"
