"""`socialwall export ambassadors --format csv`: the programme for the communications team."""

from __future__ import annotations

import csv
import json
from typing import IO

from wall.ambassadors.queries import export_rows
from wall.exports import _cell
from wall.store import Store

# Handles are validated to letters, digits, dots, dashes and @: never a formula, kept as typed.
SAFE = ("handles", "verified")
FIELDS = ("name", "team", "status", "handles", "charter_version", "accepted_at", "verified",
          "posts_counted", "left_at")


def write_ambassadors(store: Store, fmt: str, out: IO[str]) -> int:
    """Write one row per enrolment as CSV (formulas defused) or JSON lines; return the count."""
    count = 0
    writer = csv.DictWriter(out, fieldnames=FIELDS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    for row in export_rows(store):
        if writer:
            writer.writerow({k: v if k in SAFE else _cell(v) for k, v in row.items()})
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
