"""[moderation.media] rules: allow images, require images, hide media marked sensitive."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Literal

from wall.media.settings import MediaRules
from wall.models import Post

Found = tuple[Literal["reject"], str]  # (outcome, reason), as wall.moderation.Verdict takes


def strip_media(post: Post, rules: MediaRules) -> Post:
    """Drop a post's images when images are off, or when they are marked sensitive and hidden."""
    if not post.media:
        return post
    if not rules.allow_images or (rules.hide_sensitive and post.sensitive):
        return dataclasses.replace(post, media=())
    return post


def media_verdict(post: Post, rules: MediaRules) -> Found | None:
    """Reject a post without images when images are required."""
    if rules.require_images and not post.media:
        return ("reject", "no image, and [moderation.media] require_images is on")
    return None


def media_rule(rules: MediaRules) -> Callable[[Post, Any], Any]:
    """Return a moderation rule ((Post, context) -> Verdict | None) for the rule engine."""
    from wall.moderation import Verdict  # imported late: wall.moderation imports this module

    def rule(post: Post, context: Any = None) -> Any:
        found = media_verdict(post, rules)
        return Verdict(found[0], found[1]) if found else None

    return rule
