"""The rules table: blocked words and authors reject, trusted authors skip the queue."""

from __future__ import annotations

import pytest

from tests.conftest import make_post
from wall.config import ModerationSection
from wall.moderation import RuleSet

RULES = ModerationSection(
    blocked_words=("arnaque", "crypto giveaway"),
    blocked_authors=("@spambot3000",),
    trusted_authors=("@velocia", "camille@example.social"),
)


@pytest.mark.parametrize(
    ("mode", "post", "status", "reason"),
    [
        ("pre", make_post(text="Great coffee #TestDays"), "pending", "pre-moderation"),
        ("post", make_post(text="Great coffee #TestDays"), "approved", None),
        ("post", make_post(text="Quelle ARNAQUE !"), "rejected", 'blocked word "arnaque"'),
        ("post", make_post(text="Quelle arnaqué"), "rejected", 'blocked word "arnaque"'),
        ("post", make_post(text="Join the Crypto \n giveaway"), "rejected", "crypto giveaway"),
        ("post", make_post(text="cryptogiveaway"), "approved", None),
        ("post", make_post(text="Join the crypto giveaway now"), "rejected",
         'blocked word "crypto giveaway" in text'),
        ("post", make_post(text="arnaques et arnaqueurs"), "approved", None),
        ("post", make_post(author="Arnaque King", text="hello"), "rejected", "in author name"),
        ("post", make_post(handle="@SpamBot3000", text="hello"), "rejected",
         "blocked author @spambot3000"),
        ("pre", make_post(handle="@velocia", text="Welcome!"), "approved",
         "trusted author @velocia"),
        ("pre", make_post(handle="@camille@example.social", text="hi"), "approved",
         "trusted author"),
        ("pre", make_post(handle="@velocia@velocia.social", text="hi"), "approved",
         "trusted author @velocia"),
        ("pre", make_post(handle="@velocia", text="arnaque"), "rejected", "blocked word"),
        ("pre", make_post(handle="@velociafan", text="hi"), "pending", None),
    ],
)
def test_rules(mode: str, post: object, status: str, reason: str | None) -> None:
    rules = RuleSet.from_config(ModerationSection(**{**RULES.__dict__, "mode": mode}))
    decision = rules.decide(post)  # type: ignore[arg-type]
    assert decision.status == status
    if reason:
        assert any(reason in r for r in decision.reasons), decision.reasons


def test_no_rules_in_post_mode_gives_no_reason() -> None:
    decision = RuleSet.from_config(ModerationSection(mode="post")).decide(make_post())
    assert decision.status == "approved" and decision.reasons == ()
