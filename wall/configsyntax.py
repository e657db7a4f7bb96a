"""Turn tomllib's syntax errors into a line, a column and a plain sentence."""

from __future__ import annotations

import re
import tomllib

# tomllib's messages are terse and aimed at parser authors; each prefix maps to
# what a person editing the file should do. Unknown messages are shown as they are.
PLAIN = (
    ("Expected '=' after a key", "a key must be followed by = and a value; "
     "put quotes around text values and no spaces inside key names"),
    ("Expected ']' at the end of a table", "a table name must end with ] (like [wall])"),
    ("Expected ']]' at the end of an array", "an array of tables must end with ]] "
     "(like [[sources]])"),
    ("Invalid value", 'this value cannot be read: text needs quotes ("like this"), '
     "true/false are lower case, lists are written [\"a\", \"b\"]"),
    ("Unterminated string", 'a string is not closed: add the missing quote (")'),
    ("Unclosed array", 'a list is not closed or misses a comma: write ["a", "b"]'),
    ("Cannot overwrite a value", "a key is set twice in the same table: keep one"),
    ("Cannot declare", "a table is written twice: merge the two [table] sections "
     "(repeat [[sources]] with two brackets for several sources)"),
    ("Illegal character '\\n'", 'a string is not closed on its line: add the missing '
     'quote (") before the end of the line'),
    ("Illegal character", "a character that TOML does not allow here (a tab or "
     "control character inside a string?)"),
)
WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def explain(exc: tomllib.TOMLDecodeError, text: str) -> str:
    """Return "not valid TOML at line L, column C: <what to do> (<parser message>)"."""
    raw = str(exc)
    match = WHERE.search(raw)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = raw[:match.start()]
    else:  # "(at end of document)": the parser only knew it reached the end
        message = raw.replace(" (at end of document)", "")
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    sentence = next((plain for prefix, plain in PLAIN if message.startswith(prefix)), "")
    what = f"{sentence} ({message})" if sentence else message
    return f"not valid TOML at line {line}, column {column}: {what}"
