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
def _sentiment(language: str) -> Any:
    """Return the TextBlob Sentiment object of a language (loaded once, on first use)."""
    # textblob-fr (2013) has regexes with invalid escapes: Python warns when it compiles
    # them (a fresh install without bytecode), which is no fault of the post being scored.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        if language == "fr":
            return _submodule("textblob_fr", "fr").sentiment
        return _submodule("textblob", "en").sentiment


class _Scorer:
    """A language's polarity as TextBlob computes it for a string, without its slow part.

    TextBlob's Sentiment.assessments looks for emoticons by walking all 76 of them,
    lower-casing each, for every token that is short and not a letter word: a number, a
    date, "#1"... That scan was half of the scorer's time and the scorer a sixth of a
    batch's ingest (docs/benchmarks.md, stop 12). This is the same walk over the tokens,
    rule for rule, with the emoticons in a dict; tests/test_sentiment.py checks that it
    gives TextBlob's own polarity on generated and real posts in both languages. Only
    the polarity is computed (the subjectivity is not used).
    """

    def __init__(self, sentiment: Any, module: Any) -> None:
        if not len(sentiment):  # len() loads the lexicon (a lazydict) on first use
            raise RuntimeError("TextBlob's sentiment lexicon is empty: reinstall textblob")
        self.lexicon: dict[str, dict[Any, tuple[float, float, float]]] = dict(sentiment)
        self.negations = frozenset(sentiment.negations)
        self.modifiers = tuple(sentiment.modifiers)
        self.modifier = sentiment.modifier
        self.tokenizer = sentiment.tokenizer
        self.punctuation: str = module.PUNCTUATION  # `in` on it is a substring test, as there
        self.emoticons: dict[str, float] = {}
        for (_kind, value), faces in module.EMOTICONS.items():  # the first kind listed wins
            for face in faces:
                self.emoticons.setdefault(face.lower(), value)

    def __call__(self, text: str) -> float:
        words = [w.lower() for w in " ".join(self.tokenizer(text)).split()]
        found: list[list[float]] = []  # [polarity, intensity, negated (-1) or not (1)]
        modifier: str | None = None  # a preceding known adverb ("very good")
        negation: str | None = None  # a preceding negation ("not good")
        for w in words:
            entry = self.lexicon.get(w)
            if entry is not None and None in entry:
                p, _s, i = entry[None]
                if modifier is None:
                    found.append([p, i, 1])
                else:
                    last = found[-1]
                    last[0] = max(-1.0, min(p * last[1], 1.0))
                    last[1] = i
                if negation is not None:
                    found[-1][1] = 1.0 / found[-1][1]
                    found[-1][2] = -1
                modifier = negation = None
                if any(kind in entry for kind in self.modifiers):
                    modifier = w
                if w in self.negations:
                    negation = w
                continue
            if w in self.negations:
                negation = w
            elif negation and len(w.strip("'")) > 1:
                negation = None
            if negation is not None and modifier is not None and self.modifier(modifier):
                found[-1][2] = -1
                negation = None
            elif modifier and len(w) > 2:
                modifier = None
            if w == "!" and found:
                found[-1][0] = max(-1.0, min(found[-1][0] * 1.25, 1.0))
            if w == "(!)":
                found.append([0.0, 1.0, 1])
            if not w.isalpha() and len(w) <= 5 and w not in self.punctuation:
                face = self.emoticons.get(w)
                if face is not None:
                    found.append([face, 1.0, 1])
        total = 0.0
        for p, _i, negated in found:
            total += p * -0.5 if negated < 0 else p
        return total / float(len(found) or 1)


class _EnglishTokens:
    """TextBlob's English `find_tokens`, token for token, without its slow part.

    TextBlob splits the punctuation off every token with loops that build a tuple of the
    punctuation marks for each test; a post's plain words (most of its tokens) go through
    them for nothing. Here a token whose first and last characters are not punctuation
    is taken as it is, which is what TextBlob's loops end up doing with it; any other
    token goes through the same loops as there, and the contractions (literal patterns
    that all hold an apostrophe) are replaced only when the text has an apostrophe. The
    mood's tokenizer was 7 % of a webhook batch's CPU (docs/benchmarks.md, stop 13);
    tests/test_sentiment.py checks the tokens equal TextBlob's on recorded and generated
    posts. French keeps textblob-fr's own tokenizer (its rules differ).
    """

    def __init__(self, module: Any) -> None:
        self.m = module
        self.replace = dict(module.replacements)
        if any(re.escape(key) != key or "'" not in key for key in self.replace):
            raise RuntimeError("TextBlob's contractions changed: check _EnglishTokens")
        self.lead = tuple(module.PUNCTUATION.replace(".", ""))
        self.trail = (*self.lead, ".")
        self.lead_set, self.trail_set = frozenset(self.lead), frozenset(self.trail)
        self.ends = ("...", ".", "!", "?", module.EOS)
        self.runs = ("...", ".", "!", "?", ")", "'", '"', "\u201d", "\u2019", module.EOS)
        self.breaks = re.compile(r"\n{2,}")
        self.spaces = re.compile(r"\s+")

    def __call__(self, string: str) -> list[str]:
        m = self.m
        if "'" in string:
            for a, b in self.replace.items():
                string = string.replace(a, b)
        string = (string.replace("\u201c", " \u201c ").replace("\u201d", " \u201d ")
                  .replace("\u2018", " \u2018 ").replace("\u2019", " \u2019 ")
                  .replace("'", " ' ").replace('"', ' " '))
        string = string.replace("\r\n", "\n")
        if "\n\n" in string:
            string = self.breaks.sub(f" {m.EOS} ", string)
        string = self.spaces.sub(" ", string)
        tokens: list[str] = []
        lead, trail, replace = self.lead, self.trail, self.replace
        for t in m.TOKEN.findall(string + " "):
            if t[0] not in self.lead_set and t[-1] not in self.trail_set:
                tokens.append(t)  # TextBlob's loops below would leave it whole
                continue
            tail = []
            while t.startswith(lead) and t not in replace:
                tokens.append(t[0])
                t = t[1:]
            while t.endswith(trail) and t not in replace:
                if t.endswith(lead):
                    tail.append(t[-1])
                    t = t[:-1]
                if t.endswith("..."):
                    tail.append("...")
                    t = t[:-3].rstrip(".")
                if t.endswith("."):
                    if (t in m.ABBREVIATIONS or m.RE_ABBR1.match(t) is not None
                            or m.RE_ABBR2.match(t) is not None
                            or m.RE_ABBR3.match(t) is not None):
                        break
                    tail.append(t[-1])
                    t = t[:-1]
            if t != "":
                tokens.append(t)
            tokens.extend(reversed(tail))
        return self._sentences(tokens)

    def _sentences(self, tokens: list[str]) -> list[str]:
        """Group tokens in sentences exactly as TextBlob does (its rules, its order)."""
        m = self.m
        sentences: list[list[str]] = [[]]
        i = j = 0
        while j < len(tokens):
            if tokens[j] in self.ends:
                while j < len(tokens) and tokens[j] in self.runs:
                    if tokens[j] in ("'", '"') and sentences[-1].count(tokens[j]) % 2 == 0:
                        break  # balanced quotes
                    j += 1
                sentences[-1].extend(t for t in tokens[i:j] if t != m.EOS)
                sentences.append([])
                i = j
            j += 1
        sentences[-1].extend(tokens[i:j])
        out = []
        for sentence in sentences:
            if sentence:
                text = m.RE_SARCASM.sub("(!)", " ".join(sentence))
                out.append(m.RE_EMOTICONS.sub(
                    lambda found: found.group(1).replace(" ", "") + found.group(2), text))
        return out


@cache
def _scorer(language: str) -> Callable[[str], float]:
    """Return the polarity scorer of a language (loaded once, on first use)."""
    module = "textblob_fr._text" if language == "fr" else "textblob._text"
    sentiment = _sentiment(language)
    scorer = _Scorer(sentiment, sys.modules[module])
    if language == "en":
        scorer.tokenizer = _EnglishTokens(sys.modules[module])
    return scorer


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


# Words of one of the two languages only (not "me", "an", "but" or "super": both have
# them), the most frequent first. When a post has two or more of one list and none of
# the other, it is in that language and the detector (35 us a post, a tenth of a batch's
# ingest) is not asked.
_ENGLISH = frozenset("""the and is are was were be been this that these those with for of to
in at by from about it it's i i'm im you you're your we our they their he she his her
have has had not what which who will would can can't don't didn't just very really
so my all there here when how why or if thanks thank love great""".split())
_FRENCH = frozenset("""le la les des du un une et est sont c'est j'ai pour avec dans sur
pas que qui je tu il elle nous vous ils elles mon ma mes ton ta tes notre votre nos vos
leur leurs très tres merci au aux ce cet cette ces mais où être avoir fait été sans chez
bien tout tous toute toutes aussi à ça ici quel quelle génial""".split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _function_words_say(text: str) -> str | None:
    """Return "en" or "fr" when the text's function words leave no doubt, else None."""
    english = french = 0
    for word in _WORD.findall(text.replace("\u2019", "'").lower()):
        if word in _ENGLISH:
            english += 1
        elif word in _FRENCH:
            french += 1
    if english >= 2 and not french:
        return "en"
    if french >= 2 and not english:
        return "fr"
    return None


def language_of(text: str, given: str | None, wall_language: str = "en") -> str:
    """Return "en" or "fr": the network's language if it is one of them, else a guess."""
    base = (given or "").lower().split("-")[0].split("_")[0]
    if base in LANGUAGES:
        return base
    plain = _function_words_say(text[:MAX_CHARS])
    if plain:
        return plain
    values = _detector().compute_language_confidence_values(text[:MAX_CHARS])
    if values and values[0].value >= SURE:
        return str(values[0].language.iso_code_639_1.name.lower())
    return wall_language if wall_language in LANGUAGES else "en"


def polarity(text: str, language: str) -> float:
    """Return the text's polarity from -1 (negative) to 1 (positive) in that language."""
    clean = _URL.sub(" ", text[:MAX_CHARS]).replace("#", " ")
    return _scorer(language)(clean)


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
