"""Moderation rules: a pure function from a post and the config to a decision."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from wall.config import ModerationSection
from wall.media.rules import media_rule
from wall.models import Decision, Post

Outcome = Literal["reject", "hold", "approve"]


@dataclass(frozen=True)
class Verdict:
    """One rule firing: its outcome and a reason a moderator can read."""

    outcome: Outcome
    reason: str


Rule = Callable[[Post], Verdict | None]


def fold(text: str) -> str:
    """Lower-case a text and strip accents, for matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_handle(handle: str) -> str:
    """Return a handle in the form rules compare: folded, without a leading @."""
    return fold(handle.strip()).lstrip("@")


def _word_pattern(words: Iterable[str]) -> tuple[re.Pattern[str], list[str]] | None:
    """Compile blocked words into one pattern; group wN matches the N-th word."""
    kept = [w.strip() for w in words if w.strip()]
    if not kept:
        return None
    parts = [f"(?P<w{i}>" + r"\s+".join(re.escape(p) for p in fold(w).split()) + ")"
             for i, w in enumerate(kept)]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"), kept


def blocked_words_rule(words: Iterable[str]) -> Rule:
    """Reject posts whose text or author name holds a blocked word or phrase."""
    compiled = _word_pattern(words)

    def rule(post: Post) -> Verdict | None:
        if compiled is None:
            return None
        pattern, kept = compiled
        for where, value in (("text", post.text), ("author name", post.author)):
            match = pattern.search(fold(value))
            if match and match.lastgroup:
                word = kept[int(match.lastgroup[1:])]
                return Verdict("reject", f'blocked word "{word}" in {where}')
        return None

    return rule


def _author_matcher(handles: Iterable[str]) -> Callable[[Post], str | None]:
    wanted = {normalize_handle(h) for h in handles if h.strip()}

    def match(post: Post) -> str | None:
        handle = normalize_handle(post.handle)
        if handle and handle in wanted:
            return handle
        # "@alice" in config also matches "@alice@instance" on federated networks.
        local = handle.split("@", 1)[0]
        if local and local in wanted:
            return local
        return None

    return match


def blocked_authors_rule(handles: Iterable[str]) -> Rule:
    """Reject every post by a blocked author."""
    match = _author_matcher(handles)

    def rule(post: Post) -> Verdict | None:
        found = match(post)
        return Verdict("reject", f"blocked author @{found}") if found else None

    return rule


def trusted_authors_rule(handles: Iterable[str]) -> Rule:
    """Approve posts by trusted authors without waiting for a moderator."""
    match = _author_matcher(handles)

    def rule(post: Post) -> Verdict | None:
        found = match(post)
        return Verdict("approve", f"trusted author @{found}") if found else None

    return rule


@dataclass(frozen=True)
class RuleSet:
    """The ordered rules and the default outcome when none decides."""

    rules: tuple[Rule, ...]
    mode: str

    @classmethod
    def from_config(cls, section: ModerationSection) -> RuleSet:
        """Build the rules a [moderation] table describes."""
        return cls(
            rules=(
                blocked_authors_rule(section.blocked_authors),
                blocked_words_rule(section.blocked_words),
                trusted_authors_rule(section.trusted_authors),
                media_rule(section.media),
            ),
            mode=section.mode,
        )

    def decide(self, post: Post) -> Decision:
        """Run every rule; reject beats approve, approve beats hold, then the mode."""
        verdicts = [v for v in (rule(post) for rule in self.rules) if v is not None]
        reasons = tuple(v.reason for v in verdicts)
        outcomes = {v.outcome for v in verdicts}
        if "reject" in outcomes:
            return Decision("rejected", reasons)
        if "approve" in outcomes:
            return Decision("approved", reasons)
        if "hold" in outcomes:
            return Decision("pending", reasons)
        if self.mode == "post":
            return Decision("approved", reasons)
        return Decision("pending", reasons + ("pre-moderation: waits for a moderator",))
