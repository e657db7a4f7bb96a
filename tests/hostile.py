"""A corpus of hostile input: the Big List of Naughty Strings plus what it lacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "fixtures" / "hostile"

XSS = [
    # Polyglots that escape attribute, script, style, comment and template contexts.
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/"
    "</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
    "\"'--></style></script><svg onload=alert(1)>",
    "<img src=x onerror=alert(document.domain)>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
]
UNICODE = [
    "\u202eevil\u202c gnp.exe",  # right-to-left override
    "abc\u2066isolated\u2069def\u200f\u200e",
    "sc\u200bam zero\u200dwidth\ufeffjoin\u2060er",
    "👨‍👩‍👧‍👦 🏳️‍🌈 🧑🏽‍💻 👩‍❤️‍💋‍👨",
    "a" * 5000,  # one very long word
    "x" * 100_000,
    "NUL\x00inside and \x01\x02\x07\x1b[31mANSI\x1b[0m \x7f\x85",
    "\ud800 lone high, lone low \udfff",
    "\U0010ffff \ufffe \uffff",
    "Z̡̢̛̗̘̙̜̝̞̟̠̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ͏͓͔͕͖͙͚͐͑͒͗͛",
]
DATES = [
    "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22T25:61:61Z", "1e999",
    "99999-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-11-22T10:00:00+99:00", "",
]
NUMBERS: list[Any] = [10**400, -(10**400), 2**63, -(2**63) - 1, 1e308, -1e308, 0.1, True,
                      float("inf"), float("nan")]


def blns() -> list[str]:
    """Return the Big List of Naughty Strings (tests/fixtures/hostile/ORIGIN.md)."""
    data = json.loads((HERE / "blns.json").read_text(encoding="utf-8"))
    return [s for s in data if isinstance(s, str)]


def strings() -> list[str]:
    """Return every hostile string: the list, polyglots, Unicode tricks, dates."""
    return blns() + XSS + UNICODE + DATES


def nested_json(depth: int) -> bytes:
    """Return a JSON document nested `depth` arrays deep (built as text: no recursion)."""
    return ("[" * depth + "]" * depth).encode()


# Shown on screens by the browser test: one of each kind, readable on a card.
ON_SCREEN = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    XSS[0][:120],
    "\"'--></style></script><svg onload=alert(3)>",
    "{{constructor.constructor('alert(4)')()}}",
    "\u202eevil\u202c gnp.exe",
    "👨‍👩‍👧‍👦 🏳️‍🌈 🧑🏽‍💻",
    "&lt;b&gt;not bold&lt;/b&gt; &amp;amp;",
    "Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤",
    "w" * 300,
]
