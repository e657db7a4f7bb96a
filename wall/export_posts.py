"""Posts exported after the event: CSV for spreadsheets, an offline HTML folder with images."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from wall.exports import _cell
from wall.payloads import iso
from wall.resources import shared
from wall.store import Store, schema

BATCH = 1000
CSV_FIELDS = ("id", "network", "author", "handle", "text", "url", "created_at", "status",
              "highlighted", "hashtags", "images", "decided_by")


def rows(store: Store, status: str | None = None) -> Iterator[Any]:
    """Yield stored posts in id order, a batch per read."""
    p = schema.posts.c
    last = 0
    while True:
        query = select(schema.posts).where(p.id > last).order_by(p.id).limit(BATCH)
        if status:
            query = query.where(p.status == status)
        with store.read() as conn:
            batch = conn.execute(query).mappings().all()
        if not batch:
            return
        yield from batch
        last = int(batch[-1]["id"])


def write_csv(store: Store, out: IO[str], status: str | None = None) -> int:
    """Write posts as CSV, formulas defused; return how many."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    count = 0
    for row in rows(store, status):
        media = json.loads(row["media_json"] or "[]")
        line = {
            "id": f"{row['source']}:{row['external_id']}", "network": row["network"],
            "author": row["author"], "handle": row["handle"], "text": row["text"],
            "url": row["url"] or "", "created_at": iso(row["created_at"]),
            "status": row["status"], "highlighted": bool(row["highlighted"]),
            "hashtags": " ".join(json.loads(row["hashtags_json"] or "[]")),
            "images": " ".join(m.get("url", "") for m in media),
            "decided_by": row["decided_by"] or "",
        }
        writer.writerow({k: _cell(v) for k, v in line.items()})
        count += 1
    return count


def _local_file(media_root: Path, url: str | None) -> Path | None:
    """Return the file behind a /media/... URL of this server, refusing anything outside."""
    if not url or not url.startswith("/media/"):
        return None
    path = (media_root / url[len("/media/"):]).resolve()
    if not path.is_relative_to(media_root.resolve()) or not path.is_file():
        return None
    return path


def _copy(media_root: Path, url: str | None, images: Path) -> str | None:
    """Copy a cached image into the export; return its path relative to index.html."""
    source = _local_file(media_root, url)
    if source is None:
        return None
    images.mkdir(exist_ok=True)
    shutil.copyfile(source, images / source.name)  # names are content hashes: no clashes
    return f"images/{source.name}"


def write_html(store: Store, folder: Path, media_root: Path, title: str,
               status: str | None = "approved") -> int:
    """Write folder/index.html and folder/images/: the wall's posts, viewable offline."""
    folder.mkdir(parents=True, exist_ok=True)
    images = folder / "images"
    posts = []
    for row in rows(store, status):
        media = json.loads(row["media_json"] or "[]")
        posts.append({
            "author": row["author"], "handle": row["handle"], "text": row["text"],
            "network": row["network"], "created_at": iso(row["created_at"]),
            "url": row["url"] if (row["url"] or "").startswith(("https://", "http://")) else "",
            "avatar": _copy(media_root, row["avatar_local"], images),
            "images": [{"src": src, "alt": m.get("alt", "")} for m in media
                       if (src := _copy(media_root, m.get("full") or m.get("local"), images))],
        })
    # Autoescape is on: every post field is hostile text and is only ever escaped.
    env = Environment(loader=FileSystemLoader(shared("templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.get_template("export_posts.html").render(title=title, posts=posts)
    (folder / "index.html").write_text(html, encoding="utf-8")
    return len(posts)
