"""Invariants checked straight in the database after concurrent or repeated actions."""
import sqlalchemy as sa

from expertnet.engagements.capacity import count_commitments
from expertnet.experts.models import ExpertProfile
from expertnet.extensions import db


def commitments_drift() -> dict[int, tuple[int, int]]:
    """{expert id: (stored commitments, pending invitations + open engagements)} for every expert where
    they differ or the count exceeds the capacity; empty when all is well."""
    db.session.expire_all()
    drift = {}
    for profile in db.session.scalars(sa.select(ExpertProfile)):
        counted = count_commitments(profile)
        if profile.commitments != counted or counted > profile.capacity:
            drift[profile.id] = (profile.commitments, counted)
    return drift
