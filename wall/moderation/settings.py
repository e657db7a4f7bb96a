"""The [moderation] config table, read into a typed section with every problem listed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wall.configreader import Reader
from wall.media.settings import MediaRules, read_media_rules

MODERATION_MODES = ("pre", "post")
BLOCK_OUTCOMES = ("reject", "hold")
PROFANITY_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class ModerationSection:
    """Rules applied to every post before anyone sees it (docs/moderation.md)."""

    mode: str = "pre"
    blocked_words: tuple[str, ...] = ()
    blocked_words_outcome: str = "reject"
    blocked_patterns: tuple[str, ...] = ()
    profanity: bool = False
    profanity_languages: tuple[str, ...] = PROFANITY_LANGUAGES
    profanity_outcome: str = "reject"
    blocked_authors: tuple[str, ...] = ()
    trusted_authors: tuple[str, ...] = ()
    ambassadors: tuple[str, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    max_links: int = 0
    max_hashtags: int = 0
    max_mentions: int = 0
    languages: tuple[str, ...] = ()
    detect_language: bool = True
    drop_replies: bool = True
    drop_reposts: bool = True
    drop_bots: bool = True
    drop_sensitive: bool = True
    min_account_age_days: int = 0
    min_followers: int = 0
    author_max_posts: int = 0
    author_window_minutes: int = 10
    duplicate_window_minutes: int = 0
    near_duplicate_similarity: float = 0.8
    spam_outcome: str = "hold"
    mixed_script_words: bool = False
    toxicity: bool = False
    toxicity_threshold: float = 0.8
    min_rating: int = 0
    media: MediaRules = field(default_factory=MediaRules)

    @property
    def history_minutes(self) -> int:
        """Return how far back the spam rules look, 0 when none is on."""
        return max(self.author_window_minutes if self.author_max_posts else 0,
                   self.duplicate_window_minutes)


def _patterns(r: Reader) -> tuple[str, ...]:
    out = r.strings("blocked_patterns")
    for i, pattern in enumerate(out):
        try:
            re.compile(pattern)
        except re.error as exc:
            r.problem(f"blocked_patterns[{i}]", f"is not a valid regular expression: {exc}")
    return out


def _languages(r: Reader, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    codes = tuple(c.lower() for c in r.strings(key, default))
    for i, code in enumerate(codes):
        if not re.fullmatch(r"[a-z]{2}", code):
            r.problem(f"{key}[{i}]", f'must be a two-letter language code such as "en" '
                      f'(got "{code}")')
    return codes


def parse_moderation(r: Reader) -> ModerationSection:
    """Read a [moderation] table; problems go to the reader's list."""
    section = ModerationSection(
        mode=r.string("mode", "pre", choices=MODERATION_MODES),
        blocked_words=r.strings("blocked_words"),
        blocked_words_outcome=r.string("blocked_words_outcome", "reject", choices=BLOCK_OUTCOMES),
        blocked_patterns=_patterns(r),
        profanity=r.boolean("profanity", False),
        profanity_languages=_languages(r, "profanity_languages", PROFANITY_LANGUAGES),
        profanity_outcome=r.string("profanity_outcome", "reject", choices=BLOCK_OUTCOMES),
        blocked_authors=r.strings("blocked_authors"),
        trusted_authors=r.strings("trusted_authors"),
        ambassadors=r.strings("ambassadors"),
        blocked_domains=tuple(d.lower().lstrip(".") for d in r.strings("blocked_domains")),
        max_links=r.integer("max_links", 0, low=0, high=100),
        max_hashtags=r.integer("max_hashtags", 0, low=0, high=100),
        max_mentions=r.integer("max_mentions", 0, low=0, high=100),
        languages=_languages(r, "languages", ()),
        detect_language=r.boolean("detect_language", True),
        drop_replies=r.boolean("drop_replies", True),
        drop_reposts=r.boolean("drop_reposts", True),
        drop_bots=r.boolean("drop_bots", True),
        drop_sensitive=r.boolean("drop_sensitive", True),
        min_account_age_days=r.integer("min_account_age_days", 0, low=0, high=36500),
        min_followers=r.integer("min_followers", 0, low=0, high=10**9),
        author_max_posts=r.integer("author_max_posts", 0, low=0, high=10_000),
        author_window_minutes=r.integer("author_window_minutes", 10, low=1, high=1440),
        duplicate_window_minutes=r.integer("duplicate_window_minutes", 0, low=0, high=1440),
        near_duplicate_similarity=r.number("near_duplicate_similarity", 0.8, low=0.1, high=1.0),
        spam_outcome=r.string("spam_outcome", "hold", choices=BLOCK_OUTCOMES),
        mixed_script_words=r.boolean("mixed_script_words", False),
        toxicity=r.boolean("toxicity", False),
        toxicity_threshold=r.number("toxicity_threshold", 0.8, low=0.0, high=1.0),
        min_rating=r.integer("min_rating", 0, low=0, high=5),
        media=read_media_rules(r.table("media")),
    )
    for i, code in enumerate(section.profanity_languages):
        if code not in PROFANITY_LANGUAGES:
            r.problem(f"profanity_languages[{i}]", f'no built-in list for "{code}"; '
                      f"available: {', '.join(PROFANITY_LANGUAGES)}")
    r.finish()
    return section
