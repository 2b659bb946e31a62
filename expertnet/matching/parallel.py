"""Spreading the fitting work over processes with joblib (loky): tasks and results travel pickled.

Functions given to parallel_map must be picklable (module-level functions, functools.partial of them)
and their tasks small enough to send: a block of documents, not the corpus.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from joblib import Parallel, delayed


def parallel_map(function: Callable, tasks: list, n_jobs: int) -> Iterator:
    """function(task) for each task, yielded in task order as they finish (a consumer that frees each
    result keeps only a few in memory). n_jobs loky worker processes (reused between calls); with
    n_jobs == 1 or one task, in this process. A failing task raises its own exception here."""
    if n_jobs <= 1 or len(tasks) <= 1:
        yield from map(function, tasks)
        return
    yield from Parallel(n_jobs=min(n_jobs, len(tasks)), backend="loky", return_as="generator")(
        delayed(function)(task) for task in tasks)
