"""The [ambassadors] table: enrolment, the charter and its version, confidential words."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from wall.configreader import Reader

CHARTER_TYPES = (".md", ".markdown", ".txt")
CHARTER_MAX_BYTES = 200_000


@dataclass(frozen=True)
class AmbassadorsSection:
    """Self-enrolment settings; the charter text is read once, with the config."""

    enrolment: bool = False
    charter_file: Path | None = None
    charter_text: str = ""
    charter_version: str = ""
    confidential_words: tuple[str, ...] = ()
    verify: bool = False


def _charter(r: Reader, base: Path) -> tuple[Path | None, str]:
    """Read the charter file relative to the working folder; return its path and text."""
    raw = r.string("charter_file", "")
    if not raw:
        return None, ""
    path = Path(raw).expanduser()
    path = path if path.is_absolute() else base / path
    if path.suffix.lower() not in CHARTER_TYPES:
        r.problem("charter_file", f"must be a Markdown or text file ({', '.join(CHARTER_TYPES)})"
                  f' (got "{raw}")')
        return None, ""
    try:
        data = path.read_bytes()
    except OSError:
        r.problem("charter_file", f"file {path} cannot be read; relative paths start from the "
                  "folder socialwall runs in")
        return None, ""
    if len(data) > CHARTER_MAX_BYTES or not data.strip():
        r.problem("charter_file", f"must hold the charter's text (1 byte to "
                  f"{CHARTER_MAX_BYTES // 1000} kB; {path} has {len(data)} bytes)")
        return None, ""
    try:
        return path.resolve(), data.decode("utf-8")
    except UnicodeDecodeError:
        r.problem("charter_file", f"{path} must be UTF-8 text")
        return None, ""


def parse_ambassadors(r: Reader, base: Path) -> AmbassadorsSection:
    """Validate the [ambassadors] table; problems go to the reader's shared list."""
    enrolment = r.boolean("enrolment", False)
    raw_given = bool(r.data.get("charter_file"))
    path, text = _charter(r, base)
    version = r.string("charter_version", "").strip()[:60]
    if text and not version:
        # The digest changes with every edit, so an acceptance always names the text seen.
        version = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    section = AmbassadorsSection(
        enrolment=enrolment, charter_file=path, charter_text=text, charter_version=version,
        confidential_words=tuple(w.strip() for w in r.strings("confidential_words") if w.strip()),
        verify=r.boolean("verify", False),
    )
    if enrolment and not text and not raw_given:
        r.problem("charter_file", "is required when enrolment = true: the Markdown or text "
                  'file employees accept, e.g. charter_file = "config/charter.md"')
    r.finish()
    return section
