"""Text normalisation for matching: case, accents, confusable letters, leetspeak."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources


def _load_lookalikes() -> dict[int, str | None]:
    """Read the look-alike table generated from Unicode's data (scripts/gen_lookalikes.py)."""
    text = (resources.files("wall.moderation") / "data" / "lookalikes.tsv").read_text("utf-8")
    table: dict[int, str | None] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        points, _, value = line.partition("\t")
        low, _, high = points.partition("..")
        for cp in range(int(low, 16), int(high or low, 16) + 1):
            table[cp] = value or None  # None: a default-ignorable character, removed
    return table


# Look-alike letters from other scripts, small capitals and modifier letters read as
# Latin ones, and zero-width and other default-ignorable characters removed, as
# spammers use both to dodge filters (wall/moderation/data/lookalikes.tsv).
_CONFUSABLE_TABLE = _load_lookalikes()
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
    runs = (_SPACED_ASCII if folded.isascii() else _SPACED).findall(folded)
    if runs:
        out.append(_spaced_words(runs))
    return tuple(out)


# Three letters or more, each alone, separated by spaces or punctuation: "s c a m",
# "s.c.a.m", "s-c-a-m". Joined into one word as a further variant to match on.
_SPACED_ASCII = re.compile(r"(?<![a-z0-9])(?:[a-z][ .\-_*,/|+~:'\u00b7]{1,3}){2,}[a-z]"
                           r"(?![a-z0-9])")
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_][\s.\-_*,/|+~:'\u00b7\u2022]{1,3}){2,}[^\W\d_]"
                     r"(?!\w)")
_LETTER = re.compile(r"[^\W\d_]")


def _spaced_words(runs: list[str]) -> tuple[str, ...]:
    """Read each run of spaced-out letters as every word it may spell ("a s c a m" gives
    "asc", "ascam", "scam"...): the run may start with a real one-letter word."""
    out: list[str] = []
    for run in runs:
        letters = "".join(_LETTER.findall(run))[:40]
        out.extend(letters[i:j] for i in range(len(letters))
                   for j in range(i + 3, len(letters) + 1))
    return tuple(out)


def mixed_script_words(text: str) -> list[str]:
    """Return the words that mix letters of several scripts ("pаypal" with a Cyrillic а)."""
    out = []
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            out.append(word)
    return out


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """Return a letter's script, as the first word of its Unicode name (LATIN, CYRILLIC...)."""
    if ch.isascii():
        return "LATIN"
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


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
