"""Text normalisation for matching: case, accents, confusable letters, leetspeak."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters from other scripts that look like Latin ones, as spammers use them to
# dodge filters (a subset of Unicode's confusables.txt, the ones seen in spam).
_CONFUSABLES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "ԁ": "d", "ɡ": "g", "һ": "h", "ԛ": "q", "ѡ": "w", "ү": "y",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ѵ": "v",
    "ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss",
    "æ": "ae", "œ": "oe", "ſ": "s", "ƅ": "b", "ɑ": "a", "ɩ": "i", "ʋ": "u",
}
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
# Digits and signs read as letters inside words ("sc4m", "fr33", "$pam").
_LEET_TABLE = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                             "8": "b", "@": "a", "$": "s", "€": "e", "|": "l"})
_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)
_REPEATS = re.compile(r"([a-z])\1{2,}")  # Latin letters only: a plain class is fast
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case a text, strip accents and map look-alike letters to Latin ones."""
    if text.isascii():  # the common case, and the fast path: no accents, no look-alikes
        return text.lower()
    stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return stripped if stripped.isascii() else stripped.translate(_CONFUSABLE_TABLE)


def normalize_handle(handle: str) -> str:
    """Return a handle in the form rules compare: folded, without a leading @."""
    return fold(handle.strip()).lstrip("@")


def words(text: str) -> list[str]:
    """Split a text into folded words, the unit that blocked words are matched on."""
    return _split(fold(text))


def _split(folded: str) -> list[str]:
    return (_ASCII_WORD if folded.isascii() else _WORD).findall(folded)


def leet_words(text: str) -> list[str]:
    """Split a text into words with leetspeak read as letters ("sc4m" gives "scam")."""
    return _WORD.findall(fold(text).translate(_LEET_TABLE))


@lru_cache(maxsize=64)
def variants(text: str) -> tuple[tuple[str, ...], ...]:
    """Return a text's word lists to match on: plain, leetspeak read, stretches squeezed."""
    folded = fold(text)
    plain = tuple(_split(folded))
    out = [plain]
    if _leetish(folded, plain):
        # Digits read as letters everywhere ("2026" gives "2o26"): harmless, since
        # only whole words are compared and this list is tried after the plain one.
        out.append(tuple(_split(folded.translate(_LEET_TABLE))))
    if _REPEATS.search(folded):
        out.append(tuple(_split(_REPEATS.sub(r"\1", folded))))
    return tuple(out)


def _leetish(folded: str, tokens: tuple[str, ...]) -> bool:
    """Tell cheaply whether a text may hold leetspeak: a word mixing letters and digits, or
    a sign inside a word ("$ale", "c@m"); "2026" and "@camille" do not count."""
    if any(not (t.isalpha() or t.isdigit()) for t in tokens):
        return True
    if "$" in folded or "€" in folded or "|" in folded:
        return True
    at = folded.find("@")
    while at > 0:
        if folded[at - 1].isalpha():
            return True
        at = folded.find("@", at + 1)
    return False


def squeeze(word: str) -> str:
    """Collapse a letter repeated three times or more ("scaaam" gives "scam")."""
    return _REPEATS.sub(r"\1", word)


def shingles(text: str, size: int = 3) -> frozenset[str]:
    """Return the word trigrams of a folded text, for near-duplicate detection."""
    tokens = words(text)
    if len(tokens) < size:
        return frozenset([" ".join(tokens)]) if tokens else frozenset()
    return frozenset(" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Return the Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
