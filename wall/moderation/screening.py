"""Machine screening that runs offline: language detection and a toxicity score.

Both models ship inside their PyPI packages (lingua-language-detector,
alt-profanity-check) and load once, lazily, on first use; nothing is fetched.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# Languages the detector chooses among: the common ones on European walls, plus
# any the config allows. A wider set costs memory and start-up time.
DETECTED = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "da", "ru", "tr", "ar",
            "zh", "ja", "ko")
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 12

_lock = threading.Lock()
_detectors: dict[frozenset[str], Any] = {}
_toxicity: list[Callable[[list[str]], Any]] = []
_missing: list[str] = []  # why the classifier cannot load, once known


class ScreeningUnavailable(Exception):
    """A screening package is not installed."""


def _detector(codes: frozenset[str]) -> Any:
    with _lock:
        if codes not in _detectors:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            languages = []
            for code in sorted(codes):
                iso = getattr(IsoCode639_1, code.upper(), None)
                if iso is not None:
                    languages.append(Language.from_iso_code_639_1(iso))
            _detectors[codes] = LanguageDetectorBuilder.from_languages(*languages).build()
            log.info("language detector ready for %s", ", ".join(sorted(codes)))
        return _detectors[codes]


def detect_language(text: str, allowed: tuple[str, ...] = ()) -> tuple[str, float] | None:
    """Return (two-letter code, confidence) for a text, or None when unsure."""
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return None
    detector = _detector(frozenset(DETECTED) | frozenset(allowed))
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def _predictor() -> Callable[[list[str]], Any]:
    with _lock:
        if not _toxicity:
            try:
                from profanity_check import predict_prob
            except ImportError as exc:
                raise ScreeningUnavailable(
                    "toxicity = true needs alt-profanity-check: "
                    "pip install 'socialwall[ml]'") from exc
            _toxicity.append(predict_prob)
            log.info("toxicity classifier ready")
        return _toxicity[0]


def toxicity_score(text: str) -> float | None:
    """Return the probability, from 0 to 1, that a text is offensive; None if unavailable."""
    if _missing:
        return None
    try:
        predict = _predictor()
    except ScreeningUnavailable as exc:
        _missing.append(str(exc))
        log.warning("%s; posts get no toxicity score until it is installed", exc)
        return None
    if not text.strip():
        return 0.0
    return float(predict([text])[0])


def toxicity_available() -> bool:
    """Return True when the toxicity classifier can be loaded."""
    try:
        _predictor()
    except ScreeningUnavailable:
        return False
    return True
