"""Issue 18: a request's substance tags raise the experts who know those substances -- tagged with them, or naming
them in their texts in any language or by CAS number -- and the explanation says so ("knows ammonium nitrate")."""
from expertnet.matching import Document, ExpertMatcher, ExpertProfile, MatchQuery, RankFilters, Topic

AN = "cas-6484-52-2"
AMMONIUM_NITRATE = Topic(AN, labels={"en": "Ammonium nitrate", "ar": "نترات الأمونيوم", "fr": "Nitrate d'ammonium"},
                         synonyms={"en": ["6484-52-2"]})
PEROXIDE = Topic("cas-7722-84-1", labels={"en": "Hydrogen peroxide", "ar": "بيروكسيد الهيدروجين"},
                 synonyms={"en": ["7722-84-1"]})
OPEN = RankFilters(vetted_only=False, require_capacity=False, require_available=False)
STORES = "Inspection of fertiliser stores at ports: segregation, stock checks and licensing of buyers."


def expert(expert_id, text=STORES, **attributes):
    return ExpertProfile(expert_id, [Document("statement", text)], **attributes)


PROFILES = [expert(1), expert(2, substances=frozenset({AN})),
            expert(3, STORES + " Nitrate d'ammonium en vrac."), expert(4, substances=frozenset({"cas-7722-84-1"}))]
MATCHER = ExpertMatcher(taxonomy=[AMMONIUM_NITRATE, PEROXIDE]).fit(PROFILES)
QUERY = MatchQuery("تفتيش مخازن الأسمدة في الموانئ stores at ports, stock checks", substances=(AN,))


def ranked(query, matcher=MATCHER, display_language="en"):
    return {e.expert_id: e for e in matcher.rank(query, k=None, filters=OPEN, display_language=display_language).experts}


def test_experts_knowing_the_tagged_substance_rank_above_an_equal_text_without_it():
    result = ranked(QUERY)
    assert result[2].score > result[1].score and result[2].score > result[4].score
    assert result[3].score > result[1].score  # names it in French in their text
    assert result[4].score == result[1].score  # another substance is no reason


def test_the_explanation_says_which_substance_the_expert_knows_in_english_and_arabic():
    assert result_reason(ranked(QUERY)[2]) == "knows Ammonium nitrate"
    assert result_reason(ranked(QUERY, display_language="ar")[2]) == "يعرف نترات الأمونيوم"
    assert "knows Ammonium nitrate" in ranked(QUERY)[3].explanation()
    assert not [r for r in ranked(QUERY)[1].reasons if r.kind == "substance"]


def result_reason(ranked_expert):
    return next(r.label for r in ranked_expert.reasons if r.kind == "substance")


def test_without_substance_tags_or_with_the_raise_off_nothing_changes():
    plain = ranked(MatchQuery(QUERY.text))
    assert plain[1].score == plain[2].score
    off = ExpertMatcher(taxonomy=[AMMONIUM_NITRATE, PEROXIDE], substance_bonus=0.0).fit(PROFILES)
    scores = ranked(QUERY, off)
    assert scores[1].score == scores[2].score
    assert not any(r.kind == "substance" for e in scores.values() for r in e.reasons)


def test_substance_tags_survive_saving_and_loading(tmp_path):
    MATCHER.save(tmp_path)
    loaded = ExpertMatcher.load(tmp_path)
    assert {k: round(v.score, 6) for k, v in ranked(QUERY, loaded).items()} == \
        {k: round(v.score, 6) for k, v in ranked(QUERY).items()}


def test_a_substance_outside_the_taxonomy_counts_by_tag_alone():
    other = "cas-50-00-0"
    matcher = ExpertMatcher(taxonomy=[AMMONIUM_NITRATE]).fit([expert(1), expert(2, substances=frozenset({other}))])
    result = ranked(MatchQuery(QUERY.text, substances=(AN, other)), matcher)
    assert result[2].score > result[1].score
    assert [r.label for r in result[2].reasons if r.kind == "substance"] == ["knows cas-50-00-0"]
