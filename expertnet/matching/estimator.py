"""ExpertMatcher: a scikit-learn-shaped estimator that ranks experts for a request."""
from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import hashlib
import math
import os
from itertools import repeat

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from . import encoding
from .concepts import ConceptLexicon
from .errors import EmptyQueryError, InvalidProfileError, MatchingInputError, UnknownExpertError
from .explain import (FeatureLabels, held_topic_label, knows_label, language_name, reasons_for_rows,
                      reasons_from_contributions)
from .features import TermTable, count_matrix, display_surfaces, fit_units, query_vector, tfidf_rows
from .hybrid import (DEFAULT_CROSS_DENSE_WEIGHT, DEFAULT_DENSE_AGGREGATION, DEFAULT_DENSE_FLOOR, DEFAULT_DENSE_WEIGHT,
                     HybridMixin, with_meaning)
from .filters import FILTER_ORDER, Attributes, LanguageBits, apply_filters, concat_attributes
from .index import (QueryVector, Segment, best_documents, build_segment, ranges, rows_by_segment, stack_dense,
                    stack_segments)
from .models import TOPIC_LEVELS, ExpertProfile, MatchQuery, RankedExpert, RankFilters, RankResult, Reason, Topic
from .ranking import order_by_score
from .text import analyse

AGGREGATIONS = ("centroid", "max", "blend")
# The request's own signals (issue 14, item 3): how much holding a ticked topic (at expert level),
# speaking an asked-for language and covering the request's place raise a matching expert's score.
# Tuned on the hand-written evaluation set (benchmarks/data/matching_eval, 200 experts, 60 requests) with
# evaluation.tune() over a grid: `.venv/bin/python benchmarks/matching_signals.py` prints these figures.
# NDCG@10 is 0.664 with no signal and 0.734 with these sizes (cross-fitted, each request scored with sizes
# tuned on the other half: 0.736, +0.072 [+0.039, +0.107]). Each size is the knee of its curve, the others
# fixed: topic 0 / 0.5 / 1 / 3 / 5 gives 0.668 / 0.716 / 0.734 / 0.741 / 0.741 -- the grid's best (5) is
# "holders of a ticked topic first", and past 1 the gain is small, measured on the requests that chose it,
# while a weak text with the topic starts to outrank a strong one without; language 0 / 0.25 / 0.5 / 1:
# 0.724 / 0.731 / 0.734 / 0.731; region 0 / 0.05 / 0.1 / 0.2: 0.734 / 0.734 / 0.734 / 0.730 (every request
# names a country and the judgments barely depend on it: the largest size that costs nothing).
DEFAULT_SIGNALS = {"topic_bonus": 1.0, "language_bonus": 0.5, "region_bonus": 0.1}
# Knowing the substances a request is tagged with (issue 18): x (1 + 0.5 x the share of them the expert knows, by
# a tag on their profile or by naming them in their texts). The evaluation set tags no substance, so it is not
# tuned there; 0.5 puts a matching expert who knows the precursor above an equal text that does not, as the
# language raise does.
DEFAULT_SUBSTANCE_BONUS = 0.5
DELTA_COMPACT_SIZE = 4096  # updates pile up in a small segment; past this it is merged into main


class ExpertMatcher(HybridMixin, BaseEstimator):
    """Rank expert profiles for a request by multilingual TF-IDF affinity blended with a sentence encoder's
    cross-lingual similarity (when given one), with reasons and filters.

    Parameters
    ----------
    taxonomy : list of Topic
        Topics whose labels and synonyms (any language) become shared concept features.
    field_weights : dict kind -> weight, optional
        Weight of each document kind in the expert's profile (defaults in encoding.py).
    ngram_range : (1, 1) or (1, 2)
        Word n-grams (of stems, stop words removed).
    aggregation : 'centroid', 'max' or 'blend'
        How document scores become an expert score (see index.py); 'blend' mixes both.
    blend_weight : float
        Share of the centroid score in 'blend'.
    concept_weight : float
        Multiplier of taxonomy concept features relative to words.
    bigram_min_df : int
        Bigrams in fewer documents than this are not features.
    topic_bonus, language_bonus, region_bonus, substance_bonus : float
        The request's own signals, as raises of a matching expert's score (multipliers, so an expert the
        text and topics do not match stays out): x (1 + topic_bonus * level / 3) for holding the topics
        the request ticked (the mean over them, level 1 awareness .. 3 expert), x (1 + language_bonus)
        for speaking a language it asks for, x (1 + region_bonus) for covering its country or region,
        x (1 + substance_bonus * the share of its tagged substances the expert knows: tagged with them or naming
        them, in any language or by CAS number, in their texts).
        The defaults were tuned on the hand-written evaluation set (see DEFAULT_SIGNALS below).
    strong_match_threshold : float
        A best text score (before the request's own signals raise it) below this marks the result weak
        ('no strong match in the network'): speaking the language does not make a match strong.
    max_query_chars : int
        Longer request texts are cut to this length.
    n_jobs : int or None
        Processes that fit (None: 1; -1: one per CPU): they split the texts into words and count
        blocks of documents (joblib's loky worker processes, see parallel.py). Results do not depend on it.
    encoder : dense.TextEncoder or None
        Sentence encoder for the dense part (e.g. dense.UniversalSentenceEncoder()); None: TF-IDF only.
    dense_weight, cross_dense_weight : float
        Weight of the dense cosine when the request and the expert's text share a language / do not.
    dense_floor : float
        Cosines below this count as no similarity (rescaled: max(cos - floor, 0) / (1 - floor)).
    dense_aggregation : 'centroid', 'max' or 'mean'
        Cosine against the expert's centroid vector, their best document, or the mean over documents.
    vector_cache : dense.VectorCache or None
        Document vectors already computed (a previous matcher's `vector_cache_`): only new texts are encoded.
    """

    def __init__(self, taxonomy=None, field_weights=None, ngram_range=(1, 2), aggregation="blend",
                 blend_weight=0.5, concept_weight=1.0, bigram_min_df=2, language_bonus=DEFAULT_SIGNALS["language_bonus"],
                 region_bonus=DEFAULT_SIGNALS["region_bonus"], strong_match_threshold=0.2, max_query_chars=100_000,
                 n_jobs=None, topic_bonus=DEFAULT_SIGNALS["topic_bonus"], encoder=None, dense_weight=DEFAULT_DENSE_WEIGHT,
                 cross_dense_weight=DEFAULT_CROSS_DENSE_WEIGHT, dense_floor=DEFAULT_DENSE_FLOOR,
                 dense_aggregation=DEFAULT_DENSE_AGGREGATION, vector_cache=None,
                 substance_bonus=DEFAULT_SUBSTANCE_BONUS):
        self.taxonomy = taxonomy
        self.field_weights = field_weights
        self.ngram_range = ngram_range
        self.aggregation = aggregation
        self.blend_weight = blend_weight
        self.concept_weight = concept_weight
        self.bigram_min_df = bigram_min_df
        self.language_bonus = language_bonus
        self.region_bonus = region_bonus
        self.strong_match_threshold = strong_match_threshold
        self.max_query_chars = max_query_chars
        self.n_jobs = n_jobs
        self.topic_bonus = topic_bonus
        self.encoder = encoder
        self.dense_weight = dense_weight
        self.cross_dense_weight = cross_dense_weight
        self.dense_floor = dense_floor
        self.dense_aggregation = dense_aggregation
        self.vector_cache = vector_cache
        self.substance_bonus = substance_bonus

    # ------------------------------------------------------------------ fitting
    def fit(self, profiles, y=None):
        """Build the index from every profile; replaces any earlier state."""
        with _collector_paused():  # millions of small objects, none cyclic: full collections are pure cost
            return self._fit(list(profiles))

    def _fit(self, profiles):
        self._check_params()
        for profile in profiles:
            encoding.check_profile(profile)
        ids = [int(p.expert_id) for p in profiles]
        if len(set(ids)) != len(ids):
            raise InvalidProfileError("duplicate expert_id in profiles")
        weights = encoding.resolve_field_weights(self.field_weights)
        topics = list(self.taxonomy or [])
        table = TermTable()
        lexicon = ConceptLexicon.build(topics, lambda text, lang: [table.stem_id(s, True) for s, _ in analyse(text, lang)])
        by_slug = {t.slug: t for t in topics}
        documents, doc_counts = [], []
        for profile in profiles:
            docs = encoding.profile_documents(profile, by_slug, lexicon, weights)
            documents.extend(docs)
            doc_counts.append(len(docs))
        self._start_cache()
        dense_block = self._dense_block(profiles, documents)
        n_workers = self._n_workers(len(documents))
        batch, word_counts = encoding.encode_documents(documents, _Many(table, n_workers), lexicon, _SurfaceStems(table),
                                                       expand=table.expand_words)
        surfaces, surfaces_by_language = display_surfaces(table, word_counts)
        del word_counts
        table.word_keys.clear()  # read only by display_surfaces: not kept through the rest of fitting
        vocab, unit_docs = fit_units(batch, len(table.stems), len(lexicon.slugs), self.ngram_range[1] == 2,
                                     self.bigram_min_df, self.concept_weight, n_workers)
        del batch
        field_weights = encoding.field_weights_of(documents)
        del documents
        doc_starts = np.concatenate([[0], np.cumsum(doc_counts)]).astype(np.int64)
        self.language_bits_ = LanguageBits()
        attributes = Attributes.from_profiles(profiles, self.language_bits_)
        self.max_field_weight_ = max(weights.values())
        main = build_segment(unit_docs, doc_starts, field_weights, self.max_field_weight_, attributes, dense_block)
        del unit_docs
        self.term_table_ = TermTable(table.stems)
        self.surfaces_ = surfaces
        self.surfaces_by_language_ = surfaces_by_language
        self.lexicon_ = lexicon
        self.vocabulary_ = vocab
        self.topics_ = [by_slug.get(slug) for slug in lexicon.slugs]
        self.segments_ = [main]
        self.alive_ = [np.ones(len(main), dtype=bool)]
        self.version_ = self._fingerprint(main)
        self._reset_positions()
        self._after_change()
        self._keep_vectors()
        return self

    def _check_params(self) -> None:
        if tuple(self.ngram_range) not in ((1, 1), (1, 2)):
            raise ValueError(f"ngram_range must be (1, 1) or (1, 2), got {self.ngram_range!r}")
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"aggregation must be one of {AGGREGATIONS}, got {self.aggregation!r}")
        if not 0.0 <= self.blend_weight <= 1.0:
            raise ValueError("blend_weight must be within [0, 1]")
        if min(self.topic_bonus, self.language_bonus, self.region_bonus, self.substance_bonus) < 0:
            raise ValueError("topic_bonus, language_bonus, region_bonus and substance_bonus must be >= 0")
        if self.concept_weight < 0 or self.bigram_min_df < 1:
            raise ValueError("concept_weight must be >= 0 and bigram_min_df >= 1")
        if self.n_jobs is not None and (not isinstance(self.n_jobs, int) or (self.n_jobs < 1 and self.n_jobs != -1)):
            raise ValueError(f"n_jobs must be None, -1 or a positive int, got {self.n_jobs!r}")
        for topic in self.taxonomy or []:
            if not isinstance(topic, Topic):
                raise ValueError(f"taxonomy must hold Topic objects, got {type(topic).__name__}")
        self._check_dense_params()

    PARALLEL_MIN_DOCUMENTS = 20_000  # below this, starting processes costs more than it saves

    def _n_workers(self, n_documents: int) -> int:
        wanted = 1 if self.n_jobs is None else (os.cpu_count() or 1) if self.n_jobs == -1 else self.n_jobs
        if n_documents < self.PARALLEL_MIN_DOCUMENTS:
            return 1
        return min(wanted, n_documents // self.PARALLEL_MIN_DOCUMENTS)

    @property
    def _centroid_share(self) -> float:
        return {"centroid": 1.0, "max": 0.0}.get(self.aggregation, float(self.blend_weight))

    def _after_change(self) -> None:
        """Recompute what ranking reads across segments (cheap, O(n) array concatenations)."""
        self._offsets = np.cumsum([0] + [len(s) for s in self.segments_])
        self._attributes = concat_attributes([s.attributes for s in self.segments_])
        self._alive = np.concatenate(self.alive_)
        self._filter_cache: dict[RankFilters, tuple[np.ndarray, dict[str, int], int, np.ndarray]] = {}
        self.n_experts_ = len(self.positions_)

    def _index_positions(self, index: int) -> None:
        """Record where the live experts of one segment are (the other segments' entries stay)."""
        segment, alive = self.segments_[index], self.alive_[index]
        rows = np.flatnonzero(alive)
        self.positions_.update(zip(segment.attributes.expert_ids[rows].tolist(), zip(repeat(index), rows.tolist())))

    def _reset_positions(self) -> None:
        self.positions_: dict[int, tuple[int, int]] = {}  # expert id -> (segment, row)
        for index in range(len(self.segments_)):
            self._index_positions(index)
        vocab = self.vocabulary_
        self._labels = FeatureLabels(vocab.unigram_stems(), vocab.bigram_keys, vocab.n_stems, self.surfaces_,
                                     vocab.concept_offset, self.topics_, self.lexicon_.slugs,
                                     self.surfaces_by_language_)

    @staticmethod
    def _fingerprint(segment: Segment, previous: str = "") -> str:
        digest = hashlib.blake2b(previous.encode(), digest_size=12)
        for array in (segment.docs.indptr, segment.docs.indices, segment.docs.data, segment.field_weight,
                      segment.attributes.expert_ids, segment.attributes.capacity, segment.attributes.languages):
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()

    # ------------------------------------------------------------------ vectorising
    def _vectorise(self, documents) -> tuple:
        """Unit TF-IDF rows of documents against the fitted vocabulary (unknown words dropped)."""
        batch, _ = encoding.encode_documents(documents, self.term_table_.encode, self.lexicon_)
        return tfidf_rows(count_matrix(batch, self.vocabulary_), self.vocabulary_)

    def _query_vector(self, query: MatchQuery) -> tuple[np.ndarray, np.ndarray]:
        """(sorted feature indices, weights) of the request's unit vector."""
        stem_ids = list(self.term_table_.encode(query.text[: self.max_query_chars]))
        concepts = encoding.query_concepts(stem_ids, tuple(query.topics) + tuple(query.substances), self.lexicon_)
        return query_vector(stem_ids, concepts, self.vocabulary_)

    # ------------------------------------------------------------------ ranking
    def rank(self, query, k=20, filters=None, display_language="en") -> RankResult:
        """The top k eligible experts (k=None: every eligible expert) with scores and reasons."""
        check_is_fitted(self, "segments_")
        query = _coerce_query(query)
        if k is not None and (not isinstance(k, (int, np.integer)) or k < 1):
            raise MatchingInputError(f"k must be a positive int or None, got {k!r}")
        filters = filters or RankFilters()
        eligible, excluded, n_eligible = self._eligible(filters)
        vector = QueryVector(*self._query_vector(query))
        slots = [s.slot_scores(vector.idx, vector.weights) for s in self.segments_]
        known = self._substances_known(query)
        bonus = self._bonus(query, known)
        dense_query = self._dense_query(query.text[: self.max_query_chars])
        text = self._text_scores(slots)
        parts = self._dense_parts(dense_query, text, bonus, eligible, k)
        positions, scores = self._select(text, bonus, eligible, k, parts)
        # Whether a match is strong is judged before the request's own signals raise it.
        unraised = scores if bonus is None else scores / bonus[positions]
        meaning = self._meaning(positions, unraised, parts, dense_query)
        experts = self._explained(positions, scores, query, vector, slots, display_language, bonus, meaning, known)
        best = float(unraised.max()) if len(unraised) else 0.0
        return RankResult(experts=experts, excluded=excluded, weak=best < self.strong_match_threshold,
                          eligible=n_eligible)

    def exclusions(self, filters=None) -> dict[int, str]:
        """expert id -> the filter that removes it (the first in FILTER_ORDER, as `rank` counts them): who is in
        `RankResult.excluded`, by name."""
        check_is_fitted(self, "segments_")
        reason = self._filtered(filters or RankFilters())[3]
        rows = np.flatnonzero(reason >= 0)
        return dict(zip(self._attributes.expert_ids[rows].tolist(), [FILTER_ORDER[r] for r in reason[rows].tolist()]))

    FILTER_CACHE_SIZE = 32

    def _eligible(self, filters: RankFilters) -> tuple[np.ndarray, dict[str, int], int]:
        """(eligible mask, removals per filter, eligible count)."""
        eligible, excluded, n_eligible, _reason = self._filtered(filters)
        return eligible, dict(excluded), n_eligible

    def _filtered(self, filters: RankFilters) -> tuple[np.ndarray, dict[str, int], int, np.ndarray]:
        """_eligible's figures and each row's first removal (filters.first_removals); the same filters reuse
        them until the index changes (the cache is replaced by _after_change): a page that ranks and then
        names the excluded experts filters once."""
        cache = self.__dict__.get("_filter_cache")
        if cache is None:
            cache = self._filter_cache = {}
        try:
            found = cache.get(filters)
        except TypeError:  # unhashable contents: compute every time
            found, cache = None, None
        if found is None:
            eligible, excluded, reason = apply_filters(self._alive, self._attributes.removal_masks(filters, self.language_bits_))
            eligible.flags.writeable = reason.flags.writeable = False
            found = (eligible, excluded, int(eligible.sum()), reason)
            if cache is not None:
                if len(cache) >= self.FILTER_CACHE_SIZE:
                    cache.clear()
                cache[filters] = found
        return found

    def _substances_known(self, query: MatchQuery) -> np.ndarray | None:
        """(every position x the request's substances) True where the expert knows that substance: their profile
        is tagged with it, or one of their texts names it (its concept feature: any language's name or its CAS
        number). Columns follow `query.substances` (a slug outside the taxonomy is known by tag only). None when
        the request is tagged with none (or the raise is off)."""
        if not query.substances or not self.substance_bonus:
            return None
        known = np.zeros((len(self._alive), len(query.substances)), dtype=bool)
        one = np.ones(1, dtype=np.float32)
        for column, slug in enumerate(query.substances):
            known[:, column] = self._attributes.rows_with(self._attributes.substances, [slug])
            index = self.lexicon_.index_of(slug)
            if index is not None:
                feature = np.asarray([self.vocabulary_.concept_offset + index], dtype=np.int64)
                named = [s.text_scores(s.slot_scores(feature, one), self._centroid_share) for s in self.segments_]
                known[:, column] |= (named[0] if len(named) == 1 else np.concatenate(named)) > 0
        return known

    def _bonus(self, query: MatchQuery, known: np.ndarray | None = None) -> np.ndarray | None:
        """Per expert, the factor the request's own signals multiply a text score by (ticked topics held,
        at their level; an asked-for language spoken; the request's place covered; its substances known); None
        when it has none. A factor, not an addition: it reorders experts the text matches, never lifts one it
        does not."""
        wanted = self.language_bits_.mask(query.languages, grow=False)
        places = _places(query)
        ticked = _ticked(query)
        if not (wanted and self.language_bonus) and not (places and self.region_bonus) and not (ticked and self.topic_bonus) \
                and known is None:
            return None  # no factor: nothing to allocate
        factor = np.ones(len(self._alive))
        if ticked and self.topic_bonus:
            factor = self._topic_factor(self._attributes.topic_levels(ticked), len(ticked))
        if wanted and self.language_bonus:
            factor *= 1.0 + self.language_bonus * ((self._attributes.languages & np.uint64(wanted)) != 0)
        if places and self.region_bonus:
            factor *= 1.0 + self.region_bonus * self._attributes.rows_with(self._attributes.regions, places)
        if known is not None:
            factor *= 1.0 + self.substance_bonus * known.mean(axis=1)
        return factor

    def _topic_factor(self, level_sum, n_ticked: int):
        """1 + topic_bonus x the mean level (of 3) at which an expert holds the n topics a request ticked."""
        return 1.0 + self.topic_bonus * level_sum / (3.0 * max(n_ticked, 1))

    def _text_scores(self, slots) -> np.ndarray:
        """The TF-IDF score of every position (segments concatenated), float32."""
        share = self._centroid_share
        parts = [s.text_scores(w, share) for s, w in zip(self.segments_, slots)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _select(self, text, bonus, eligible, k, dense_parts=None):
        """Positions and exact scores of the experts to return, best first (ties by expert id)."""
        if dense_parts is not None:
            text = text + dense_parts
        if k is None:
            positions = np.flatnonzero(eligible)
        else:
            candidate = text > 0
            candidate &= eligible
            positions = np.flatnonzero(candidate)
        scores = text[positions].astype(np.float64)
        if bonus is not None:
            scores *= bonus[positions]
        if k is not None and len(positions) > k:
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            keep = scores >= kth  # every tie of the k-th score stays, so the id tie-break is exact
            positions, scores = positions[keep], scores[keep]
        order = order_by_score(positions, scores, self._attributes.expert_ids)
        if k is not None:
            order = order[:k]
        return positions[order], scores[order]

    EXPLAIN_BLOCK = 256  # experts explained together (bounds the dense blocks when every expert is asked for)

    def _explained(self, positions, scores, query, vector, slots, display_language, bonus=None,
                   meaning=None, known=None) -> list[RankedExpert]:
        """RankedExpert with reasons for each selected position; contributions and reasons for a block at once."""
        positive = positions[scores > 0]
        reason_rows = []
        for start in range(0, len(positive), self.EXPLAIN_BLOCK):
            block = positive[start:start + self.EXPLAIN_BLOCK]
            reason_rows += reasons_for_rows(self._contributions(block, vector, slots), vector.idx, self._labels, display_language)
        text_reasons = dict(zip(positive.tolist(), reason_rows))
        experts = []
        offsets = self._offsets.tolist()
        ids = self._attributes.expert_ids[positions].tolist()
        for position, score, expert_id in zip(positions.tolist(), scores.tolist(), ids):
            if score <= 0:
                experts.append(RankedExpert(expert_id, 0.0, []))
                continue
            index = bisect.bisect_right(offsets, position) - 1
            segment, row = self.segments_[index], position - offsets[index]
            factor = 1.0 if bonus is None else float(bonus[position])
            reasons = text_reasons[position]
            if meaning and position in meaning:
                reasons = with_meaning(reasons, *meaning[position])
            knows = [] if known is None else [slug for slug, hit in zip(query.substances, known[position]) if hit]
            experts.append(RankedExpert(expert_id, score, self._attribute_reasons(
                reasons, segment, row, query, factor, display_language, knows)))
        return experts

    def _contributions(self, positions, vector, slots) -> np.ndarray:
        """(experts x query features) part of each expert's text score owed to each feature of the request:
        share * its centroid weight + (1-share) * its weight in the expert's best document, times the query weight."""
        share = self._centroid_share
        out = np.zeros((len(positions), len(vector.idx)))
        for index, mine, rows in rows_by_segment(self._offsets, positions):
            segment = self.segments_[index]
            starts, ends = segment.doc_starts[rows], segment.doc_starts[rows + 1]
            docs = ranges(starts, ends)
            counts = ends - starts
            doc_expert = np.repeat(np.arange(len(rows)), counts)
            values = segment.query_columns(docs, vector) * segment.field_weight[docs, None]
            norm = segment.norm[rows]
            scale = np.zeros((len(rows), len(docs)))
            scale[doc_expert, np.arange(len(docs))] = share / np.where(norm > 0, norm, 1.0)[doc_expert]
            if share < 1:
                scale[np.flatnonzero(counts), best_documents(segment.document_scores(docs, slots[index]), counts)] += \
                    (1 - share) / segment.max_weight
            out[mine] = scale @ values
        out *= vector.weights
        return out

    def _attribute_reasons(self, text_reasons, segment, row, query, factor, display_language,
                           knows: list[str] | None = None) -> list[Reason]:
        """The text's reasons with the request's own signals: ticked topics the expert holds first, named with
        their level; then the language spoken and the place covered.

        Term/topic shares are of the text score (they sum to 1). The signals' shares are of the total: the
        raise (1 - 1/factor of the score) split between them by the log of each one's factor."""
        if not (query.topics or query.languages or query.region or query.regions or knows):
            return text_reasons  # the request has no signals of its own (most rankings of plain text)
        attributes = segment.attributes
        ticked = _ticked(query)
        levels = {slug: level for slug in ticked if (level := attributes.level_of(row, slug)) is not None}
        spoken = int(attributes.languages[row])
        bits = {code: self.language_bits_.bit(code, grow=False) for code in sorted(query.languages)}
        language = next((code for code, bit in bits.items() if bit is not None and spoken >> bit & 1), None) \
            if self.language_bonus else None
        place = attributes.covers(row, _places(query)) if self.region_bonus else None
        parts = {"topic": self._topic_factor(sum(TOPIC_LEVELS[v] for v in levels.values()), len(ticked)),
                 "language": 1.0 + self.language_bonus * (language is not None),
                 "region": 1.0 + self.region_bonus * (place is not None),
                 "substance": 1.0 + self.substance_bonus * len(knows or ()) / max(len(query.substances), 1)}
        raise_share = 1.0 - 1.0 / factor if factor > 1.0 else 0.0
        log_total = sum(math.log(f) for f in parts.values()) or 1.0
        share = {kind: raise_share * math.log(f) / log_total for kind, f in parts.items()}
        held, others = [], list(text_reasons)
        if levels:
            total_level = sum(TOPIC_LEVELS[v] for v in levels.values())
            for topic in (t for t in self.topics_ if t is not None and t.slug in levels):
                name = topic.label(display_language)
                label = held_topic_label(name, levels[topic.slug], display_language)
                found = next((i for i, r in enumerate(others) if r.kind == "topic" and r.label == name), None)
                if found is not None:  # the topic's part of the text, named with the level
                    held.append(Reason(label, "topic", others.pop(found).share))
                else:
                    held.append(Reason(label, "topic", share["topic"] * TOPIC_LEVELS[levels[topic.slug]] / total_level))
        reasons = self._known_substances(knows or [], others, share["substance"], display_language) + held + others
        if language is not None:
            reasons.append(Reason(language_name(language, display_language), "language", share["language"]))
        if place is not None:
            reasons.append(Reason(place, "region", share["region"]))
        return reasons

    def _known_substances(self, knows: list[str], others: list[Reason], raise_share: float,
                          display_language: str) -> list[Reason]:
        """'knows ammonium nitrate' for each tagged substance the expert knows, with the substance's part of the
        text (taken out of `others`) plus its part of the raise."""
        found = []
        for slug in knows:
            index = self.lexicon_.index_of(slug)
            topic = self.topics_[index] if index is not None else None
            name = topic.label(display_language) if topic is not None else slug
            at = next((i for i, r in enumerate(others) if r.kind == "topic" and r.label == name), None)
            text_share = others.pop(at).share if at is not None else 0.0
            found.append(Reason(knows_label(name, display_language), "substance", text_share + raise_share / len(knows)))
        return found

    # ------------------------------------------------------------------ profile upkeep
    def update(self, profile: ExpertProfile):
        """Add or replace one profile (fixed vocabulary until the next fit); returns self."""
        check_is_fitted(self, "segments_")
        encoding.check_profile(profile)
        weights = encoding.resolve_field_weights(self.field_weights)
        documents = encoding.profile_documents(profile, {t.slug: t for t in self.topics_ if t}, self.lexicon_, weights)
        rows, _ = self._vectorise(documents)
        attributes = Attributes.from_profiles([profile], self.language_bits_)
        single = build_segment(rows, np.asarray([0, len(documents)]), encoding.field_weights_of(documents),
                               self.max_field_weight_, attributes, self._dense_block([profile], documents))
        self._forget(int(profile.expert_id))
        self._append_to_delta(single)
        self.version_ = self._fingerprint(single, self.version_)
        return self

    def remove(self, expert_id: int):
        """Take one expert out of the index; returns self."""
        check_is_fitted(self, "segments_")
        if int(expert_id) not in self.positions_:
            raise UnknownExpertError(f"expert {expert_id} is not in the index")
        self._forget(int(expert_id))
        self.version_ = hashlib.blake2b(f"{self.version_}-{expert_id}".encode(), digest_size=12).hexdigest()
        self._after_change()
        return self

    def _forget(self, expert_id: int) -> None:
        found = self.positions_.pop(expert_id, None)
        if found is not None:
            self.alive_[found[0]][found[1]] = False

    def _append_to_delta(self, single: Segment) -> None:
        if len(self.segments_) == 1:
            self.segments_.append(single)
            self.alive_.append(np.ones(1, dtype=bool))
        else:
            self.segments_[1] = self._merge([self.segments_[1], single], [self.alive_[1], np.ones(1, bool)])
            self.alive_[1] = np.ones(len(self.segments_[1]), dtype=bool)
        if len(self.segments_[1]) > DELTA_COMPACT_SIZE:
            self.compact()
        else:
            self._index_positions(1)
            self._after_change()

    def _merge(self, segments: list[Segment], alive: list[np.ndarray]) -> Segment:
        keep = [np.flatnonzero(a) for a in alive]
        docs, starts, weights, _ = stack_segments(segments, keep)
        attributes = concat_attributes([_take(s.attributes, rows) for s, rows in zip(segments, keep)])
        return build_segment(docs, starts, weights, self.max_field_weight_, attributes, stack_dense(segments, keep))

    def compact(self):
        """Merge updates into one segment and drop removed experts (same rankings, faster)."""
        check_is_fitted(self, "segments_")
        self.segments_ = [self._merge(self.segments_, self.alive_)]
        self.alive_ = [np.ones(len(self.segments_[0]), dtype=bool)]
        self._reset_positions()
        self._after_change()
        return self

    # ------------------------------------------------------------------ introspection
    def describe_profile(self, expert_id: int, n: int = 15, display_language: str = "en") -> list[Reason]:
        """'How the matcher sees me': the heaviest terms and topics of the expert's profile vector.

        Shares are of the vector's squared length, so all features together sum to 1.
        """
        check_is_fitted(self, "segments_")
        found = self.positions_.get(int(expert_id))
        if found is None:
            raise UnknownExpertError(f"expert {expert_id} is not in the index")
        _, features, weights = self.segments_[found[0]].centroid_rows(np.asarray([found[1]], dtype=np.int64))
        energy = weights.astype(np.float64) ** 2
        reasons = reasons_from_contributions(features, energy, self._labels, display_language, float(energy.sum()))
        return reasons[:n]

    # ------------------------------------------------------------------ persistence
    def save(self, path) -> None:
        """Write a versioned, memory-mappable index directory (see persistence.py)."""
        from .persistence import save_matcher
        check_is_fitted(self, "segments_")
        save_matcher(self, path)

    @classmethod
    def load(cls, path, mmap: bool = True, encoder=None) -> "ExpertMatcher":
        """The saved index; `encoder` must be the one it was made with (same name), or None for an index
        made without one (IndexFormatError otherwise)."""
        from .persistence import load_matcher
        return load_matcher(cls, path, mmap=mmap, encoder=encoder)


class _Many:
    """The fitting encoder: one call encodes every text (TermTable.encode_growing_many)."""

    def __init__(self, table: TermTable, n_jobs: int):
        self.many = functools.partial(table.encode_growing_many, n_jobs=n_jobs)

    def __call__(self, text: str):
        raise NotImplementedError  # encode_texts uses .many


class _SurfaceStems:
    """Array-like surface id -> stem id, read after all texts are encoded (the table grows meanwhile)."""

    def __init__(self, table: TermTable):
        self.table = table

    def __getitem__(self, surface_ids: np.ndarray) -> np.ndarray:
        return np.asarray(self.table.surface_stem, dtype=np.int32)[surface_ids]


def _take(attributes: Attributes, rows: np.ndarray) -> Attributes:
    position = np.full(len(attributes), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))

    def remap(table: dict) -> dict:
        out = {}
        for key, members in table.items():
            kept = position[members]
            kept = kept[kept >= 0]
            if len(kept):
                out[key] = kept
        return out

    return Attributes(attributes.expert_ids[rows], attributes.organisation[rows], attributes.capacity[rows],
                      attributes.available[rows], attributes.vetted[rows], attributes.languages[rows],
                      remap(attributes.regions), remap(attributes.conflicts), remap(attributes.topics),
                      remap(attributes.substances))


@contextlib.contextmanager
def _collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ticked(query: MatchQuery) -> list[str]:
    """The distinct topics a request ticked, in order."""
    return list(dict.fromkeys(query.topics))


def _places(query: MatchQuery) -> list[str]:
    """The request's place, then the wider regions it belongs to, as the index keys them (upper case)."""
    found = [query.region] if query.region else []
    found += sorted(query.regions)
    return list(dict.fromkeys(p.strip().upper() for p in found if p and p.strip()))


def _coerce_query(query) -> MatchQuery:
    """Accept a MatchQuery or plain text; bytes are decoded; empty requests are refused clearly."""
    if isinstance(query, (str, bytes)):
        query = MatchQuery(text=query)  # type: ignore[arg-type]  # bytes are decoded just below, as from any caller
    if not isinstance(query, MatchQuery):
        raise MatchingInputError(f"expected MatchQuery or str, got {type(query).__name__}")
    text = query.text
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise MatchingInputError(f"query text must be str, got {type(text).__name__}")
    if not text.strip() and not query.topics:
        raise EmptyQueryError("the request has no text and no topics to match on")
    return MatchQuery(text=text, topics=tuple(query.topics), languages=frozenset(query.languages), region=query.region,
                      regions=frozenset(query.regions), substances=tuple(dict.fromkeys(query.substances)))
