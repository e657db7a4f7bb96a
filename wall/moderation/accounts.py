"""Rules about the kind of post and its author: consent, replies, bots, young accounts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wall.models import Post
from wall.moderation.rules import Context, Outcome, Rule, Verdict
from wall.moderation.settings import ModerationSection

_NOBOT = re.compile(r"(?<!\w)#no ?bots?(?!\w)", re.IGNORECASE)


def consent_rule(post: Post, context: Context) -> Verdict | None:
    """Never show authors who opted out of being indexed or shown by bots."""
    if post.author_noindex:
        return Verdict("reject", "author opted out of indexing (noindex)")
    if post.author_discoverable is False:
        return Verdict("reject", "author opted out of discovery (discoverable: false)")
    if post.author_bio and _NOBOT.search(post.author_bio):
        return Verdict("reject", "author opted out with #nobot in their bio")
    return None


def kinds_rule(section: ModerationSection) -> Rule | None:
    """Drop replies, reposts, bot accounts and sensitive posts, each switchable."""
    checks = [
        (section.drop_replies, "is_reply", "a reply (drop_replies)"),
        (section.drop_reposts, "is_repost", "a repost or boost (drop_reposts)"),
        (section.drop_bots, "author_bot", "posted by a bot account (drop_bots)"),
    ]
    active = [(attr, reason) for on, attr, reason in checks if on]
    sensitive = section.drop_sensitive
    if not active and not sensitive:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        for attr, reason in active:
            if getattr(post, attr):
                return Verdict("reject", reason)
        if sensitive and (post.sensitive or post.spoiler_text):
            return Verdict("reject", "marked sensitive or behind a content warning "
                           "(drop_sensitive)")
        return None

    return rule


def _age_days(post: Post, context: Context) -> float | None:
    if post.author_created_at is None:
        return None
    now = context.now or datetime.now(UTC)
    born = post.author_created_at
    if born.tzinfo is None:
        born = born.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return (now - born).total_seconds() / 86400


def account_rule(min_age_days: int, min_followers: int, outcome: Outcome) -> Rule | None:
    """Hold posts from accounts younger or less followed than the config asks."""
    if not min_age_days and not min_followers:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        age = _age_days(post, context)
        if min_age_days and age is not None and age < min_age_days:
            return Verdict(outcome, f"account {max(0, int(age))} days old "
                           f"(less than {min_age_days})")
        followers = post.author_followers
        if min_followers and followers is not None and followers < min_followers:
            return Verdict(outcome, f"{followers} followers (fewer than {min_followers})")
        return None

    return rule
