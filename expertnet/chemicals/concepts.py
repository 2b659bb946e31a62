"""The register as matcher concepts: each live substance is one concept whose phrases are its names in every
language and its CAS number, so 'ammonium nitrate', 'نترات الأمونيوم', 'nitrate d'ammonium' and 6484-52-2 in a
request or a profile yield the same concept feature (the matcher bridge adds these to the taxonomy's topics)."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from expertnet.chemicals.models import Substance
from expertnet.extensions import db

SLUG_PREFIX = "cas-"  # a concept's slug: 'cas-6484-52-2'


def concept_slug(substance: Substance) -> str:
    return SLUG_PREFIX + substance.cas


def substance_concepts() -> list[dict]:
    """matching.Topic's fields for every live substance: labels are the preferred names, synonyms the others
    and, in English, the CAS number itself."""
    concepts = []
    query = sa.select(Substance).where(~Substance.is_retired).options(selectinload(Substance.names))
    for substance in db.session.scalars(query.order_by(Substance.cas)):
        labels: dict[str, str] = {}
        synonyms: dict[str, list[str]] = {"en": [substance.cas]}
        for name in substance.names:
            if name.is_preferred and name.language not in labels:
                labels[name.language] = name.name
            else:
                synonyms.setdefault(name.language, []).append(name.name)
        concepts.append({"slug": concept_slug(substance), "labels": labels, "synonyms": synonyms,
                         "description": {}, "parent": None})
    return concepts
