"""Regenerate wall/moderation/data/lookalikes.tsv from Unicode's confusables.txt.

Run: .venv/bin/python scripts/gen_lookalikes.py path/to/confusables.txt

confusables.txt is Unicode's security data for UTS #39
(https://www.unicode.org/Public/security/<version>/confusables.txt; the copy used for
the shipped table came from unicode-org/unicodetools, unicodetools/data/security/17.0.0/,
commit 48afe632bf194a20bcd27c3488b49dc23274b684). The table it writes has, one per line:
a code point and what it reads as in Latin letters or digits, or nothing for a
default-ignorable character (removed before matching).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

OUT = Path("wall/moderation/data/lookalikes.tsv")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Small capitals, modifier, subscript and stroked letters that confusables.txt leaves out
# (ᴀ, ᴍ, ᵃ, ł): read from the character's name, e.g. LATIN LETTER SMALL CAPITAL A.
_NAMED = re.compile(r"(?:LATIN|MODIFIER) (?:(?:SMALL|CAPITAL|SUBSCRIPT|LETTER|LIGATURE|DOTLESS|"
                    r"SCRIPT) )+([A-Z]|AE|OE|IJ|UE)"
                    r"(?: WITH (?:STROKE|BAR|HOOK|TAIL|DESCENDER|CURL|MIDDLE TILDE|"
                    r"DOT ABOVE|DOT BELOW|LONG LEG|RETROFLEX HOOK|PALATAL HOOK|BELT))?")
# Default_Ignorable_Code_Point (DerivedCoreProperties.txt) beyond the format characters:
# Hangul fillers, Mongolian and other variation selectors, the combining grapheme joiner.
_IGNORABLE_RANGES = [(0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
                     (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0),
                     (0xE0000, 0xE0FFF)]


def base_fold(text: str) -> str:
    """Fold as wall.moderation.normalize does before its table: case, compatibility, marks."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def is_plain(text: str) -> bool:
    """Tell whether a folded prototype is Latin letters and digits only."""
    return bool(text) and text.isascii() and text.isalnum()


def ignorables() -> list[int]:
    """Return the code points removed before matching."""
    out = [cp for cp in range(0x80, 0x110000) if unicodedata.category(chr(cp)) == "Cf"]
    for low, high in _IGNORABLE_RANGES:
        out.extend(range(low, high + 1))
    return sorted(set(out))


def from_confusables(path: Path) -> dict[int, str]:
    """Map each non-ASCII source whose prototype reads as Latin letters or digits."""
    # confusables.txt maps ASCII letters too (m to rn, as they may be confused); fold
    # those prototypes back to the ASCII letter so "ѕϲаm" and "scam" both read "scam".
    ascii_of: dict[str, str] = {}
    rows: list[tuple[int, str]] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 2:
            continue
        source = int(fields[0].strip(), 16)
        target = "".join(chr(int(cp, 16)) for cp in fields[1].split())
        if 0x61 <= source <= 0x7A:  # a-z; "I" also reads as "l" but folds to "i"
            ascii_of.setdefault(base_fold(target), chr(source))
        else:
            rows.append((source, target))
    out: dict[int, str] = {}
    for source, target in rows:
        folded = base_fold(target)
        folded = ascii_of.get(folded, folded)
        if is_plain(folded) and base_fold(chr(source)) != folded:
            out[source] = folded
    return out


def from_names() -> dict[int, str]:
    """Map letter variants by their Unicode names."""
    out: dict[int, str] = {}
    for cp in range(0x80, 0x110000):
        name = unicodedata.name(chr(cp), "")
        match = _NAMED.fullmatch(name)
        if match and not base_fold(chr(cp)).isascii():
            out[cp] = match.group(1).lower()
    return out


def _ranges(points: list[int]) -> list[tuple[int, int]]:
    """Group sorted code points into runs."""
    out: list[tuple[int, int]] = []
    for cp in points:
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def main(argv: list[str]) -> int:
    """Write the table."""
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    source = Path(argv[1])
    version = next((line.split(":", 1)[1].strip() for line in
                    source.read_text(encoding="utf-8-sig").splitlines()[:12]
                    if line.startswith("# Version:")), "unknown")
    table = from_names()
    table.update(from_confusables(source))  # Unicode's own mapping wins over a name
    # Matching applies the table after NFKD, so key each entry by its folded form too
    # (ϲ, the lunate sigma, folds to ς before the table sees it).
    for cp, value in list(table.items()):
        folded = base_fold(chr(cp))
        if len(folded) == 1 and not folded.isascii():
            table.setdefault(ord(folded), value)
    lines = [
        "# Look-alike letters and default-ignorable characters, for matching blocked words.",
        f"# Generated by scripts/gen_lookalikes.py from Unicode confusables.txt {version}",
        "# (UTS #39 security data) and character names from Python's unicodedata "
        f"{unicodedata.unidata_version}.",
        "# Format: hex code point (or first..last), tab, what it reads as (empty: removed).",
    ]
    lines += [f"{low:04X}..{high:04X}\t" for low, high in _ranges(ignorables())]
    lines += [f"{cp:04X}\t{value}" for cp, value in sorted(table.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(table)} look-alikes")  # noqa: T201 (a script, not the package)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
