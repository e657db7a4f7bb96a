"""The [moderation] and [[moderators.accounts]] tables: every mistake named with its key."""

from __future__ import annotations

import pytest

from wall.config import ConfigError, parse_config


@pytest.mark.parametrize(("toml", "message"), [
    ({"moderation": {"blocked_patterns": ["(open"]}},
     "moderation.blocked_patterns[0]: is not a valid regular expression"),
    ({"moderation": {"profanity_languages": ["de"]}},
     'moderation.profanity_languages[0]: no built-in list for "de"'),
    ({"moderation": {"languages": ["english"]}},
     'moderation.languages[0]: must be a two-letter language code'),
    ({"moderation": {"spam_outcome": "delete"}}, "moderation.spam_outcome: must be one of"),
    ({"moderation": {"toxicity_threshold": 2}}, "moderation.toxicity_threshold: must be from 0"),
    ({"moderation": {"blockd_words": ["x"]}}, "moderation.blockd_words: unknown key"),
    ({"moderators": {"accounts": [{"name": "Al"}]}},
     "moderators.accounts[0].password_hash_env: is required"),
    ({"moderators": {"accounts": [{"name": "Al", "password_hash_env": "A"},
                                  {"name": "al", "password_hash_env": "B"}]}},
     'moderators.accounts[1].name: "al" is used by another account'),
])
def test_mistakes_are_named(toml: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(toml)
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_a_full_moderation_table_is_read() -> None:
    config = parse_config({"moderation": {
        "mode": "post", "ambassadors": ["@sophie"], "blocked_domains": [".Bit.ly"],
        "max_links": 2, "languages": ["FR", "en"], "drop_replies": False,
        "author_max_posts": 3, "duplicate_window_minutes": 30}})
    section = config.moderation
    assert section.blocked_domains == ("bit.ly",) and section.languages == ("fr", "en")
    assert section.drop_replies is False and section.history_minutes == 30
