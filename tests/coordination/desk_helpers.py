"""Small helpers shared by the coordination tests."""
from datetime import timedelta

from expertnet.db import utcnow


def deadline(days: int = 5):
    return utcnow() + timedelta(days=days)
