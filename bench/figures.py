"""Pure helpers of the benchmark: percentiles, summaries and the printed table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Return the pct-th percentile (nearest rank), or None for no values."""
    if not values:
        return None
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return float(ordered[rank - 1])


@dataclass(frozen=True)
class Latency:
    """Percentiles of a latency sample, in milliseconds, and how many were expected."""

    p50: float | None
    p95: float | None
    p99: float | None
    count: int
    expected: int

    @property
    def lost(self) -> int:
        """Return how many expected deliveries never arrived (never negative)."""
        return max(0, self.expected - self.count)


def summarise(values: Sequence[float], expected: int) -> Latency:
    """Summarise latencies; a missing delivery counts as lost, not as a number."""
    ordered = sorted(values)
    return Latency(percentile(ordered, 50), percentile(ordered, 95), percentile(ordered, 99),
                   len(ordered), expected)


def ms(value: float | None) -> str:
    """Format milliseconds for the table."""
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def ratio(value: float | None, reference: float | None) -> str:
    """Format value / reference as '1.23x', or '-' when either is missing."""
    if value is None or reference is None or reference == 0:
        return "-"
    return f"{value / reference:.2f}x"


def render(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Render a Markdown table (readable as text too)."""
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(headers)]
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def parse_mark(text: str) -> tuple[str, int, float] | None:
    """Read the 'bench:<phase><n>:<ms>' mark the driver puts in a post's text."""
    import re

    match = re.search(r"bench:([a-z])(\d+):(\d+(?:\.\d+)?)", text)
    if not match:
        return None
    return match.group(1), int(match.group(2)), float(match.group(3))


def mark(phase: str, n: int, sent_ms: float) -> str:
    """Write the mark a load client reads back (see screens.js)."""
    return f"bench:{phase}{n}:{sent_ms:.1f}"
