"""Pure expert matcher: multilingual TF-IDF ranking, blended with a sentence encoder when given one, with
reasons and filters (no Flask, no database).

    matcher = ExpertMatcher(taxonomy=topics, encoder=UniversalSentenceEncoder()).fit(profiles)
    result = matcher.rank(MatchQuery(text="..."), k=20, filters=RankFilters(...))
"""
from .dense import EncoderUnavailableError, TextEncoder, UniversalSentenceEncoder, VectorCache
from .errors import (EmptyQueryError, IndexFormatError, InvalidProfileError, MatchingInputError,
                     UnknownExpertError)
from .estimator import ExpertMatcher
from .models import (Document, ExpertProfile, MatchQuery, RankedExpert, RankFilters, RankResult, Reason,
                     Topic)
from .persistence import FORMAT_VERSION, read_version

__all__ = [
    "ExpertMatcher", "ExpertProfile", "Document", "Topic", "MatchQuery", "RankFilters", "RankResult",
    "RankedExpert", "Reason", "MatchingInputError", "EmptyQueryError", "InvalidProfileError",
    "UnknownExpertError", "IndexFormatError", "FORMAT_VERSION", "read_version", "TextEncoder",
    "UniversalSentenceEncoder", "VectorCache", "EncoderUnavailableError",
]
