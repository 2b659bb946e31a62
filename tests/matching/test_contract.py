"""The scikit-learn estimator contract (STYLE.md habit 12) and persistence."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from expertnet.matching import ExpertMatcher, IndexFormatError, MatchQuery, read_version
from expertnet.matching import features
from expertnet.matching.parallel import parallel_map
from expertnet.matching.persistence import FORMAT_VERSION

from .conftest import PROFILES, TOPICS, profile
from .test_ranking import random_profiles


def test_init_only_stores_parameters():
    matcher = ExpertMatcher(taxonomy=TOPICS, aggregation="max", ngram_range=(1, 1))
    assert matcher.get_params()["aggregation"] == "max"
    assert not [name for name in vars(matcher) if name.endswith("_")]
    assert clone(matcher).get_params()["ngram_range"] == (1, 1)


def test_bad_parameters_are_refused_at_fit():
    with pytest.raises(ValueError):
        ExpertMatcher(aggregation="median").fit(PROFILES)
    with pytest.raises(ValueError):
        ExpertMatcher(ngram_range=(1, 5)).fit(PROFILES)
    with pytest.raises(ValueError):
        ExpertMatcher(field_weights={"poem": 2.0}).fit(PROFILES)


def test_fit_returns_self_and_sets_learned_state():
    matcher = ExpertMatcher(taxonomy=TOPICS)
    assert matcher.fit(PROFILES) is matcher
    assert matcher.n_experts_ == len(PROFILES)
    assert isinstance(matcher.version_, str) and matcher.version_


@pytest.mark.parametrize("call", [
    lambda m: m.rank(MatchQuery("customs")),
    lambda m: m.describe_profile(1),
    lambda m: m.update(profile(9, "x")),
    lambda m: m.remove(1),
    lambda m: m.save("/tmp/never"),
])
def test_unfitted_use_raises_not_fitted(call):
    with pytest.raises(NotFittedError):
        call(ExpertMatcher())


def test_refit_replaces_state():
    matcher = ExpertMatcher(taxonomy=TOPICS).fit(PROFILES)
    first_version = matcher.version_
    matcher.fit([profile(100, "Drone threats to chemical sites"), profile(101, "Drone detection")])
    assert matcher.n_experts_ == 2
    assert matcher.version_ != first_version
    assert {e.expert_id for e in matcher.rank(MatchQuery("drone"), k=None).experts} == {100, 101}


def ranking(matcher, text):
    return [(e.expert_id, round(e.score, 6), [tuple(r) for r in e.reasons]) for e in matcher.rank(MatchQuery(text), k=None).experts]


def test_deterministic_results():
    a = ExpertMatcher(taxonomy=TOPICS).fit(PROFILES)
    b = ExpertMatcher(taxonomy=TOPICS).fit(PROFILES)
    assert a.version_ == b.version_
    for text in ("customs precursor", "SCADA security", "الكيمياء الجنائية"):
        assert ranking(a, text) == ranking(b, text) == ranking(a, text)


def test_save_load_round_trip_ranks_identically(tmp_path, matcher):
    matcher.update(profile(50, "Customs precursor training in Jordan", languages=frozenset({"ar"})))
    matcher.remove(3)
    matcher.save(tmp_path / "index")
    loaded = ExpertMatcher.load(tmp_path / "index")
    assert read_version(tmp_path / "index") == matcher.version_ == loaded.version_
    assert loaded.n_experts_ == matcher.n_experts_
    assert loaded.get_params()["aggregation"] == matcher.aggregation
    for text in ("customs precursor", "SCADA", "سلائف المتفجرات", "forensic attribution"):
        assert ranking(loaded, text) == ranking(matcher, text)
    assert is_memory_mapped(loaded.segments_[0].docs.data)


def is_memory_mapped(array) -> bool:
    while array is not None:
        if isinstance(array, np.memmap):
            return True
        array = getattr(array, "base", None)
    return False


def test_saving_a_newer_version_is_visible_to_readers(tmp_path, matcher):
    matcher.save(tmp_path)
    old = read_version(tmp_path)
    matcher.update(profile(51, "New expert on drones"))
    matcher.save(tmp_path)
    assert read_version(tmp_path) == matcher.version_ != old


def test_loading_nothing_or_a_wrong_format_is_a_clear_error(tmp_path, matcher):
    with pytest.raises(IndexFormatError):
        ExpertMatcher.load(tmp_path / "missing")
    matcher.save(tmp_path)
    manifest = tmp_path / matcher.version_ / "manifest.json"
    manifest.write_text(manifest.read_text().replace(f"\"format_version\": {FORMAT_VERSION}", "\"format_version\": 99"))
    with pytest.raises(IndexFormatError):
        ExpertMatcher.load(tmp_path)


def test_fitting_in_several_processes_builds_the_same_index(monkeypatch):
    profiles = random_profiles(21, n=300)
    alone = ExpertMatcher().fit(profiles)
    monkeypatch.setattr(features, "FIT_BLOCK_DOCS", 70)  # ~10 blocks of documents, counted round robin
    parallel = ExpertMatcher(n_jobs=3)
    parallel.PARALLEL_MIN_DOCUMENTS = 50  # this small network split over three processes
    assert parallel._n_workers(sum(len(p.documents) for p in profiles)) == 3
    parallel.fit(profiles)
    assert parallel.version_ == alone.version_
    assert parallel.term_table_.stems == alone.term_table_.stems and parallel.surfaces_ == alone.surfaces_
    text = " ".join(next(p for p in profiles if p.documents).documents[0].text.split()[:8])
    assert parallel.rank(text, k=10) == alone.rank(text, k=10)


def test_parallel_map_yields_in_task_order_and_reports_a_failing_worker():
    assert list(parallel_map(lambda x: x * x, list(range(7)), 3)) == [x * x for x in range(7)]
    with pytest.raises(ZeroDivisionError):
        list(parallel_map(lambda x: 1 / (x - 4), list(range(7)), 3))  # task 4 runs in a worker process


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, "2"])
def test_bad_n_jobs_is_refused(n_jobs):
    with pytest.raises(ValueError, match="n_jobs"):
        ExpertMatcher(n_jobs=n_jobs).fit([])


def test_fitting_is_reproducible_across_interpreters():
    """Same profiles, same version_ in two processes with different string hashing (set order)."""
    script = (
        "from expertnet.matching import Document, ExpertMatcher, ExpertProfile\n"
        "profiles = [ExpertProfile(i, [Document('statement', f'customs precursor {i % 7} controls')],"
        " languages=frozenset(['ar fr', 'ar', 'fr en'][i % 3].split()), regions=frozenset({'JO', 'KE'}))"
        " for i in range(50)]\n"
        "print(ExpertMatcher().fit(profiles).version_)\n")
    root = Path(__file__).resolve().parents[2]
    versions = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=root,
                               env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(1, 6)}
    assert len(versions) == 1
