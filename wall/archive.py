"""After the event: one zip of every export, and a purge of the wall's data and images."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import delete

from wall import export_posts, export_stats
from wall.config import WallConfig
from wall.exports import write_audit, write_posts
from wall.store import Store, schema

# Children first, so that foreign keys never refuse a delete.
PURGED = ("post_tags", "audit", "events", "posts", "screens", "cursors", "blocks",
          "wall_state", "moderator_accounts", "ambassador_handles", "ambassador_enrolments")


def media_root(config: WallConfig) -> Path:
    """Return the folder of the wall's images (cache and uploads)."""
    return config.server.instance_dir / "media"


def write_all(store: Store, config: WallConfig, folder: Path) -> list[str]:
    """Write every export into folder; return notes about anything left out."""
    notes: list[str] = []
    with open(folder / "posts.jsonl", "w", encoding="utf-8") as out:
        write_posts(store, out)
    with open(folder / "posts.csv", "w", encoding="utf-8", newline="") as out:
        export_posts.write_csv(store, out)
    export_posts.write_html(store, folder / "posts-html", media_root(config), config.wall.title)
    with open(folder / "stats.csv", "w", encoding="utf-8", newline="") as out:
        export_stats.write_csv(store, out)
    try:
        export_stats.write_png(store, folder / "stats.png", config.wall.title)
    except export_stats.ChartsMissing as exc:
        notes.append(f"stats.png left out: {exc}")
    with open(folder / "audit.csv", "w", encoding="utf-8", newline="") as out:
        write_audit(store, "csv", out)
    if config.path is not None and config.path.is_file():
        shutil.copyfile(config.path, folder / "config.toml")  # it holds no secret
    return notes


def archive(store: Store, config: WallConfig, target: Path) -> list[str]:
    """Write every export into one zip at target; return notes."""
    with tempfile.TemporaryDirectory(prefix="socialwall-archive-") as tmp:
        folder = Path(tmp)
        notes = write_all(store, config, folder)
        partial = target.with_name(target.name + ".part")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    bundle.write(path, path.relative_to(folder).as_posix())
        partial.replace(target)
    return notes


def purge(store: Store, config: WallConfig) -> dict[str, int]:
    """Delete every row of the wall and its images; return what went, by table."""
    gone: dict[str, int] = {}
    with store.begin() as conn:
        for name in PURGED:
            gone[name] = conn.execute(delete(schema.metadata.tables[name])).rowcount or 0
    images = 0
    root = media_root(config)
    for sub in ("cache", "uploads"):
        folder = root / sub
        if folder.is_dir():
            images += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder)
    gone["image files"] = images
    return gone
