"""Ordering of ranked experts: score descending, expert id ascending on ties."""
from __future__ import annotations

import numpy as np


def order_by_score(positions: np.ndarray, scores: np.ndarray, expert_ids: np.ndarray) -> np.ndarray:
    """Indices into positions/scores sorted by score descending, expert id ascending on ties."""
    return np.lexsort((expert_ids[positions], -scores))
