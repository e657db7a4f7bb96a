"""Every adapter against payloads recorded from the networks' docs (tests/fixtures/*/ORIGIN.md)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest

from tests.standins import FIXTURES, fixture
from wall.listening import Listening, listen, parse_mention
from wall.models import Post
from wall.moderation import Context, ModerationSection, RuleSet
from wall.runtime import get_wall
from wall.sources import bluesky, mastodon, rss, x
from wall.sources.base import Checkpoint, listened
from wall.sources.mastodon_stream import _message
from wall.sources.text import html_to_text

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def decide(post: Post, **settings: Any) -> Any:
    """Decide a post under post-moderation with the given rule keys."""
    section = ModerationSection(**{"mode": "post", "drop_replies": False, **settings})
    return RuleSet.from_config(section).decide(post, Context(now=NOW))


# --- X -------------------------------------------------------------------------------


def test_x_docs_example_carries_everything_the_payload_holds() -> None:
    body = fixture("x/docs_example.json")
    [post] = x.posts_of(body, source="x")
    assert (post.external_id, post.author, post.handle) == \
        ("1307025659294674945", "Twitter Dev", "@TwitterDev")
    assert post.author_id == "2244994945" and post.language == "en" and post.is_reply
    article = "https://dev.to/twitterdev/understanding-the-new-tweet-payload-in-the-twitter-api-v2-1fg5"
    assert post.links == (article,)
    assert post.text.endswith(article) and "t.co" not in post.text
    assert post.author_followers == 513961 and post.avatar_url
    quoted = x.to_post(body["includes"]["tweets"][0], body["includes"], source="x")
    assert quoted.mentioned == ("suhemparack",) and quoted.hashtags == ("twitterapi",)
    assert "pic.twitter.com" not in quoted.text and "t.co" not in quoted.text


def test_x_edit_unescaped_with_real_links_and_the_original_id() -> None:
    [post] = x.posts_of(fixture("x/edited.json"), source="x")
    assert post.text.startswith("Brakes & tyres done in 20 min at Velocia Lille > any garage")
    assert post.external_id == "1859000000000000030"  # the original: an edit replaces it
    assert post.edited_at is not None and post.url and post.url.endswith("031")
    assert post.links == ("https://www.velocia.example/garages/lille?utm_source=x",)
    assert post.media[0].alt == "A car on a lift in a garage"
    assert post.mentioned == ("velocia",) and post.author_id == "1580000000000000077"


def test_x_rules_see_the_author_id_and_the_real_link() -> None:
    [post] = x.posts_of(fixture("x/edited.json"), source="x")
    assert decide(post, blocked_authors=("x:id:1580000000000000077",)).status == "rejected"
    blocked = decide(post, blocked_domains=("velocia.example",))
    assert blocked.status == "rejected" and any("velocia.example" in r for r in blocked.reasons)


def test_x_edit_replaces_the_original_on_the_wall(app: Any) -> None:
    body = fixture("x/edited.json")
    original = json.loads(json.dumps(body))
    tweet = original["data"][0]
    tweet.update(id="1859000000000000030", text="Brakes done at Velocia Lille",
                 edit_history_tweet_ids=["1859000000000000030"], entities={})
    pipeline = get_wall(app).pipeline
    for page in (original, body):
        for post in x.posts_of(page, source="x"):
            pipeline.submit(post)
    texts = [p["text"] for p in _posts(app)]
    assert len(texts) == 1 and texts[0].startswith("Brakes & tyres"), texts


def _posts(app: Any) -> list[dict[str, Any]]:
    reply = app.test_client().get("/api/posts?limit=100")
    return list(reply.get_json()["posts"])


# --- Mastodon ------------------------------------------------------------------------


def test_mastodon_docs_status_keeps_text_link_and_author() -> None:
    post = mastodon.to_post(fixture("mastodon/docs_status.json"), source="m")
    assert post.text.startswith('"I lost my inheritance with one wrong digit')
    assert post.handle == "@Gargron@mastodon.social" and post.author == "Eugen"
    assert post.links == ("https://www.theguardian.com/money/2019/dec/07/"
                          "i-lost-my-193000-inheritance-with-one-wrong-digit-on-my-sort-code",)
    assert post.language == "en" and post.author_followers == 322930


@pytest.mark.parametrize(("key", "still"), [
    ("video_only", "https://files.mastodon.social/media_attachments/files/022/546/306/small/"
                   "dab9a597f68b9745.png"),
    ("gifv", "https://files.mastodon.social/media_attachments/files/021/130/559/small/"
             "bc84838f77991326.png"),
])
def test_mastodon_video_and_gifv_hand_their_still_to_the_image_pipeline(
        key: str, still: str) -> None:
    post = mastodon.to_post(fixture("mastodon/media_statuses.json")[key], source="m")
    assert [m.url for m in post.media] == [still]
    assert not any(m.url.endswith(".mp4") for m in post.media)


def test_a_status_with_nothing_to_show_is_dropped_with_a_reason(
        caplog: pytest.LogCaptureFixture) -> None:
    statuses = fixture("mastodon/media_statuses.json")
    posts = [mastodon.to_post(statuses[k], source="m") for k in ("video_only", "audio_only")]
    items = [Checkpoint(str(i), p) for i, p in enumerate(posts)]
    with caplog.at_level(logging.INFO, logger="wall.sources.base"):
        out = list(listened("m", iter(items), Listening()))
    assert [i.post is not None for i in out if isinstance(i, Checkpoint)] == [True, False]
    assert "no text and no image" in caplog.text


def test_mastodon_mention_notification_carries_the_mentioned_account() -> None:
    [mention, _favourite] = fixture("mastodon/notifications.json")
    post = mastodon.to_post(mention["status"], source="m")
    assert post.mentioned == ("velocia@mastodon.social",)
    assert post.links == ("https://avis.example/velocia-lille",)
    assert post.handle == "@hugo@piaille.fr" and post.author_id == "https://piaille.fr/users/hugo"
    brand = Listening(mentions=(parse_mention("mastodon:@velocia@mastodon.social"),))
    assert listen(post, brand)[0] is not None


def test_payloadless_stream_events_are_not_logged_as_malformed(
        caplog: pytest.LogCaptureFixture) -> None:
    source = mastodon.MastodonSource("m", mastodon.MastodonOptions(instances=("https://a.example",)))
    with caplog.at_level(logging.WARNING):
        for event in fixture("mastodon/streaming_events.json").values():
            assert list(_message(source, "https://a.example", json.dumps(event))) == []
        assert list(_message(source, "https://a.example", "{not json")) == []
    assert caplog.text.count("malformed") == 1


# --- Bluesky -------------------------------------------------------------------------


def test_bluesky_docs_record_keeps_did_mention_and_link() -> None:
    records = fixture("bluesky/records.json")
    post = bluesky.to_post(records["docs_mentions_links"], source="b")
    assert post.author_id == "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
    assert post.mentioned == ("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "atproto.com")
    assert post.links == ("https://en.wikipedia.org/wiki/CBOR",)
    assert decide(post, blocked_domains=("wikipedia.org",)).status == "rejected"
    assert decide(post, blocked_authors=("bluesky:id:did:plc:u5cwb2mwiv2bfq53cjufe6yn",)
                  ).status == "rejected"
    card = bluesky.to_post(records["docs_external_embed"], source="b")
    assert card.links == ("https://bsky.app",)


def test_bluesky_self_labels_and_tags_outside_the_text() -> None:
    post = bluesky.to_post(fixture("bluesky/records.json")["self_labelled_tags"], source="b")
    assert post.sensitive and post.text == ""
    assert post.hashtags == ("velociadays", "garage")
    assert post.media[0].alt == "Before and after the repair" and post.language == "en"
    assert listen(post, Listening(hashtags=("VelociaDays",)))[0] is not None


def test_bluesky_search_view_labels_mark_the_post_sensitive() -> None:
    view = dict(fixture("bluesky/search_page1.json")["posts"][0])
    assert not bluesky.view_to_post(view, source="b").sensitive
    view["labels"] = [{"src": "did:plc:ar7c4by46qjdydhdevvrndac", "val": "porn",
                       "uri": view["uri"], "cts": "2026-11-21T09:30:02.000Z"}]
    assert bluesky.view_to_post(view, source="b").sensitive


# --- RSS -----------------------------------------------------------------------------


def test_guardian_feed_keeps_its_typeless_images_and_words_apart() -> None:
    parsed = feedparser.parse((FIXTURES / "rss/guardian.xml").read_bytes())
    posts = [rss.to_post(e, "The Guardian", source="r") for e in parsed.entries]
    assert len(posts) == 2
    first = posts[0]
    assert first.text.startswith("Myanmar junta accused of blocking aid for earthquake victims "
                                 "as airstrikes continue\nDoctors helping")
    assert "resistance groups\nAftermath of the Myanmar earthquake" in first.text
    assert [m.url.split("?")[1].split("&")[0] for m in first.media] == ["width=460"]
    assert first.author == "Kate Lamb, and Rebecca Ratcliffe in Bangkok"
    assert first.url == "https://www.theguardian.com/world/2025/apr/01/" \
        "myanmar-earthquake-junta-accused-blocking-aid"


@pytest.mark.parametrize(("markup", "text"), [
    ("<p>Kitchen</p><h2>HEY, YOU!</h2>", "Kitchen\nHEY, YOU!"),
    ("Kitchen<div>HEY, YOU!</div>", "Kitchen\nHEY, YOU!"),
    ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
    ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
    ("<b>bold</b> and <i>it</i>", "bold and it"),
])
def test_block_elements_keep_words_apart(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@pytest.mark.parametrize(("item", "kept"), [
    ({"url": "https://a.example/p.JPG"}, True),
    ({"url": "https://a.example/p.webp?w=1"}, True),
    ({"url": "https://a.example/clip.mp4"}, False),
    ({"url": "https://a.example/p", "medium": "image"}, True),
    ({"url": "https://a.example/p.jpg", "medium": "video"}, False),
    ({"url": "https://a.example/p", "type": "image/png"}, True),
    ({"url": "javascript:alert(1).png"}, False),
])
def test_media_content_without_a_type(item: dict[str, str], kept: bool) -> None:
    post = rss.to_post({"id": "1", "title": "t", "media_content": [item]}, "F", source="r")
    assert bool(post.media) is kept
