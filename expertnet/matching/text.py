"""Text normalisation, tokenising, language detection and stemming.

Everything here is deterministic and language-agnostic at the call site: a text may be
Arabic, English, French, Spanish or a mix; the script decides per token and the stop-word
profile decides among the Latin-script languages per text.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer

from . import abbreviations, stopwords

# Alef variants, alef maksura, taa marbuta, Persian yeh/keheh, Arabic-Indic digits.
_ARABIC_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
})
# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks and tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# Words are runs of letters/digits; '_' and punctuation split them.
_WORD = re.compile(r"[^\W_]+")
_ARABIC_CHAR = re.compile("[\u0600-\u06ff]")
# ASCII texts (most of them) take a fast path with the same result: letters folded to lower case,
# everything that is not a letter or digit made a space, then split.
_ASCII_WORDS = str.maketrans({chr(c): (chr(c).lower() if chr(c).isalnum() else " ") for c in range(128)})
MAX_TOKEN_CHARS = 40  # longer 'words' are garbage (hashes, base64) and are dropped

_STEMMERS = {lang: snowballstemmer.stemmer(name) for lang, name in
             {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic"}.items()}


def normalise_arabic(text: str) -> str:
    """Fold the spelling variants Arabic writers use interchangeably."""
    return _ARABIC_MARKS.sub("", text.translate(_ARABIC_LETTERS))


def normalise(text: str) -> str:
    """Unicode NFKC, case folding, Arabic folding, control characters removed."""
    return _readable(text).translate(_ARABIC_LETTERS)


def _readable(text: str) -> str:
    """normalise() short of the Arabic letter folding: what a reader would still call the same spelling."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _ARABIC_MARKS.sub("", _CONTROL.sub(" ", text))


def strip_accents(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_arabic(word: str) -> bool:
    return _ARABIC_CHAR.match(word) is not None


def detect_latin_language(words) -> str:
    """'en', 'fr' or 'es' by which language's own stop words the text uses most (English on ties)."""
    return language_of_markers(_ANY_MARKER.intersection(words))  # one pass over the text's words, then a handful


def language_of_markers(found) -> str:
    """The language with most marker words among `found` (English on ties)."""
    if _NON_ENGLISH_MARKERS.isdisjoint(found):  # most texts: one C call instead of the count below
        return "en"
    hits = {"en": 0, "fr": 0, "es": 0}
    for word in found:
        hits[_MARKER_LANGUAGE[word]] += 1
    best, best_hits = "en", 0
    for lang in stopwords.LATIN_MARKERS:
        if hits[lang] > best_hits:
            best, best_hits = lang, hits[lang]
    return best


_MARKER_LANGUAGE = {word: lang for lang, markers in stopwords.LATIN_MARKERS.items() for word in markers}
_ANY_MARKER = frozenset(_MARKER_LANGUAGE)
_NON_ENGLISH_MARKERS = frozenset(word for word, lang in _MARKER_LANGUAGE.items() if lang != "en")


def raw_words(text: str) -> list[str]:
    """Normalised word tokens, before stop words and accents are dealt with."""
    if text.isascii():  # NFKC, case folding and Arabic folding change nothing else in ASCII
        return text.translate(_ASCII_WORDS).split()
    return _WORD.findall(normalise(text))


def written_words(text: str) -> list[str]:
    """raw_words() as they were written: the same tokens, one for one, but Arabic letters unfolded
    ('المشبوهة', not 'المشبوهه'); normalise_arabic(token) is the raw word (fitting keeps these to show
    reasons in the writers' spelling)."""
    if text.isascii():
        return text.translate(_ASCII_WORDS).split()
    return _WORD.findall(_readable(text))


def content_forms(raw_word: str) -> tuple[str, ...]:
    """What one raw token contributes: nothing (stop word, junk), itself, or an abbreviation and its expansion."""
    word = strip_accents(raw_word)
    if len(word) < 2 or len(word) > MAX_TOKEN_CHARS or word in stopwords.ALL:
        return ()
    canonical, expansion = abbreviations.expand(word)
    return (canonical, *expansion.split()) if expansion else (canonical,)


@functools.lru_cache(maxsize=500_000)
def stem(word: str, latin_language: str = "en") -> str:
    """Snowball stem; Arabic words use the Arabic stemmer whatever the text's language."""
    if word.isdigit() or word in abbreviations.EXPANSIONS:
        return word
    language = "ar" if is_arabic(word) else latin_language
    stemmed = _STEMMERS[language].stemWord(word)
    return stemmed or word


def analyse(text: str, language: str | None = None) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of a text; the language is detected unless given."""
    words = raw_words(text)
    if language not in ("en", "fr", "es"):
        language = detect_latin_language(words)
    return [(stem(form, language), form) for w in words for form in content_forms(w)]
