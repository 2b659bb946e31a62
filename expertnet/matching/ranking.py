"""Exact top-k over upper bounds: compute exact scores for candidates in order of their bound."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

FIRST_BATCH = 32
GROWTH = 2  # each further batch is this many times larger


def order_by_score(positions: np.ndarray, scores: np.ndarray, expert_ids: np.ndarray) -> np.ndarray:
    """Indices into positions/scores sorted by score descending, expert id ascending on ties."""
    return np.lexsort((expert_ids[positions], -scores))


def exact_top_k(candidates: np.ndarray, upper: np.ndarray, exact: Callable[[np.ndarray], np.ndarray],
                k: int, known: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(positions, exact scores) containing the true top k of `candidates`.

    `upper[i]` bounds the exact score of candidates[i] from above. Candidates are scored in
    batches by decreasing bound; the loop stops when no unscored bound reaches the current k-th
    best exact score (ties included, so the id tie-break stays exact). `known` (positions, exact
    scores) are candidates already scored: they count from the start and are not scored again.
    """
    taken_positions, taken_scores = [], []
    remaining, bounds = candidates, upper
    if known is not None and len(known[0]):
        taken_positions.append(known[0])
        taken_scores.append(known[1])
        fresh = ~np.isin(remaining, known[0])
        remaining, bounds = remaining[fresh], bounds[fresh]
        scores = known[1]
        if len(scores) >= k and len(remaining):
            threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
            still = bounds >= threshold
            remaining, bounds = remaining[still], bounds[still]
    batch = max(FIRST_BATCH, 2 * k)
    while len(remaining):
        if len(remaining) > batch:
            chosen = np.argpartition(-bounds, batch - 1)[:batch]
        else:
            chosen = np.arange(len(remaining))
        taken_positions.append(remaining[chosen])
        taken_scores.append(exact(remaining[chosen]))
        keep = np.ones(len(remaining), dtype=bool)
        keep[chosen] = False
        remaining, bounds = remaining[keep], bounds[keep]
        scores = np.concatenate(taken_scores)
        if len(scores) >= k and len(remaining):
            threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
            still = bounds >= threshold
            remaining, bounds = remaining[still], bounds[still]
        batch *= GROWTH
    if not taken_positions:
        return np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(taken_positions), np.concatenate(taken_scores)
