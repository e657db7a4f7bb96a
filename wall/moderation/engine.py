"""The rule engine: ordered pure rules from config, one decision with its reasons."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from wall.models import Decision, Post, Status
from wall.moderation import accounts, screening, spam
from wall.moderation.enrolled import Enrolled
from wall.moderation.matching import AuthorList, profanity_words
from wall.moderation.ratings import min_rating_rule
from wall.moderation.rules import (
    Context,
    Outcome,
    Rule,
    Verdict,
    authors_rule,
    counts_rule,
    links_rule,
    media_rule,
    moderator_blocks_rule,
    patterns_rule,
    words_rule,
)
from wall.moderation.settings import ModerationSection

log = logging.getLogger(__name__)
EMPTY = Context()


def _block(value: str) -> Outcome:
    """Return the outcome a *_outcome key names: "hold" or "reject"."""
    return "hold" if value == "hold" else "reject"


def _rules(s: ModerationSection) -> tuple[Rule, ...]:
    spam_outcome = _block(s.spam_outcome)
    words_outcome = _block(s.blocked_words_outcome)
    profanity_outcome = _block(s.profanity_outcome)
    candidates: list[Rule | None] = [
        accounts.consent_rule,
        moderator_blocks_rule(),
        authors_rule(s.blocked_authors, "reject", "blocked author"),
        words_rule(s.blocked_words, words_outcome, "blocked word"),
        patterns_rule(s.blocked_patterns, words_outcome),
        words_rule(profanity_words(s.profanity_languages) if s.profanity else (),
                   profanity_outcome, "profanity"),
        links_rule(s.blocked_domains, s.max_links),
        accounts.kinds_rule(s),
        accounts.account_rule(s.min_account_age_days, s.min_followers, spam_outcome),
        counts_rule(s.max_hashtags, s.max_mentions, spam_outcome),
        spam.author_cap_rule(s.author_max_posts, s.author_window_minutes, spam_outcome),
        spam.duplicate_rule(s.duplicate_window_minutes, s.near_duplicate_similarity,
                            spam_outcome),
        spam.mixed_script_rule(s.mixed_script_words, spam_outcome),
        media_rule(s.media),
        min_rating_rule(s.min_rating),
        authors_rule(s.trusted_authors, "approve", "trusted author"),
    ]
    return tuple(rule for rule in candidates if rule is not None)


@dataclass(frozen=True)
class RuleSet:
    """The ordered rules, the machine screening settings and the default outcome."""

    rules: tuple[Rule, ...]
    mode: str
    section: ModerationSection = ModerationSection()
    ambassadors: AuthorList = AuthorList(())
    enrolled: Enrolled = Enrolled()  # refreshed by wall.ambassadors on every change

    @classmethod
    def from_config(cls, section: ModerationSection) -> RuleSet:
        """Build the rules a [moderation] table describes."""
        return cls(rules=_rules(section), mode=section.mode, section=section,
                   ambassadors=AuthorList(section.ambassadors))

    def warm_up(self) -> None:
        """Load the offline models the rules use now, rather than on the first post."""
        if self.section.toxicity:
            screening.toxicity_score("warming up the classifier")
        if self.section.languages and self.section.detect_language:
            screening.detect_language("warming up the language detector, merci beaucoup",
                                      self.section.languages)

    @property
    def history_minutes(self) -> int:
        """Return how many minutes of recent posts the context should hold."""
        return self.section.history_minutes

    def decide(self, post: Post, context: Context = EMPTY) -> Decision:
        """Run every rule; reject beats approve, approve beats hold, then the mode."""
        verdicts = [v for v in (rule(post, context) for rule in self.rules) if v is not None]
        rejected = any(v.outcome == "reject" for v in verdicts)
        language, toxicity = None, None
        if not rejected:
            language, toxicity = self._screen(post, verdicts)
        ambassador = self.ambassadors.find(post) if self.section.ambassadors else None
        ambassador = ambassador or self.enrolled.handles.find(post)
        secret = None
        if ambassador:
            verdicts.append(Verdict("note", f"ambassador {ambassador}"))
            secret = self._confidential(post)
            if secret:
                verdicts.append(Verdict("hold", f"confidential word {secret}: an ambassador's "
                                        "post waits for a moderator"))
        status, reasons = self._combine(verdicts)
        if secret and status == "approved":
            status = "pending"  # a confidential word outranks a trusted author's approval
        return Decision(status, reasons, ambassador=bool(ambassador), toxicity=toxicity,
                        language=language)

    def _confidential(self, post: Post) -> str | None:
        """Return the confidential word an ambassador's post uses, or None."""
        words = self.enrolled.confidential
        return words.find(post.text) if words else None

    def _screen(self, post: Post, verdicts: list[Verdict]) -> tuple[str | None, float | None]:
        """Run the offline models the config asks for; append their verdicts."""
        s = self.section
        language = post.language
        if s.languages:
            if language is None and s.detect_language:
                found = screening.detect_language(post.text, s.languages)
                language = found[0] if found else None
            if language is not None and language.lower()[:2] not in s.languages:
                verdicts.append(Verdict("reject", f"language {language} "
                                        f"(allowed: {', '.join(s.languages)})"))
        toxicity = None
        if s.toxicity:
            score = screening.toxicity_score(post.text)
            toxicity = None if score is None else round(score, 3)
            if toxicity is not None and toxicity >= s.toxicity_threshold:
                verdicts.append(Verdict("hold", f"toxicity {toxicity:.2f} "
                                        f"(holds from {s.toxicity_threshold:.2f})"))
            elif toxicity is not None:
                verdicts.append(Verdict("note", f"toxicity {toxicity:.2f}"))
        return language, toxicity

    def _combine(self, verdicts: list[Verdict]) -> tuple[Status, tuple[str, ...]]:
        reasons = tuple(v.reason for v in verdicts)
        outcomes = {v.outcome for v in verdicts}
        if "reject" in outcomes:
            return "rejected", reasons
        if "approve" in outcomes:
            return "approved", reasons
        if "hold" in outcomes:
            return "pending", reasons
        if self.mode == "post":
            return "approved", reasons
        return "pending", reasons + ("pre-moderation: waits for a moderator",)
