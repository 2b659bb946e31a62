"""Plain value types the matcher takes and returns (no behaviour beyond validation)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

DOCUMENT_KINDS = ("headline", "statement", "biography", "topic", "experience", "publication")
TOPIC_LEVELS = {"awareness": 1, "practitioner": 2, "expert": 3}
REASON_KINDS = ("topic", "term", "language", "region", "meaning", "substance")


@dataclass(frozen=True)
class Topic:
    """One taxonomy topic; labels/synonyms/description keyed by language code ('en', 'ar', ...)."""

    slug: str
    labels: dict[str, str]
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    parent: str | None = None

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels.get("en") or self.slug

    @classmethod
    def from_dict(cls, data: dict) -> "Topic":
        """Build from one object of expertnet/taxonomy/topics.json (or a saved index)."""
        return cls(
            slug=data["slug"],
            labels=dict(data.get("labels") or {}),
            synonyms={k: list(v) for k, v in (data.get("synonyms") or {}).items()},
            description=dict(data.get("descriptions") or data.get("description") or {}),
            parent=data.get("parent"),
        )

    def to_dict(self) -> dict:
        return {"slug": self.slug, "labels": self.labels, "synonyms": self.synonyms,
                "description": self.description, "parent": self.parent}


@dataclass(frozen=True)
class Document:
    """One piece of an expert's evidence; `kind` selects its field weight. `language` ('en', 'ar', ...) is
    detected from the text when not given (it selects the dense blend weight, see hybrid.py)."""

    kind: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class ExpertProfile:
    expert_id: int
    documents: list[Document]
    topics: dict[str, str] = field(default_factory=dict)  # slug -> awareness|practitioner|expert
    languages: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()  # ISO country codes and region slugs
    organisation_id: int | None = None
    capacity_left: int = 1
    available: bool = True
    vetted: bool = True
    excluded_organisation_ids: frozenset[int] = frozenset()  # declared conflicts of interest
    substances: frozenset[str] = frozenset()  # concept slugs of the substances the expert's profile is tagged with


@dataclass(frozen=True)
class MatchQuery:
    """A request: its text; the topics its author ticked; the languages it asks for; its place (`region`: a
    country code or region slug) and the wider regions that place belongs to (`regions`, e.g. 'mena' for
    'JO'). Topics, languages and places are soft preferences (ExpertMatcher's topic/language/region_bonus);
    RankFilters holds the hard rules. `substances`: concept slugs (taxonomy entries) of the substances the
    request is tagged with; experts tagged with them, or whose texts name them, are raised (substance_bonus)."""

    text: str
    topics: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset()
    region: str | None = None
    regions: frozenset[str] = frozenset()
    substances: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankFilters:
    """Hard filters applied inside the ranker; each removal is counted in RankResult.excluded."""

    exclude_ids: frozenset[int] = frozenset()
    exclude_organisation_ids: frozenset[int] = frozenset()  # the requesting organisation(s)
    required_languages: frozenset[str] = frozenset()  # the expert must speak every one of them
    vetted_only: bool = True
    require_capacity: bool = True
    require_available: bool = True


class Reason(NamedTuple):
    """One contributor to a score; a named tuple because a ranking creates hundreds of them."""

    label: str
    kind: str  # 'topic' | 'term' | 'language' | 'region' | 'meaning' (label: the closest document, shortened)
    #            | 'substance' (label: 'knows ammonium nitrate', in the display language)
    share: float

    def __str__(self) -> str:
        if self.kind in ("language", "region", "substance"):
            return self.label
        if self.kind == "meaning":
            return f"close in meaning to \u201c{self.label}\u201d {round(self.share * 100)}%"
        return f"{self.label} {round(self.share * 100)}%"


@dataclass(frozen=True)
class RankedExpert:
    expert_id: int
    score: float
    reasons: list[Reason]

    def explanation(self, n: int = 3) -> str:
        """'precursor controls 38%, customs 21%, close in meaning to “...” 30%, Arabic' for a coordinator's screen."""
        known = [r for r in self.reasons if r.kind == "substance"]
        text_reasons = [r for r in self.reasons if r.kind in ("topic", "term")][:n]
        meaning = [r for r in self.reasons if r.kind == "meaning"]
        others = [r for r in self.reasons if r.kind in ("language", "region")]
        return ", ".join(str(r) for r in known + text_reasons + meaning + others)


@dataclass(frozen=True)
class RankResult:
    experts: list[RankedExpert]
    excluded: dict[str, int]
    weak: bool
    eligible: int
