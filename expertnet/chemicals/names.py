"""Names as the register compares them: case, accents, punctuation and Arabic letter variants folded, so
'Nitrate d’ammonium' and 'nitrate d'ammonium', 'الأمونيوم' and 'الامونيوم' are one name."""
from expertnet.matching.text import normalise_arabic, raw_words, strip_accents


def name_words(text: str) -> list[str]:
    return [strip_accents(normalise_arabic(word)) for word in raw_words(text or "")]


def name_key(name: str) -> str:
    return " ".join(name_words(name))[:200]
