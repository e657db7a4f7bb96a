"""Moderation rules: a pure function from a post, the config and a read-only context."""

from wall.moderation.engine import RuleSet
from wall.moderation.normalize import fold, normalize_handle
from wall.moderation.rules import Context, Seen, Verdict, author_key
from wall.moderation.settings import ModerationSection

__all__ = ["Context", "ModerationSection", "RuleSet", "Seen", "Verdict", "author_key", "fold",
           "normalize_handle"]
