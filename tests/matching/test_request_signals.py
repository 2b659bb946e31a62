"""Issue 14, item 3: the request's own signals count -- ticked topics (at the expert's level), asked-for
languages and the request's place reorder experts the text matches, never lift one it does not, and
each shows in the explanation."""
from dataclasses import replace

import pytest

from expertnet.matching import Document, ExpertMatcher, ExpertProfile, MatchQuery, RankFilters, Topic

PROTECTION = Topic("physical-protection", labels={"en": "Physical protection", "ar": "الحماية المادية"},
                   synonyms={"en": ["perimeter security"]})
CUSTOMS = Topic("customs-interdiction", labels={"en": "Customs risk targeting", "ar": "الاستهداف الجمركي للمخاطر"})
TOPICS = [PROTECTION, CUSTOMS]
OPEN = RankFilters(vetted_only=False, require_capacity=False, require_available=False)
STORES = "Securing chemical stores against theft: locks, fences, guard rounds and stock checks."


def expert(expert_id, text=STORES, **attributes):
    return ExpertProfile(expert_id, [Document("statement", text)], **attributes)


def ranked(matcher, query, display_language="en"):
    return matcher.rank(query, k=None, filters=OPEN, display_language=display_language).experts


def order(matcher, query):
    return [e.expert_id for e in ranked(matcher, query)]


def reasons_of(matcher, query, expert_id, display_language="en"):
    return next(e for e in ranked(matcher, query, display_language) if e.expert_id == expert_id).reasons


REQUEST = "theft of chemicals from our stores, the fences and guard rounds need review"


# ------------------------------------------------------------------ ticked topics
def test_a_ticked_topic_ranks_its_holders_by_level_and_says_so():
    # the same text; ids chosen so that the id tie-break alone would put them the other way round
    profiles = [expert(1, topics={"physical-protection": "awareness"}),
                expert(2, topics={"physical-protection": "practitioner"}),
                expert(3, topics={"physical-protection": "expert"}),
                expert(4, topics={"customs-interdiction": "expert"})]
    matcher = ExpertMatcher(taxonomy=TOPICS).fit(profiles)
    query = MatchQuery(REQUEST, topics=("physical-protection",))
    assert order(matcher, query) == [3, 2, 1, 4]
    assert reasons_of(matcher, query, 3)[0][:2] == ("Physical protection (expert)", "topic")
    assert reasons_of(matcher, query, 1)[0][:2] == ("Physical protection (awareness)", "topic")
    assert reasons_of(matcher, query, 3, "ar")[0].label == "الحماية المادية (خبير)"
    assert not any("(" in r.label for r in reasons_of(matcher, query, 4))  # holds no ticked topic


def test_the_topic_raise_is_more_than_the_shared_concept_feature():
    """Ticking already adds the topic's concept to the request; topic_bonus makes holding it count for more."""
    profiles = [expert(1), expert(2, topics={"physical-protection": "expert"})]
    with_raise = ExpertMatcher(taxonomy=TOPICS).fit(profiles)
    without = ExpertMatcher(taxonomy=TOPICS, topic_bonus=0.0).fit(profiles)
    query = MatchQuery(REQUEST, topics=("physical-protection",))
    scores = {e.expert_id: e.score for e in ranked(with_raise, query)}
    plain = {e.expert_id: e.score for e in ranked(without, query)}
    assert scores[2] / scores[1] == pytest.approx(plain[2] / plain[1] * (1 + with_raise.topic_bonus))


def test_the_ticked_topic_raise_follows_profile_updates_and_persistence(tmp_path):
    profiles = [expert(1, topics={"physical-protection": "expert"}), expert(2, topics={"physical-protection": "awareness"})]
    matcher = ExpertMatcher(taxonomy=TOPICS).fit(profiles)
    query = MatchQuery(REQUEST, topics=("physical-protection",))
    assert order(matcher, query) == [1, 2]
    matcher.update(replace(profiles[1], topics={"physical-protection": "expert"}))
    matcher.update(replace(profiles[0], topics={"physical-protection": "awareness"}))
    assert order(matcher, query) == [2, 1]
    matcher.save(tmp_path)
    loaded = ExpertMatcher.load(tmp_path)
    assert [(e.expert_id, e.score, e.reasons) for e in ranked(loaded, query)] == \
        [(e.expert_id, e.score, e.reasons) for e in ranked(matcher, query)]


# ------------------------------------------------------------------ languages
def test_an_asked_for_language_puts_its_speaker_first_and_says_so():
    profiles = [expert(1, languages=frozenset({"en"})), expert(2, languages=frozenset({"en", "ar"}))]
    matcher = ExpertMatcher().fit(profiles)
    assert order(matcher, MatchQuery(REQUEST)) == [1, 2]  # equal fit: the id decides
    query = MatchQuery(REQUEST, languages=frozenset({"ar"}))
    assert order(matcher, query) == [2, 1]
    language = [r for r in reasons_of(matcher, query, 2) if r.kind == "language"]
    assert [r.label for r in language] == ["Arabic"]
    assert language[0].share == pytest.approx(1 - 1 / (1 + matcher.language_bonus))  # its part of the score
    assert not [r for r in reasons_of(matcher, query, 1) if r.kind == "language"]
    assert "العربية" in [r.label for r in reasons_of(matcher, query, 2, "ar")]


def test_a_language_is_a_preference_not_the_hard_filter():
    profiles = [expert(1, languages=frozenset({"en"})), expert(2, languages=frozenset({"ar"}))]
    matcher = ExpertMatcher().fit(profiles)
    soft = matcher.rank(MatchQuery(REQUEST, languages=frozenset({"ar"})), filters=OPEN)
    assert [e.expert_id for e in soft.experts] == [2, 1]  # the English speaker is still suggested
    hard = matcher.rank(MatchQuery(REQUEST), filters=replace(OPEN, required_languages=frozenset({"ar"})))
    assert [e.expert_id for e in hard.experts] == [2] and hard.excluded["language"] == 1


def test_language_and_place_never_lift_an_expert_the_text_does_not_match():
    profiles = [expert(1, languages=frozenset({"en"})),
                expert(2, "Decontamination of casualties after a chlorine release; hospital surge planning.",
                       languages=frozenset({"ar"}), regions=frozenset({"JO", "mena"}),
                       topics={"customs-interdiction": "expert"}),
                expert(3, "Review of fences at a museum.", languages=frozenset({"ar"}), regions=frozenset({"JO"}))]
    matcher = ExpertMatcher(taxonomy=TOPICS).fit(profiles)
    query = MatchQuery(REQUEST, languages=frozenset({"ar"}), region="JO", regions=frozenset({"mena"}))
    found = matcher.rank(query, k=20, filters=OPEN).experts
    assert 2 not in [e.expert_id for e in found]  # no affinity: stays out however well they speak and sit
    assert [e.expert_id for e in found] == [1, 3]  # a weak match stays below a strong one
    last = next(e for e in ranked(matcher, query) if e.expert_id == 2)
    assert (last.score, last.reasons) == (0.0, [])


# ------------------------------------------------------------------ place
def test_the_requests_country_or_its_region_puts_a_covering_expert_first_and_says_so():
    profiles = [expert(1, regions=frozenset({"FR"})), expert(2, regions=frozenset({"mena"})),
                expert(3, regions=frozenset({"JO"}))]
    matcher = ExpertMatcher().fit(profiles)
    query = MatchQuery(REQUEST, region="JO", regions=frozenset({"mena", "middle-east"}))
    first_two = order(matcher, query)[:2]
    assert sorted(first_two) == [2, 3] and order(matcher, query)[2] == 1
    assert [r.label for r in reasons_of(matcher, query, 3) if r.kind == "region"] == ["JO"]
    assert [r.label for r in reasons_of(matcher, query, 2) if r.kind == "region"] == ["MENA"]
    assert not [r for r in reasons_of(matcher, query, 1) if r.kind == "region"]


# ------------------------------------------------------------------ together
def test_the_signals_shares_are_the_raise_and_text_shares_still_sum_to_one():
    profiles = [expert(1, languages=frozenset({"ar"}), regions=frozenset({"JO"}),
                       topics={"physical-protection": "expert"}), expert(2)]
    matcher = ExpertMatcher(taxonomy=TOPICS).fit(profiles)
    query = MatchQuery(REQUEST, topics=("physical-protection",), languages=frozenset({"ar"}), region="JO")
    reasons = reasons_of(matcher, query, 1)
    text = [r for r in reasons if r.kind in ("term", "topic")]
    assert sum(r.share for r in text) == pytest.approx(1.0)
    factor = (1 + matcher.topic_bonus) * (1 + matcher.language_bonus) * (1 + matcher.region_bonus)
    signals = [r for r in reasons if r.kind in ("language", "region")]
    assert 0 < sum(r.share for r in signals) < 1 - 1 / factor  # the topic's part of the raise is the rest
    assert str(reasons[0]).startswith("Physical protection (expert)")
    assert "Arabic" in next(e for e in ranked(matcher, query) if e.expert_id == 1).explanation()


def test_signal_sizes_must_not_be_negative():
    with pytest.raises(ValueError):
        ExpertMatcher(language_bonus=-0.1).fit([expert(1)])


def test_signals_do_not_make_a_weak_match_strong():
    """'No strong match' judges the text: a weak match stays weak however well the expert speaks and sits."""
    profiles = [expert(1, "Review of fences at a museum; guard rounds.", languages=frozenset({"ar"}),
                       regions=frozenset({"JO"}), topics={"physical-protection": "expert"})]
    query = MatchQuery("chemical stores theft, fences", topics=("physical-protection",), languages=frozenset({"ar"}),
                       region="JO")
    text_only = ExpertMatcher(taxonomy=TOPICS, topic_bonus=0.0, language_bonus=0.0, region_bonus=0.0).fit(profiles)
    text = text_only.rank(query, filters=OPEN).experts[0].score
    matcher = ExpertMatcher(taxonomy=TOPICS, strong_match_threshold=text * 1.1).fit(profiles)
    result = matcher.rank(query, filters=OPEN)
    assert result.experts[0].score > text * 1.1 and result.weak
