import pytest

from expertnet.matching.text import analyse, content_forms, detect_latin_language, normalise, normalise_arabic, raw_words


@pytest.mark.parametrize("raw, expected", [
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمن", "امن"),          # alef variants
    ("مستشفى", "مستشفي"),                                           # alef maksura -> yaa
    ("مدرسة", "مدرسه"),                                             # taa marbuta
    ("كِيمْيَاءُ", "كيمياء"),                                          # diacritics
    ("الجمـــارك", "الجمارك"),                                        # tatweel
    ("٢٠٢٦", "2026"),                                               # Arabic-Indic digits
])
def test_arabic_normalisation(raw, expected):
    assert normalise_arabic(raw) == expected


def test_spelling_variants_give_the_same_stems():
    assert [s for s, _ in analyse("السلائف الكيميائية")] == [s for s, _ in analyse("السَّلائِف الكيميائيـة")]
    assert [s for s, _ in analyse("إدارة")] == [s for s, _ in analyse("ادارة")]


def test_case_folding_and_unicode_forms():
    assert normalise("ＣＵＳＴＯＭＳ Straße") == "customs strasse"


def test_stop_words_removed_in_each_language():
    assert [w for _, w in analyse("the controls of the precursors")] == ["controls", "precursors"]
    assert "في" not in [w for _, w in analyse("الرقابة في الجمارك")]
    assert [w for _, w in analyse("le contrôle des précurseurs")] == ["controle", "precurseurs"]
    assert [w for _, w in analyse("el control de los precursores")] == ["control", "precursores"]


def test_latin_language_detection():
    assert detect_latin_language(raw_words("le contrôle des précurseurs dans les douanes")) == "fr"
    assert detect_latin_language(raw_words("el control de los precursores en las aduanas")) == "es"
    assert detect_latin_language(raw_words("the control of precursors at customs")) == "en"


def test_stemming_conflates_inflections():
    assert analyse("precursor")[0][0] == analyse("precursors")[0][0]
    assert analyse("controls")[0][0] == analyse("controlling")[0][0]


@pytest.mark.parametrize("abbreviation, expansion_word", [
    ("IED", "improvised"), ("HME", "homemade"), ("TIC", "toxic"), ("CWC", "convention"), ("UAS", "unmanned"),
    ("ICS", "industrial"), ("OT", "operational"), ("BEC", "email"), ("KYC", "customer"), ("SVA", "vulnerability"),
])
def test_domain_abbreviations_keep_themselves_and_add_their_expansion(abbreviation, expansion_word):
    forms = content_forms(abbreviation.casefold())
    assert forms[0] == abbreviation.casefold() and expansion_word in forms


def test_plural_abbreviation_is_recognised():
    assert content_forms("ieds")[0] == "ied"


def test_ics_ot_written_with_a_slash():
    words = [w for _, w in analyse("ICS/OT security")]
    assert "ics" in words and "ot" in words and "industrial" in words


def test_garbage_is_dropped_without_error():
    assert analyse("\x00\x01\ufffd" + "x" * 500 + " ###") == []
