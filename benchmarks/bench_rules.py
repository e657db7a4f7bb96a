"""Benchmark (not a test): posts per second through the rules with 1,000 blocked entries.

Run: .venv/bin/python benchmarks/bench_rules.py   (POSTS=..., BLOCKED=... to vary)
"""

from __future__ import annotations

import os
import random
import string
import time

from wall.models import Media, Post
from wall.moderation import ModerationSection, RuleSet

POSTS = int(os.environ.get("POSTS", "50000"))


def _word(rng: random.Random, low: int = 4, high: int = 10) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(low, high)))


def main() -> None:
    """Print posts per second for a realistic rule set and a mix of texts."""
    rng = random.Random(7)
    size = int(os.environ.get("BLOCKED", "1000"))
    blocked = [_word(rng) for _ in range(size * 7 // 10)] + [
        f"{_word(rng)} {_word(rng)}" for _ in range(size - size * 7 // 10)]
    section = ModerationSection(
        mode="post", blocked_words=tuple(blocked), profanity=True,
        blocked_authors=tuple(f"@{_word(rng)}" for _ in range(200)),
        trusted_authors=("@velocia",), ambassadors=("@staff",),
        blocked_domains=("evil.example", "spam.example"), max_links=2, max_hashtags=8,
        max_mentions=5, min_account_age_days=7, min_followers=5,
    )
    rules = RuleSet.from_config(section)
    mixed = ["great", "talk", "keynote", "bikes", "café", "merci", "équipe", "#VelociaDays",
                  "https://velocia.example/news", "sc4m", "@camille", "2026", "journée"]
    plain = ["great", "talk", "keynote", "bikes", "coffee", "thanks", "team", "#VelociaDays",
             "today", "stand", "demo", "@camille", "new", "model"]
    print(f"{POSTS} posts, {size:,} blocked words and phrases + built-in profanity lists, "
          f"{len(rules.rules)} rules")
    for label, vocabulary in (("French/English with accents, links, leetspeak", mixed),
                              ("plain English", plain)):
        posts = [
            Post(source="bench", external_id=str(i), network="mastodon",
                 author=f"Author {i % 300}", handle=f"@user{i % 300}",
                 text=" ".join(rng.choices(vocabulary, k=rng.randint(8, 30))),
                 media=(Media("/media/x.jpg", "a photo of the stage"),) if i % 4 == 0 else ())
            for i in range(POSTS)
        ]
        start = time.perf_counter()
        statuses: dict[str, int] = {}
        for post in posts:
            status = rules.decide(post).status
            statuses[status] = statuses.get(status, 0) + 1
        elapsed = time.perf_counter() - start
        print(f"  {label}: {elapsed:.2f} s, {POSTS / elapsed:,.0f} posts per second on one core;"
              f" decisions {statuses}")


if __name__ == "__main__":
    main()
