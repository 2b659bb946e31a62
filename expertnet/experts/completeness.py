"""How complete a profile is, and what to add next: each check is something the matcher really reads."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from expertnet.experts.models import ExpertProfile, TopicLevel


@dataclass(frozen=True)
class Check:
    weight: int
    passed: bool
    hint: object


def _checks(profile: ExpertProfile) -> list[Check]:
    statement = len((profile.expertise_statement or "").split())
    return [
        Check(10, bool((profile.headline or "").strip()),
              _l("Add a headline: it is weighted heavily when requests are matched.")),
        Check(15, statement >= 40,
              _l("Describe your expertise in at least 40 words, using the words agencies would use.")),
        Check(10, bool((profile.biography or "").strip()), _l("Add a short biography.")),
        Check(15, len(profile.topics) >= 2, _l("Choose at least two topics from the taxonomy.")),
        Check(5, any(t.level == TopicLevel.EXPERT for t in profile.topics),
              _l("Mark the topics where you are an expert, not only a practitioner.")),
        Check(15, len(profile.experiences) >= 1,
              _l("Add your experience: each entry is matched as evidence of what you have done.")),
        Check(10, len(profile.publications) >= 1, _l("List publications written or trainings given.")),
        Check(10, len(profile.languages) >= 1, _l("Say which languages you work in; requests ask for them.")),
        Check(10, bool(profile.countries or profile.regions),
              _l("Add the countries or regions you know; requests from there rank you higher.")),
    ]


def completeness(profile: ExpertProfile) -> tuple[int, list[str]]:
    """(percentage, hints for what is missing, heaviest first)."""
    checks = _checks(profile)
    total = sum(c.weight for c in checks)
    score = sum(c.weight for c in checks if c.passed)
    hints = [str(c.hint) for c in sorted(checks, key=lambda c: -c.weight) if not c.passed]
    return round(100 * score / total), hints
