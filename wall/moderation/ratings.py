"""The review rule: hold reviews below the stars a wall wants to show without a look."""

from __future__ import annotations

from wall.models import Post
from wall.moderation.rules import Context, Rule, Verdict


def min_rating_rule(min_rating: int) -> Rule | None:
    """Hold a review rated below `min_rating` stars (0: off); other posts are not concerned."""
    if not min_rating:
        return None

    def rule(post: Post, _context: Context) -> Verdict | None:
        if post.rating is not None and post.rating < min_rating:
            return Verdict("hold", f"review rated {post.rating}/5, below min_rating "
                                   f"{min_rating}")
        return None

    return rule
