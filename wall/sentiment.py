"""Offline sentiment of a post: positive, neutral or negative, in English and French.

The scorers are the lexicons that TextBlob (English) and textblob-fr (French) ship inside
their wheels (the `pattern` project's, MIT licensed): nothing is downloaded at run time
and no NLTK corpus is needed for sentiment. A post is scored in its own language when the
network says which; otherwise by whichever of the two languages its common words point
to (lingua, already a dependency, restricted to these two), else the wall's language.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
import sys
import threading
import warnings
from collections.abc import Callable
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

LABELS = ("positive", "neutral", "negative")
THRESHOLD = 0.1  # |polarity| below this is neutral (polarity runs from -1 to 1)
MAX_CHARS = 2000  # a post longer than this is scored on its start
LANGUAGES = ("en", "fr")

_URL = re.compile(r"https?://\S+|www\.\S+")
SURE = 0.6  # below this confidence, a post is taken to be in the wall's language
_lock = threading.Lock()


def _submodule(package: str, name: str) -> Any:
    """Import package.name without running the package's __init__.

    TextBlob's and textblob-fr's __init__ import NLTK, which imports SciPy: seconds of
    start-up and tens of MB for what the lexicon scorer never uses. The package is
    registered bare (its path only), so its own modules import as usual.
    """
    if package not in sys.modules:
        spec = importlib.util.find_spec(package)
        if spec is None:
            raise ModuleNotFoundError(f"{package} is not installed: pip install socialwall")
        sys.modules[package] = importlib.util.module_from_spec(spec)
    return importlib.import_module(f"{package}.{name}")


@cache
def _scorer(language: str) -> Callable[[str], Any]:
    """Return the lexicon scorer of a language (loaded once, on first use)."""
    # textblob-fr (2013) has regexes with invalid escapes: Python warns when it compiles
    # them (a fresh install without bytecode), which is no fault of the post being scored.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        if language == "fr":
            return _submodule("textblob_fr", "fr").sentiment  # type: ignore[no-any-return]
        return _submodule("textblob", "en").sentiment  # type: ignore[no-any-return]


@cache
def _detector() -> Any:
    """Return a language detector that tells English from French.

    Low-accuracy mode (trigram models only): telling two languages apart needs no more,
    and a doubtful answer falls back to the wall's language anyway (SURE). The full models
    cost ~93 MB of memory and ~0.5 s to load, measured here; these cost ~9 MB and 30 ms.
    lingua loads models on the first detection, not at build(): warm_up() detects once.
    """
    from lingua import Language, LanguageDetectorBuilder

    return (LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH)
            .with_low_accuracy_mode().build())


def warm_up() -> None:
    """Load both lexicons and the language models now, so the first post does not wait."""
    with _lock:
        for language in LANGUAGES:
            _scorer(language)("ok")
        _detector().compute_language_confidence_values("warming up, merci beaucoup")


def language_of(text: str, given: str | None, wall_language: str = "en") -> str:
    """Return "en" or "fr": the network's language if it is one of them, else a guess."""
    base = (given or "").lower().split("-")[0].split("_")[0]
    if base in LANGUAGES:
        return base
    values = _detector().compute_language_confidence_values(text[:MAX_CHARS])
    if values and values[0].value >= SURE:
        return str(values[0].language.iso_code_639_1.name.lower())
    return wall_language if wall_language in LANGUAGES else "en"


def polarity(text: str, language: str) -> float:
    """Return the text's polarity from -1 (negative) to 1 (positive) in that language."""
    clean = _URL.sub(" ", text[:MAX_CHARS]).replace("#", " ")
    result = _scorer(language)(clean)
    return float(result[0])


def label(text: str, given: str | None = None, wall_language: str = "en") -> str:
    """Return "positive", "neutral" or "negative" for a post's text."""
    if not text.strip():
        return "neutral"
    try:
        value = polarity(text, language_of(text, given, wall_language))
    except Exception:  # a lexicon bug on odd input must not stop ingest: count it neutral
        log.warning("sentiment scoring failed; counted as neutral", exc_info=True)
        return "neutral"
    if value >= THRESHOLD:
        return "positive"
    if value <= -THRESHOLD:
        return "negative"
    return "neutral"
