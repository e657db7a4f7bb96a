"""Keywords, mentions and exclusions: what a wall keeps, table-driven, and their config."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import make_post
from wall.config import ConfigError, parse_config
from wall.listening import Listening, listen, matches, parse_mention
from wall.models import Post
from wall.sources.base import Checkpoint, Item, Runtime, listened

BRAND = Listening(hashtags=("VelociaDays",), keywords=("Velocia Auto", "Velocia"),
                  mentions=tuple(parse_mention(m) for m in (
                      "@velocia", "x:@velocia_fr", "mastodon:@velocia@mastodon.social",
                      "bluesky:@velocia.bsky.social")),
                  exclude_keywords=("velociraptor", "sans velocia"))

CASES: list[tuple[str, dict[str, Any], tuple[str, ...] | None]] = [
    # (what, post fields, matched; None: dropped)
    ("keyword alone", {"text": "My brakes were done in 20 minutes at Velocia Lille"},
     ("Velocia",)),
    ("phrase and word", {"text": "velocia auto is great"}, ("Velocia Auto", "Velocia")),
    ("case and accents folded", {"text": "Chez VÉLOCIA ce matin"}, ("Velocia",)),
    ("look-alike letters folded", {"text": "Chez Vеlосiа ce matin"}, ("Velocia",)),
    ("never inside a longer word", {"text": "Velocias and prevelocia are not it"}, None),
    ("possessive is a whole word", {"text": "Velocia's new shop"}, ("Velocia",)),
    ("phrase words must be in a row", {"text": "auto parts from velocia"}, ("Velocia",)),
    ("hashtag", {"text": "Great day #VelociaDays"}, ("#VelociaDays",)),
    ("hashtag outside the text", {"text": "Great day", "tags": ("velociadays",)},
     ("#VelociaDays",)),
    ("nothing of the brand", {"text": "Lunch time"}, None),
    ("excluded word wins", {"text": "Velocia velociraptor toy"}, None),
    ("excluded phrase", {"text": "Une journée sans Velocia"}, None),
    ("excluded word is a whole word", {"text": "Velociraptors at Velocia"}, ("Velocia",)),
    ("content warning is read", {"text": "see inside", "spoiler_text": "Velocia review"},
     ("Velocia",)),
    ("any-network mention in metadata", {"text": "thanks!", "network": "x",
                                         "mentioned": ("velocia",)}, ("@velocia",)),
    ("any-network mention in the text", {"text": "thanks @Velocia!", "network": "rss"},
     ("Velocia", "@velocia")),
    ("any-network mention, fediverse account", {"text": "merci", "network": "mastodon",
                                                "mentioned": ("velocia@piaille.fr",)},
     ("@velocia",)),
    ("any-network mention, Bluesky default domain",
     {"text": "merci", "network": "bluesky", "mentioned": ("velocia.bsky.social",)},
     ("@velocia", "bluesky:@velocia.bsky.social")),
    ("scoped mention on its network", {"text": "hi", "network": "x",
                                       "mentioned": ("velocia_fr",)}, ("x:@velocia_fr",)),
    ("scoped mention on another network", {"text": "hi", "network": "mastodon",
                                            "mentioned": ("velocia_fr",)}, None),
    ("scoped Mastodon account", {"text": "hi", "network": "mastodon",
                                 "mentioned": ("velocia@mastodon.social",)},
     ("@velocia", "mastodon:@velocia@mastodon.social")),
    ("a longer handle is another account", {"text": "hi", "network": "x",
                                            "mentioned": ("velocia_fan",)}, None),
]


@pytest.mark.parametrize(("fields", "expected"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_what_the_wall_keeps(fields: dict[str, Any], expected: tuple[str, ...] | None) -> None:
    kept, why = listen(make_post(**fields), BRAND)
    if expected is None:
        assert kept is None and why
    else:
        assert kept is not None and kept.matched == expected


def test_nothing_followed_keeps_all_but_excluded() -> None:
    only_excludes = Listening(exclude_keywords=("spoiler",))
    assert listen(make_post(text="anything at all"), only_excludes)[0] is not None
    assert listen(make_post(text="big SPOILER here"), only_excludes)[0] is None


def test_a_source_key_replaces_the_walls_key_only() -> None:
    own = Listening(keywords=("Norauto",))
    merged = own.over(BRAND)
    assert merged.keywords == ("Norauto",)
    assert merged.hashtags == BRAND.hashtags and merged.mentions == BRAND.mentions
    assert matches(make_post(text="Velocia"), merged) == ()


def _items(posts: list[Post]) -> Iterator[Item]:
    for i, post in enumerate(posts):
        yield Checkpoint(str(i), post)


def test_listened_keeps_cursor_of_dropped_posts_and_drops_empty_cards() -> None:
    posts = [make_post(text="at Velocia today"), make_post(text="off topic"),
             make_post(text="  ", tags=("velociadays",))]
    out = list(listened("s", _items(posts), BRAND))
    assert [i.cursor for i in out if isinstance(i, Checkpoint)] == ["0", "1", "2"]
    kept = [i.post for i in out if isinstance(i, Checkpoint) and i.post is not None]
    assert [p.matched for p in kept] == [("Velocia",)]


def test_runtime_follows_source_terms_over_the_walls() -> None:
    runtime = Runtime(sleep=lambda _s: None, stopping=lambda: True, listening=BRAND)
    assert runtime.follows(Listening(hashtags=("Other",))).hashtags == ("Other",)
    assert runtime.follows(Listening()).keywords == BRAND.keywords
    # Options built in code with hashtags only (no Listening) keep them.
    assert runtime.follows(Listening(), ("Own",)).hashtags == ("Own",)
    legacy = Runtime(sleep=lambda _s: None, stopping=lambda: True, hashtags=("Wall",))
    assert legacy.follows(Listening()).hashtags == ("Wall",)


def test_config_reads_listening_keys() -> None:
    config = parse_config({"wall": {
        "hashtags": ["#VelociaDays"], "keywords": ["Velocia Auto"],
        "mentions": ["@velocia", "mastodon:@velocia@mastodon.social"],
        "exclude_keywords": ["velociraptor"]}})
    listening = config.wall.listening
    assert listening.hashtags == ("VelociaDays",)
    assert listening.keywords == ("Velocia Auto",)
    assert [m.label for m in listening.mentions] == ["@velocia",
                                                     "mastodon:@velocia@mastodon.social"]
    assert listening.exclude_keywords == ("velociraptor",)


@pytest.mark.parametrize(("key", "value", "says"), [
    ("mentions", ["velocia"], 'must be "@handle" or "network:@handle"'),
    ("mentions", ["myspace:@velocia"], 'network "myspace" is not one of'),
    ("mentions", "@velocia", "must be a list of strings"),
    ("keywords", ["!!!"], "at least one letter or digit"),
    ("exclude_keywords", [""], "must be a non-empty string"),
])
def test_config_rejects_bad_listening_keys(key: str, value: object, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"wall": {key: value}})
    assert any(p.startswith(f"wall.{key}") and says in p for p in caught.value.problems), \
        caught.value.problems


def test_sources_accept_listening_keys() -> None:
    config = parse_config({"sources": [{
        "type": "mastodon", "keywords": ["Velocia"], "mentions": ["@velocia"],
        "exclude_keywords": ["raptor"]}]})
    own = config.sources[0].options.listening
    assert own.keywords == ("Velocia",) and own.exclude_keywords == ("raptor",)
    with pytest.raises(ConfigError) as caught:
        parse_config({"sources": [{"type": "rss", "url": "https://example.org/feed",
                                   "mentions": ["bad"]}]})
    assert any(p.startswith("sources[0].mentions[0]") for p in caught.value.problems)
