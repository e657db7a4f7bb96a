"""The demo dataset and the images generated for it at first run."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from wall.config import ModerationSection
from wall.demo_media import (
    SCENE_NAMES,
    author_slug,
    avatar_color,
    avatar_path,
    ensure_demo_media,
    initials,
    load_dataset,
    scene_path,
)
from wall.models import Post
from wall.moderation import RuleSet

# The same rules as config/demo.toml.
DEMO_RULES = ModerationSection(
    mode="pre",
    blocked_words=("arnaque", "scam", "crypto-giveaway"),
    blocked_authors=("@spambot3000",),
    trusted_authors=("@velocia",),
)
NETWORKS = {"mastodon", "bluesky", "x", "rss"}


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return load_dataset()


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("media")
    ensure_demo_media(root)
    return root


def as_post(raw: dict[str, Any], authors: dict[str, dict[str, str]], n: int) -> Post:
    author = authors[raw["author"]]
    return Post(source="demo", external_id=str(n), network=author["network"],
                author=author["name"], handle=raw["author"], text=raw["text"])


def test_dataset_size_languages_and_authors(data: dict[str, Any]) -> None:
    posts, authors = data["posts"], data["authors"]
    assert len(posts) >= 300
    langs = Counter(p["lang"] for p in posts)
    assert set(langs) == {"fr", "en"}
    assert min(langs.values()) >= 0.3 * len(posts)
    assert len(authors) >= 30
    handles = [a["handle"] for a in authors]
    assert len(set(handles)) == len(handles)
    assert all(a["name"] and a["network"] in NETWORKS for a in authors)
    assert {a["network"] for a in authors} == NETWORKS
    assert all(p["author"] in set(handles) for p in posts)
    assert set(handles) == {p["author"] for p in posts}, "every author posts something"


def test_posts_are_well_formed(data: dict[str, Any]) -> None:
    for post in data["posts"]:
        assert isinstance(post["text"], str) and 0 < len(post["text"]) <= 280, post
        assert (post["photo"] is None) == (post["alt"] is None), post
    most_velociadays = sum("#velociadays" in p["text"].lower() for p in data["posts"])
    assert most_velociadays > len(data["posts"]) / 2


def test_replay_order_is_not_grouped_by_author(data: dict[str, Any]) -> None:
    posts = data["posts"]
    assert all(a["author"] != b["author"] for a, b in zip(posts, posts[1:], strict=False))


def test_photos_name_generated_scenes(data: dict[str, Any]) -> None:
    photos = [p for p in data["posts"] if p["photo"]]
    assert 0.2 * len(data["posts"]) <= len(photos) <= 0.4 * len(data["posts"])
    assert {p["photo"] for p in photos} <= set(SCENE_NAMES)
    assert all(p["alt"].strip() for p in photos)
    assert len(SCENE_NAMES) >= 10


def test_demo_rules_block_some_posts_and_trust_the_brand(data: dict[str, Any]) -> None:
    rules = RuleSet.from_config(DEMO_RULES)
    authors = {a["handle"]: a for a in data["authors"]}
    decided = [(raw, rules.decide(as_post(raw, authors, n)))
               for n, raw in enumerate(data["posts"])]
    rejected = [raw for raw, d in decided if d.status == "rejected"]
    assert 8 <= len(rejected) <= 20
    assert sum(raw["author"] == "@spambot3000" for raw in rejected) >= 3
    words = {w for w in DEMO_RULES.blocked_words if any(w in r["text"].lower() for r in rejected)}
    assert words == set(DEMO_RULES.blocked_words)
    trusted = [raw for raw, d in decided if d.status == "approved"]
    assert trusted and all(raw["author"] == "@velocia" for raw in trusted)


def test_dataset_holds_html_looking_texts_to_display_literally(data: dict[str, Any]) -> None:
    texts = [p["text"] for p in data["posts"]]
    assert any("<img src=x onerror=alert(1)>" in t for t in texts)
    assert any("<b>workshop</b>" in t and "&" in t for t in texts)


def test_paths_and_slugs() -> None:
    assert author_slug("@camille@piston.social") == "camille-piston-social"
    assert author_slug("@Élodie.Roux") == "elodie-roux"
    assert author_slug("@@@") == "author"
    assert avatar_path("@velocia") == "avatars/velocia.png"
    assert scene_path("workshop") == "scenes/workshop.jpg"


def test_slugs_are_unique(data: dict[str, Any]) -> None:
    slugs = [author_slug(a["handle"]) for a in data["authors"]]
    assert len(set(slugs)) == len(slugs)


def test_initials_and_colours_are_stable() -> None:
    assert initials("Camille Martin") == "CM"
    assert initials("Garage & Co — le blog") == "GC"
    assert initials("Velocia") == "V"
    assert initials("") == "?"
    assert avatar_color("Camille Martin") == avatar_color("Camille Martin")


def test_generates_avatars_and_scenes(media: Path, data: dict[str, Any]) -> None:
    for author in data["authors"]:
        with Image.open(media / avatar_path(author["handle"])) as img:
            assert img.format == "PNG"
            assert img.size == (256, 256)
    for scene in SCENE_NAMES:
        with Image.open(media / scene_path(scene)) as img:
            assert img.format == "JPEG"
            assert img.size == (1200, 800)
            img.load()
    assert not [p for p in media.rglob("*") if p.name.startswith(".")], "no temporary files left"


def test_scenes_are_drawn_not_blank(media: Path) -> None:
    for scene in SCENE_NAMES:
        with Image.open(media / scene_path(scene)) as img:
            colours = img.convert("RGB").reduce(8).getcolors(maxcolors=100_000)
        assert colours is not None and len(colours) > 50, scene


def test_second_call_does_not_rewrite(media: Path) -> None:
    files = sorted(p for p in media.rglob("*") if p.is_file())
    old = 1_000_000_000
    for path in files:
        os.utime(path, (old, old))
    ensure_demo_media(media)
    assert all(path.stat().st_mtime == old for path in files)
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files


def test_missing_file_is_recreated_alone(media: Path) -> None:
    missing = media / scene_path("quiz")
    missing.unlink()
    other = media / scene_path("coffee")
    before = other.stat().st_mtime_ns
    ensure_demo_media(media)
    assert missing.is_file()
    assert other.stat().st_mtime_ns == before
