"""Read untyped TOML tables into typed values, collecting every problem."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any


def _show(value: Any) -> str:
    """Render a config value the way it would look in TOML."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _kind(value: Any) -> str:
    """Name the TOML type of a value for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class Reader:
    """Typed accessors over one TOML table; problems go to a shared list."""

    def __init__(self, data: Any, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        self.seen: set[str] = set()
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.problem("", f"must be a table, got {_kind(data)}")
            data = {}
        self.data: dict[str, Any] = data

    def key_path(self, key: str) -> str:
        """Return the dotted path of a key, for messages."""
        if not key:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str, message: str) -> None:
        """Record one problem at a key."""
        self.problems.append(f"{self.key_path(key)}: {message}")

    def _get(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key)

    def value(self, key: str) -> Any:
        """Return a key's raw value (None when absent), marking it read."""
        return self._get(key)

    def string(
        self,
        key: str,
        default: str,
        *,
        choices: Sequence[str] | None = None,
        required: bool = False,
        allow_empty: bool = True,
    ) -> str:
        """Read a string, optionally restricted to choices."""
        value = self._get(key)
        if value is None:
            if required:
                self.problem(key, "is required (a string)")
            return default
        if not isinstance(value, str):
            self.problem(key, f"must be a string, got {_kind(value)} {_show(value)}")
            return default
        if choices is not None and value not in choices:
            allowed = ", ".join(_show(c) for c in choices)
            self.problem(key, f"must be one of {allowed} (got {_show(value)})")
            return default
        if not allow_empty and not value.strip():
            self.problem(key, "must not be empty")
            return default
        return value

    def optional_string(self, key: str) -> str | None:
        """Read a string that may be absent."""
        if self.data.get(key) is None:
            self.seen.add(key)
            return None
        return self.string(key, "")

    def integer(self, key: str, default: int, *, low: int, high: int) -> int:
        """Read an integer within [low, high]."""
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be an integer from {low} to {high}, got {_show(value)}")
            return default
        if not low <= value <= high:
            self.problem(key, f"must be from {low} to {high} (got {value})")
            return default
        return value

    def number(self, key: str, default: float, *, low: float, high: float) -> float:
        """Read an integer or float within [low, high]."""
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, f"must be a number from {low:g} to {high:g}, got {_show(value)}")
            return default
        if not low <= value <= high:
            self.problem(key, f"must be from {low:g} to {high:g} (got {value:g})")
            return default
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        """Read true or false."""
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, got {_show(value)}")
            return default
        return value

    def strings(self, key: str, default: Iterable[str] = ()) -> tuple[str, ...]:
        """Read a list of non-empty strings."""
        value = self._get(key)
        if value is None:
            return tuple(default)
        if not isinstance(value, list):
            self.problem(key, f'must be a list of strings, like ["a", "b"], got {_kind(value)}')
            return tuple(default)
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{key}[{i}]", f"must be a non-empty string, got {_show(item)}")
                continue
            out.append(item.strip())
        return tuple(out)

    def table(self, key: str) -> Reader:
        """Return a reader for a nested table."""
        return Reader(self._get(key), self.key_path(key), self.problems)

    def tables(self, key: str) -> list[Reader]:
        """Return readers for an array of tables ([[key]])."""
        value = self._get(key)
        if value is None:
            return []
        if isinstance(value, dict):
            self.problem(key, f"is written [{self.key_path(key)}] (one table); write "
                         f"[[{self.key_path(key)}]] with two brackets, once before each entry")
            return []
        if not isinstance(value, list):
            self.problem(key, f"must be an array of tables ([[{key}]]), got {_kind(value)}")
            return []
        return [Reader(item, f"{self.key_path(key)}[{i}]", self.problems)
                for i, item in enumerate(value)]

    def rest(self) -> dict[str, Any]:
        """Return the keys not read yet, marking them seen."""
        left = {k: v for k, v in self.data.items() if k not in self.seen}
        self.seen.update(left)
        return left

    def finish(self) -> None:
        """Report every key that no accessor read."""
        allowed = ", ".join(sorted(self.seen)) or "none"
        for key in self.data:
            if key not in self.seen:
                self.problem(key, f"unknown key{did_you_mean(key, self.seen)}; "
                             f"allowed here: {allowed}")


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """Return ' (did you mean "x"?)' for the closest known key, or ''."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.7)
    return f' (did you mean "{close[0]}"?)' if close else ""
