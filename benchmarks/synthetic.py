"""A synthetic but realistic expert network for the speed benchmark (fixed seed).

Words follow a Zipf law whose most frequent ranks are real English function words (removed by
any analyser, as in real text); the rest are pronounceable pseudo-words. Each expert works on 1-3
of 45 topics, and topic words make up about half of their text, so requests have real matches.
"""
from __future__ import annotations

import numpy as np

from expertnet.matching import Document, ExpertProfile

FUNCTION_WORDS = ("the of and to in a is for on that with as by this are be from or at an it was "
                  "which we have has not their these its been also can more our such into other "
                  "between than they were will both all may how about who through over".split())
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["tra", "cor", "pel", "sin", "dor", "mex"]
KINDS = ("headline", "statement", "biography", "experience", "publication")
N_TOPICS = 45
BACKGROUND_WORDS = 40_000
TOPIC_WORDS = 300


def pseudo_words(rng: np.random.Generator, count: int) -> list[str]:
    words, seen = [], set()
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES, size=rng.integers(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_probabilities(n: int, exponent: float = 1.05) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


class Network:
    def __init__(self, seed: int = 7):
        self.rng = np.random.default_rng(seed)
        words = pseudo_words(self.rng, BACKGROUND_WORDS + N_TOPICS * TOPIC_WORDS)
        self.background = np.array(FUNCTION_WORDS + words[:BACKGROUND_WORDS], dtype=object)
        self.background_cdf = np.cumsum(zipf_probabilities(len(self.background)))
        topic_words = words[BACKGROUND_WORDS:]
        self.topics = [np.array(topic_words[i * TOPIC_WORDS:(i + 1) * TOPIC_WORDS], dtype=object) for i in range(N_TOPICS)]
        self.topic_matrix = np.array(topic_words[:N_TOPICS * TOPIC_WORDS], dtype=object).reshape(N_TOPICS, TOPIC_WORDS)
        self.topic_cdf = np.cumsum(zipf_probabilities(TOPIC_WORDS, 0.9))

    def text(self, n_tokens: int, topics: list[int]) -> str:
        n_topic = self.rng.binomial(n_tokens, 0.5)
        background = self.background[self._draw(self.background_cdf, n_tokens - n_topic)]
        chosen = self.rng.choice(topics, size=n_topic)
        ranks = self._draw(self.topic_cdf, n_topic)
        tokens = np.concatenate([background, self.topic_matrix[chosen, ranks]])  # same draws as a per-token loop
        order = self.rng.permutation(len(tokens))
        return " ".join(tokens[order].tolist())

    def _draw(self, cdf: np.ndarray, size: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cdf, self.rng.random(size)), len(cdf) - 1)

    def profile(self, expert_id: int) -> ExpertProfile:
        topics = list(self.rng.choice(N_TOPICS, size=self.rng.integers(1, 4), replace=False))
        total = int(self.rng.integers(150, 401))
        n_docs = int(self.rng.integers(3, 8))
        cuts = np.sort(self.rng.choice(np.arange(10, total - 10), size=n_docs - 1, replace=False))
        sizes = np.diff(np.concatenate([[0], cuts, [total]]))
        documents = [Document(KINDS[min(i, len(KINDS) - 1)], self.text(int(s), topics)) for i, s in enumerate(sizes)]
        return ExpertProfile(
            expert_id=expert_id, documents=documents,
            languages=frozenset(self.rng.choice(["en", "ar", "fr", "es"], size=self.rng.integers(1, 3), replace=False)),
            regions=frozenset({str(self.rng.choice(["JO", "MA", "KE", "PH", "CO", "FR"]))}),
            organisation_id=int(self.rng.integers(1, 500)), capacity_left=int(self.rng.integers(0, 4)),
            available=bool(self.rng.random() > 0.1), vetted=bool(self.rng.random() > 0.05),
            excluded_organisation_ids=frozenset({int(self.rng.integers(1, 500))}) if self.rng.random() < 0.05 else frozenset(),
        )

    def request(self) -> str:
        topics = list(self.rng.choice(N_TOPICS, size=self.rng.integers(1, 3), replace=False))
        return self.text(int(self.rng.integers(60, 151)), topics)


def profile_text(profile: ExpertProfile) -> str:
    """The whole profile as one text, as the naive approach sees it."""
    return "\n".join(d.text for d in profile.documents)
