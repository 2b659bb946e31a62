"""Errors the matcher raises on bad input: all ValueError subclasses so callers can map them to 4xx."""


class MatchingInputError(ValueError):
    """Base class for bad input to the matcher."""


class EmptyQueryError(MatchingInputError):
    """The request has neither usable text nor topics."""


class InvalidProfileError(MatchingInputError):
    """A profile cannot be indexed (duplicate id, unknown document kind, wrong types)."""


class UnknownExpertError(MatchingInputError, KeyError):
    """The expert id is not in the index."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class IndexFormatError(MatchingInputError):
    """A saved index has an unknown format version or is damaged."""
