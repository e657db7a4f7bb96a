"""Exports of a wall's store: the audit trail (CSV or JSON lines) and posts (JSON lines)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select

from wall.payloads import iso
from wall.store import Store, schema

AUDIT_FIELDS = ("id", "at", "actor", "action", "post_id", "network", "handle", "author",
                "text", "reasons", "undone")
BATCH = 1000


def audit_rows(store: Store, *, limit: int | None = None,
               newest_first: bool = False) -> list[dict[str, Any]]:
    """Return audit entries with who, when, what and why, and the post they concern."""
    return list(_audit(store, limit=limit, newest_first=newest_first))


def _audit(store: Store, *, limit: int | None, newest_first: bool) -> Iterator[dict[str, Any]]:
    a, p = schema.audit.c, schema.posts.c
    query = (select(a.id, a.at, a.actor, a.action, a.post_id, a.reasons_json, a.undone,
                    p.network, p.handle, p.author, p.text)
             .select_from(schema.audit.outerjoin(schema.posts, p.id == a.post_id))
             .order_by(a.id.desc() if newest_first else a.id.asc()))
    if limit is not None:
        query = query.limit(limit)
    with store.read() as conn:
        for row in conn.execute(query).mappings():
            yield {
                "id": row["id"], "at": iso(row["at"]), "actor": row["actor"],
                "action": row["action"], "post_id": row["post_id"],
                "network": row["network"], "handle": row["handle"], "author": row["author"],
                "text": row["text"], "reasons": json.loads(row["reasons_json"] or "[]"),
                "undone": bool(row["undone"]),
            }


def write_audit(store: Store, fmt: str, out: IO[str]) -> int:
    """Write the whole audit trail as "csv" or "jsonl"; return the number of entries."""
    count = 0
    writer = csv.DictWriter(out, fieldnames=AUDIT_FIELDS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    for entry in _audit(store, limit=None, newest_first=False):
        if writer is not None:
            row = {**entry, "reasons": "; ".join(entry["reasons"])}
            writer.writerow({k: _cell(v) for k, v in row.items()})
        else:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        count += 1
    return count


# A cell that a spreadsheet would read as a formula. "=" always starts one; "+", "-"
# and "@" only when what follows is more than a handle, a number or a date: "@name",
# "-5" and "+33 6 12" stay as they are, "@SUM(A1)" and "-2+cmd|' /C calc'!A0" do not.
_PLAIN_AFTER_SIGN = re.compile(r"[\w.@:/ -]*")


def _cell(value: Any) -> Any:
    """Defuse a spreadsheet formula in hostile text ("=HYPERLINK(...)") by quoting it."""
    if not isinstance(value, str) or not value:
        return value
    first, rest = value[0], value[1:]
    if first in ("=", "\t", "\r") or (first in "+-@" and not _PLAIN_AFTER_SIGN.fullmatch(rest)):
        return "'" + value
    return value


def write_posts(store: Store, out: IO[str], status: str | None = None) -> int:
    """Write stored posts as JSON lines with the webhook's fields (docs/moderation.md)."""
    p = schema.posts.c
    count, last = 0, 0
    while True:
        query = select(schema.posts).where(p.id > last).order_by(p.id).limit(BATCH)
        if status:
            query = query.where(p.status == status)
        with store.read() as conn:
            rows = conn.execute(query).mappings().all()
        if not rows:
            return count
        for row in rows:
            out.write(json.dumps(_post_line(row), ensure_ascii=False) + "\n")
            last = int(row["id"])
            count += 1


def _post_line(row: Any) -> dict[str, Any]:
    media = json.loads(row["media_json"] or "[]")
    line: dict[str, Any] = {
        "id": f"{row['source']}:{row['external_id']}", "author": row["author"],
        "handle": row["handle"] or "", "text": row["text"], "url": row["url"],
        "created_at": iso(row["created_at"]), "avatar_url": row["avatar_url"],
        "network": row["network"], "language": row["language"],
        "media": [{"url": m.get("url", ""), "alt": m.get("alt", "")} for m in media],
        "status": row["status"], "reasons": json.loads(row["reasons_json"] or "[]"),
    }
    line.update(json.loads(row.get("facts_json") or "{}"))
    return {k: v for k, v in line.items() if v not in (None, "", [])}
