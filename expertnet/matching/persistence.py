"""Saving and loading a fitted matcher as a versioned directory of memory-mappable arrays.

Layout:  <path>/CURRENT               the name of the live version directory (replaced atomically)
         <path>/<version>/manifest.json   format version, parameters, vocabulary strings
         <path>/<version>/*.npy           arrays, opened with mmap so web processes share pages
         <path>/<version>/dense_ann.usearch   the centroid graph (ann.py), viewed in place with mmap
A process compares read_version(path) with its matcher's version_ to notice a newer index.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .concepts import ConceptLexicon
from .errors import IndexFormatError
from .features import TermTable, Vocabulary
from .filters import Attributes, LanguageBits
from .index import Segment, SlotLayout
from .models import Topic

FORMAT_VERSION = 7  # 7: experts' dense centroids and their graph (ann.py); 6: documents' sentence vectors (dense.py) and the encoder's name; 5: score slots
ANN_FILE = "dense_ann.usearch"
KEEP_OLD_VERSIONS = 2  # older directories may still be mapped by running processes


def read_version(path) -> str | None:
    """The version_ of the index currently saved at path (None when there is none)."""
    try:
        return (Path(path) / "CURRENT").read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _csr_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {f"{prefix}_data": matrix.data, f"{prefix}_indices": matrix.indices, f"{prefix}_indptr": matrix.indptr}


def _inverted_arrays(prefix: str, table: dict) -> tuple[list, dict[str, np.ndarray]]:
    keys = sorted(table)
    rows = [table[k] for k in keys]
    indptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    flat = np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64)
    return keys, {f"{prefix}_indptr": indptr, f"{prefix}_rows": flat}


def save_matcher(matcher, path) -> None:
    segment = matcher._merge(matcher.segments_, matcher.alive_) if len(matcher.segments_) > 1 or not matcher.alive_[0].all() else matcher.segments_[0]
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    target = root / matcher.version_
    temporary = root / f".{matcher.version_}.{os.getpid()}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    attrs = segment.attributes
    region_keys, region_arrays = _inverted_arrays("regions", attrs.regions)
    conflict_keys, conflict_arrays = _inverted_arrays("conflicts", attrs.conflicts)
    topic_keys, topic_arrays = _inverted_arrays("topics", attrs.topics)
    substance_keys, substance_arrays = _inverted_arrays("substances", attrs.substances)
    vocab = matcher.vocabulary_
    arrays = {
        **_csr_arrays("docs", segment.docs), **_csr_arrays("terms", segment.terms), **region_arrays, **conflict_arrays,
        **topic_arrays, **substance_arrays,
        "doc_starts": segment.doc_starts, "field_weight": segment.field_weight, "norm": segment.norm,
        "expert_ids": attrs.expert_ids, "organisation": attrs.organisation, "capacity": attrs.capacity,
        "available": attrs.available, "vetted": attrs.vetted, "languages": attrs.languages,
        "unigram_feature": vocab.unigram_feature, "bigram_keys": vocab.bigram_keys, "idf": vocab.idf,
        "boost": vocab.boost,
    }
    if segment.dense is not None:
        block = segment.dense
        arrays.update({"dense_vectors": block.vectors, "dense_languages": block.languages,
                       "dense_label_bytes": block.label_bytes, "dense_label_starts": block.label_starts,
                       "dense_keys": _key_array(block.keys), "dense_centroids": block.centroids,
                       "dense_expert_languages": block.expert_languages})
        if block.ann is not None:
            block.ann.save(temporary / ANN_FILE)
    for name, array in arrays.items():
        np.save(temporary / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
    params = matcher.get_params()
    encoder = params.pop("encoder")  # objects: the encoder is named in the manifest and given again to load
    params.pop("vector_cache")
    params["taxonomy"] = [t.to_dict() for t in params["taxonomy"] or []]
    params["ngram_range"] = list(params["ngram_range"])
    manifest = {
        "format_version": FORMAT_VERSION, "version": matcher.version_, "params": params,
        "shape": list(segment.docs.shape), "terms_shape": list(segment.terms.shape), "n_experts": len(segment),
        "max_field_weight": matcher.max_field_weight_, "n_stems": vocab.n_stems, "n_unigrams": vocab.n_unigrams,
        "n_concepts": vocab.n_concepts, "stems": matcher.term_table_.stems, "surfaces": matcher.surfaces_,
        "surfaces_by_language": matcher.surfaces_by_language_,
        "lexicon": matcher.lexicon_.to_state(), "languages": matcher.language_bits_.codes,
        "region_keys": region_keys, "conflict_keys": conflict_keys, "topic_keys": topic_keys,
        "substance_keys": substance_keys,
        "encoder": None if encoder is None else {"name": encoder.name, "dim": int(encoder.dim)},
    }
    (temporary / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    if target.exists():
        shutil.rmtree(temporary)
    else:
        os.replace(temporary, target)
    pointer = root / f".CURRENT.{os.getpid()}.tmp"
    pointer.write_text(matcher.version_, encoding="utf-8")
    os.replace(pointer, root / "CURRENT")
    _prune(root, keep=matcher.version_)


def _prune(root: Path, keep: str) -> None:
    versions = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != keep),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[KEEP_OLD_VERSIONS - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def _load_arrays(directory: Path, mmap: bool) -> dict[str, np.ndarray]:
    return {p.stem: np.load(p, mmap_mode="r" if mmap else None, allow_pickle=False) for p in directory.glob("*.npy")}


def _csr(a: dict, prefix: str, shape) -> sp.csr_matrix:
    return sp.csr_matrix((a[f"{prefix}_data"], a[f"{prefix}_indices"], a[f"{prefix}_indptr"]), shape=tuple(shape), copy=False)


def _inverted(a: dict, prefix: str, keys: list) -> dict:
    indptr, rows = a[f"{prefix}_indptr"], a[f"{prefix}_rows"]
    return {key: np.asarray(rows[indptr[i]:indptr[i + 1]]) for i, key in enumerate(keys)}


def _key_array(keys: list) -> np.ndarray:
    """Cache keys (16-byte digests; None for documents without a vector) as an (n, 16) uint8 array."""
    out = np.zeros((len(keys), 16), dtype=np.uint8)
    for row, key in enumerate(keys):
        if key is not None:
            out[row] = np.frombuffer(key, dtype=np.uint8)
    return out


def _check_encoder(manifest: dict, encoder, directory: Path) -> None:
    saved = manifest.get("encoder")
    given = None if encoder is None else {"name": encoder.name, "dim": int(encoder.dim)}
    if saved != given:
        raise IndexFormatError(f"index in {directory} was made with encoder {saved and saved['name']!r}, "
                               f"not {given and given['name']!r}: refit it with this encoder")


def _dense_block(a: dict, n_docs: int, directory: Path, mmap: bool):
    """The saved vectors, centroids and centroid graph (not recomputed: the document vectors stay unread)."""
    from .ann import CentroidIndex
    from .dense import DenseBlock
    if "dense_vectors" not in a:
        return None
    keys = [bytes(row) if row.any() else None for row in np.asarray(a["dense_keys"])]
    if len(keys) != n_docs:
        raise IndexFormatError(f"index has {len(keys)} document vectors for {n_docs} documents")
    graph = None
    if (directory / ANN_FILE).exists():
        try:
            graph = CentroidIndex.open(directory / ANN_FILE, mmap)
        except (RuntimeError, ValueError) as error:
            raise IndexFormatError(f"cannot read the centroid graph in {directory}: {error}") from error
    return DenseBlock(a["dense_vectors"], a["dense_languages"], a["dense_label_bytes"], a["dense_label_starts"], keys,
                      a["dense_centroids"], np.asarray(a["dense_expert_languages"]), graph)


def load_matcher(cls, path, mmap: bool = True, encoder=None):
    version = read_version(path)
    if version is None:
        raise IndexFormatError(f"no saved index at {path}")
    directory = Path(path) / version
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexFormatError(f"cannot read index manifest in {directory}: {error}") from error
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexFormatError(f"index format {manifest.get('format_version')!r} is not {FORMAT_VERSION}")
    _check_encoder(manifest, encoder, directory)
    a = _load_arrays(directory, mmap)
    params = dict(manifest["params"], encoder=encoder)
    params["taxonomy"] = [Topic.from_dict(t) for t in params["taxonomy"]] or None
    params["ngram_range"] = tuple(params["ngram_range"])
    matcher = cls(**params)
    n_features = manifest["shape"][1]
    attributes = Attributes(
        np.asarray(a["expert_ids"]), np.asarray(a["organisation"]), np.asarray(a["capacity"]),
        np.asarray(a["available"]), np.asarray(a["vetted"]), np.asarray(a["languages"]),
        _inverted(a, "regions", manifest["region_keys"]), _inverted(a, "conflicts", [int(k) for k in manifest["conflict_keys"]]),
        # an index saved before held topics were kept ranks without the ticked-topic raise until it is refitted
        _inverted(a, "topics", manifest["topic_keys"]) if "topic_keys" in manifest else {},
        # likewise an index saved before substance tags were kept: their raise comes from profile texts alone
        _inverted(a, "substances", manifest["substance_keys"]) if "substance_keys" in manifest else {})
    segment = Segment(
        docs=_csr(a, "docs", manifest["shape"]), doc_starts=a["doc_starts"], field_weight=a["field_weight"],
        max_weight=manifest["max_field_weight"], terms=_csr(a, "terms", manifest["terms_shape"]),
        norm=a["norm"], attributes=attributes, layout=SlotLayout.of(a["doc_starts"]),
        dense=_dense_block(a, manifest["shape"][0], directory, mmap))
    if segment.terms.shape != (n_features, segment.layout.n_slots):
        raise IndexFormatError(f"index in {directory} is inconsistent: term matrix {segment.terms.shape}")
    matcher.vocabulary_ = Vocabulary(manifest["n_stems"], a["unigram_feature"], a["bigram_keys"], manifest["n_unigrams"],
                                     manifest["n_concepts"], a["idf"], a["boost"])
    matcher.term_table_ = TermTable(manifest["stems"])
    matcher.surfaces_ = manifest["surfaces"]
    # JSON keys are strings; an index saved before readers' own-language forms existed has none.
    matcher.surfaces_by_language_ = {language: {int(stem): form for stem, form in forms.items()}
                                     for language, forms in manifest.get("surfaces_by_language", {}).items()}
    matcher.lexicon_ = ConceptLexicon.from_state(manifest["lexicon"])
    by_slug = {t.slug: t for t in params["taxonomy"] or []}
    matcher.topics_ = [by_slug.get(slug) for slug in matcher.lexicon_.slugs]
    matcher.language_bits_ = LanguageBits(manifest["languages"])
    matcher.max_field_weight_ = manifest["max_field_weight"]
    matcher.segments_ = [segment]
    matcher.alive_ = [np.ones(len(segment), dtype=bool)]
    matcher.version_ = manifest["version"]
    matcher._reset_positions()
    matcher._after_change()
    matcher._start_cache()
    matcher._keep_vectors()
    return matcher
