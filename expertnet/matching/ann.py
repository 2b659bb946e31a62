"""Approximate nearest experts in meaning: an HNSW graph over the experts' dense centroids (usearch).

The graph only proposes candidates. hybrid.py scores every candidate exactly (float32 centroids, the
same blend as brute force) and bounds everyone else: an expert the graph did not return has a cosine of
at most the lowest returned one, so its dense part is at most w_max * above_floor(that cosine); whoever
could still reach the k-th blended score with that bound is scored exactly too (threshold algorithm).

Vectors are stored quantised to int8 (a quarter of float32; exact rescoring makes up for it); keys are
segment rows. Experts without a vector (zero centroid) are left out: their dense part is 0.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

CONNECTIVITY = 16      # graph edges per node (usearch's default)
EXPANSION_ADD = 32     # candidates weighed while linking a new node (64: twice the build time, same rankings)
EXPANSION_SEARCH = 64  # candidates kept while searching (a search for more keeps that many)
MIN_EXPERTS = 5_000    # below this, brute force is as fast (measured: benchmarks/matching_speed.py) and exact


class CentroidIndex:
    """An HNSW graph over unit centroid rows (cosine), int8 storage."""

    def __init__(self, index, size: int):
        self.index = index
        self.size = size  # rows in the graph

    @classmethod
    def build(cls, centroids: np.ndarray, threads: int = 0) -> "CentroidIndex | None":
        """A graph over the non-zero rows of `centroids`, or None for a collection brute force serves."""
        from usearch.index import Index
        if len(centroids) < MIN_EXPERTS:
            return None
        rows = np.flatnonzero(np.any(centroids != 0, axis=1)).astype(np.uint64)
        index = Index(ndim=centroids.shape[1], metric="cos", dtype="i8", connectivity=CONNECTIVITY,
                      expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
        if len(rows):
            index.add(rows, np.ascontiguousarray(centroids[rows.astype(np.int64)], dtype=np.float32),
                      threads=threads or (os.cpu_count() or 1))
        return cls(index, len(rows))

    def search(self, vector: np.ndarray, count: int) -> np.ndarray:
        """Rows of (about) the `count` centroids closest to the unit `vector`; every row when the graph holds
        no more than that."""
        if self.size == 0:
            return np.zeros(0, dtype=np.int64)
        found = self.index.search(np.asarray(vector, dtype=np.float32), min(count, self.size), threads=1)
        return np.asarray(found.keys, dtype=np.int64)

    def save(self, path: Path) -> None:
        self.index.save(os.fspath(path))

    @classmethod
    def open(cls, path: Path, mmap: bool) -> "CentroidIndex":
        """The saved graph, memory-mapped (view) or read into memory."""
        from usearch.index import Index
        index = Index.restore(os.fspath(path), view=mmap)
        if index is None:
            raise ValueError(f"{path} is not a usearch index")
        return cls(index, len(index))
