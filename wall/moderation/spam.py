"""Spam heuristics over recent posts: per-author caps and (near-)duplicate texts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wall.models import Post
from wall.moderation.normalize import fold, mixed_script_words, shingles, similarity
from wall.moderation.rules import Context, Outcome, Rule, Seen, Verdict, author_key


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _window(context: Context, post: Post, minutes: int) -> list[Seen]:
    now = _aware(context.now or post.created_at)
    start = now - timedelta(minutes=minutes)
    return [s for s in context.recent if start <= s.moment <= now]


def author_cap_rule(max_posts: int, minutes: int, outcome: Outcome) -> Rule | None:
    """Hold an author's posts past N within a window."""
    if not max_posts:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        key = author_key(post.network, post.handle or post.author)
        count = sum(1 for s in _window(context, post, minutes) if s.author == key)
        if count >= max_posts:
            return Verdict(outcome, f"{count + 1} posts by this author in {minutes} min "
                           f"(limit {max_posts})")
        return None

    return rule


def duplicate_rule(minutes: int, threshold: float, outcome: Outcome) -> Rule | None:
    """Hold a text that repeats, or nearly repeats, another author's recent post."""
    if not minutes:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        key = author_key(post.network, post.handle or post.author)
        mine = fold(post.text).strip()
        my_shingles = shingles(post.text)
        size = len(my_shingles)
        for seen in _window(context, post, minutes):
            if seen.author == key:
                continue
            if seen.folded == mine:
                return Verdict(outcome, f"same text as a post by {seen.handle} "
                               f"in the last {minutes} min")
            theirs = seen.shingles
            # Jaccard similarity is at most the smaller set's size over the larger's:
            # most texts are told apart by their lengths, without a set operation.
            if min(size, len(theirs)) < threshold * max(size, len(theirs)):
                continue
            score = similarity(my_shingles, theirs)
            if score >= threshold:
                return Verdict(outcome, f"{round(score * 100)}% like a post by {seen.handle} "
                               f"in the last {minutes} min")
        return None

    return rule


def mixed_script_rule(enabled: bool, outcome: Outcome) -> Rule | None:
    """Hold a post with a word mixing scripts, a look-alike trick ("pаypal", Cyrillic а)."""
    if not enabled:
        return None

    def rule(post: Post, context: Context) -> Verdict | None:
        if post.text.isascii() and post.author.isascii():
            return None
        found = mixed_script_words(post.text) or mixed_script_words(post.author)
        if found:
            return Verdict(outcome, f'word "{found[0][:40]}" mixes scripts (look-alike letters)')
        return None

    return rule
