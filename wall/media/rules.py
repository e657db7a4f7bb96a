"""[moderation.media] rules: allow images, require images, hide media marked sensitive."""

from __future__ import annotations

import dataclasses
from typing import Literal

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
