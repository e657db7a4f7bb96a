"""The [[sources]] tables of the real sources: defaults and clear errors."""

from __future__ import annotations

from typing import Any

import pytest

from wall.config import ConfigError, parse_config
from wall.sources.bluesky import JETSTREAM, BlueskyOptions
from wall.sources.mastodon import MastodonOptions
from wall.sources.x import XOptions


def _source(table: dict[str, Any]) -> Any:
    return parse_config({"sources": [table]}).sources[0].options


def test_defaults() -> None:
    masto = _source({"type": "mastodon"})
    assert isinstance(masto, MastodonOptions) and masto.instances == ("https://mastodon.social",)
    sky = _source({"type": "bluesky"})
    assert isinstance(sky, BlueskyOptions) and sky.jetstream_url == JETSTREAM
    x = _source({"type": "x", "bearer_token_env": "X_TOKEN", "hashtags": ["#Own"]})
    assert isinstance(x, XOptions) and x.read_budget == 0 and x.hashtags == ("Own",)


@pytest.mark.parametrize(("table", "message"), [
    ({"type": "x"}, "sources[0].bearer_token_env: is required"),
    ({"type": "x", "bearer_token_env": "T", "read_budget": -1}, "sources[0].read_budget"),
    ({"type": "mastodon", "instances": ["mastodon.social"]}, "sources[0].instances[0]: must be"),
    ({"type": "mastodon", "interval": 0}, "sources[0].interval: must be from 1"),
    ({"type": "bluesky", "jetstream_url": "https://x"}, "must start with wss://"),
    ({"type": "bluesky", "handle_env": "H"}, "set both handle_env and app_password_env"),
    ({"type": "rss"}, "sources[0].url: is required"),
    ({"type": "rss", "url": "file:///etc/passwd"}, "must be an http(s) feed URL"),
    ({"type": "attendees", "posts_per_client": 0}, "sources[0].posts_per_client"),
    ({"type": "rss", "url": "https://a.example/f", "token": "x"}, "sources[0].token: unknown key"),
])
def test_bad_source_tables_name_the_key(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"sources": [table]})
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_reading_the_config_imports_no_network_library() -> None:
    # The CLI reads the config before gevent/eventlet monkey-patch the standard library:
    # a source module importing requests (and so ssl) at that point would break patching.
    import subprocess
    import sys

    code = ("import sys; from wall.config import load_config; "
            "load_config('config/example.toml'); "
            "print(sorted(m for m in ('ssl', 'requests', 'websocket', 'tweepy', 'feedparser') "
            "if m in sys.modules))")
    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
