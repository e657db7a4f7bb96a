"""The rules about what a post says and where it links: each pure, each with a reason."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Literal

from wall.media.rules import media_verdict
from wall.media.settings import MediaRules
from wall.models import Post
from wall.moderation.matching import AuthorList, WordList, domain_blocked, link_host, post_links
from wall.moderation.normalize import fold, shingles

Outcome = Literal["reject", "hold", "approve", "note"]


@dataclass(frozen=True)
class Verdict:
    """One rule firing: its outcome and a reason a moderator can read."""

    outcome: Outcome
    reason: str


@dataclass(frozen=True)
class Seen:
    """A recent post, as the spam rules need it.

    The pipeline keeps the same recent posts from one group to the next (desk.RulesContext)
    and every new post is compared with each of them: what the comparison needs of a
    recent post is worked out once, here, instead of once per post compared.
    """

    network: str
    handle: str
    text: str
    at: datetime

    @cached_property
    def author(self) -> str:
        """The author, keyed as author_key does."""
        return author_key(self.network, self.handle)

    @cached_property
    def folded(self) -> str:
        """The text as the duplicate rule compares it."""
        return fold(self.text).strip()

    @cached_property
    def shingles(self) -> frozenset[str]:
        """The text's word trigrams, for near-duplicates."""
        return shingles(self.text)

    @cached_property
    def moment(self) -> datetime:
        """When it was stored, with a timezone (UTC if it had none)."""
        return self.at if self.at.tzinfo is not None else self.at.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Context:
    """Read-only facts the pipeline gathers for the rules: recent posts, blocked authors."""

    now: datetime | None = None
    recent: tuple[Seen, ...] = ()
    blocked: frozenset[str] = field(default_factory=frozenset)


Rule = Callable[[Post, Context], Verdict | None]


def author_key(network: str, handle: str) -> str:
    """Return how authors are keyed across posts: network and folded handle."""
    return f"{network}:{fold(handle.strip()).lstrip('@')}"


def _places(post: Post) -> Iterable[tuple[str, str]]:
    yield "text", post.text
    yield "author name", post.author
    if post.spoiler_text:
        yield "content warning", post.spoiler_text
    for media in post.media:
        if media.alt:
            yield "image description", media.alt


def words_rule(entries: Iterable[str], outcome: Outcome, label: str) -> Rule | None:
    """Match words and phrases in text, author name, content warning and alt texts."""
    listed = WordList(entries)
    if not listed:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        for where, value in _places(post):
            found = listed.find(value)
            if found is not None:
                return Verdict(outcome, f'{label} "{found}" in {where}')
        return None

    return rule


def patterns_rule(patterns: Iterable[str], outcome: Outcome) -> Rule | None:
    """Match regular expressions on the folded text, author name and alt texts."""
    compiled = [(p, re.compile(p)) for p in patterns]
    if not compiled:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        for where, value in _places(post):
            folded = fold(value)
            for source, pattern in compiled:
                if pattern.search(folded):
                    return Verdict(outcome, f"blocked pattern /{source}/ in {where}")
        return None

    return rule


def authors_rule(entries: Iterable[str], outcome: Outcome, label: str) -> Rule | None:
    """Decide on every post by an author in a list."""
    listed = AuthorList(entries)
    if not (listed.any_network or listed.scoped or listed.ids):
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        found = listed.find(post)
        return Verdict(outcome, f"{label} {found}") if found else None

    return rule


def moderator_blocks_rule() -> Rule:
    """Reject posts by authors a moderator blocked from the tablet."""

    def rule(post: Post, context: Context) -> Verdict | None:
        who = post.handle or post.author
        if context.blocked and author_key(post.network, who) in context.blocked:
            return Verdict("reject", f"author {who} blocked by a moderator")
        return None

    return rule


def links_rule(domains: Iterable[str], max_links: int) -> Rule | None:
    """Reject links to blocked domains, hold posts with too many links."""
    blocked = tuple(domains)
    if not blocked and not max_links:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        links = post_links(post)
        for link in links:
            domain = domain_blocked(link_host(link), blocked)
            if domain:
                return Verdict("reject", f'link to blocked domain "{domain}"')
        if max_links and len(links) > max_links:
            return Verdict("hold", f"{len(links)} links (more than {max_links})")
        return None

    return rule


def counts_rule(max_hashtags: int, max_mentions: int, outcome: Outcome) -> Rule | None:
    """Hold posts stuffed with hashtags or mentions, a mark of hashtag hijacking."""
    if not max_hashtags and not max_mentions:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        # Counting the signs first spares the regular expressions on most posts.
        if max_hashtags and post.text.count("#") > max_hashtags \
                and len(post.hashtags) > max_hashtags:
            return Verdict(outcome, f"{len(post.hashtags)} hashtags (more than {max_hashtags})")
        if max_mentions and post.text.count("@") > max_mentions \
                and len(post.mentions) > max_mentions:
            return Verdict(outcome, f"{len(post.mentions)} mentions (more than {max_mentions})")
        return None

    return rule


def media_rule(rules: MediaRules) -> Rule:
    """Return the rule of [moderation.media] (e.g. images required) for the rule engine."""

    def rule(post: Post, context: Context | None = None) -> Verdict | None:
        found = media_verdict(post, rules)
        return Verdict(found[0], found[1]) if found else None

    return rule
