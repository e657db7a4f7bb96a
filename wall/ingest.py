"""Ingest: push each post through rules, store and broadcast (sources run in wall.runner)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from wall.desk import RulesContext
from wall.grouping import GroupCommit
from wall.models import HOST_NETWORK, Decision, Post, utcnow
from wall.moderation import RuleSet
from wall.moderation.rules import Seen
from wall.realtime.broadcast import emit_events
from wall.runner import SourceHealth, SourceRunner
from wall.store import Change, Store

log = logging.getLogger(__name__)

__all__ = ["Pipeline", "SourceHealth", "SourceRunner", "Submission"]


@dataclass(frozen=True)
class Submission:
    """Posts handed to the pipeline together, with the cursor saved with each (or None)."""

    posts: tuple[Post, ...]
    cursors: tuple[str | None, ...]
    hold: str = ""
    each: bool = True  # a post the database refuses fails alone, not with the others


Outcomes = list[Change | Exception]


@dataclass
class Pipeline:
    """Post → rules → store (commit) → broadcast; the one path every post takes.

    Every submission goes through a group commit (wall.grouping): concurrent webhook
    calls and source bursts share one transaction, and each caller gets its outcome
    after that commit.
    """

    store: Store
    rules: Callable[[], RuleSet]
    changed: Callable[[], None] = lambda: None
    prepare: Callable[[Post], Post] = lambda post: post
    after_commit: Callable[[Change, Post], None] = lambda change, post: None
    writer: GroupCommit[Submission, Outcomes] = field(init=False)
    context: RulesContext = field(init=False)

    def __post_init__(self) -> None:
        self.writer = GroupCommit(self._commit_group)
        self.context = RulesContext(self.store)

    def submit(self, post: Post, cursor: str | None = None, *, hold: str = "") -> Change:
        """Decide, commit (with the source's cursor), then broadcast; duplicates change nothing.

        With `hold`, the post waits for a moderator whatever the rules say (their reasons kept).
        """
        return self.submit_many([post], cursor, hold=hold)[0]

    def submit_many(self, posts: Sequence[Post], cursor: str | None = None, *,
                    hold: str = "") -> list[Change]:
        """Decide a batch, commit it in one transaction, announce it.

        Raises the store's error when the batch could not be committed: nothing of it
        is stored then (see submit_each for a batch where one bad post must not stop
        the others). `cursor` is saved with the first post.
        """
        if not posts:
            return []
        cursors = (cursor, *([None] * (len(posts) - 1)))
        outcomes = self._run(Submission(tuple(posts), cursors, hold, each=False))
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome
        return [o for o in outcomes if isinstance(o, Change)]

    def submit_each(self, posts: Sequence[Post],
                    cursors: Sequence[str | None] | None = None) -> Outcomes:
        """Submit a batch in one transaction; if it fails, each post alone.

        The outcome per post is its Change, or the error that kept it out: one post
        the database refuses does not lose the others.
        """
        if not posts:
            return []
        return self._run(Submission(tuple(posts),
                                    tuple(cursors) if cursors else (None,) * len(posts)))

    def _run(self, submission: Submission) -> Outcomes:
        """Prepare the posts, then queue them for the next group commit."""
        prepared = tuple(self.prepare(post) for post in submission.posts)
        return self.writer.run(dataclasses.replace(submission, posts=prepared), len(prepared))

    def _commit_group(self, group: Sequence[Submission]) -> list[Outcomes]:
        """Commit submissions in one transaction; if that fails, each alone, then each post."""
        try:
            flat = self._store(group)
        except SQLAlchemyError as exc:
            if len(group) > 1:
                log.warning("a group of %d submissions failed (%s); storing each apart",
                            len(group), exc)
                return [self._commit_group([s])[0] for s in group]
            only = group[0]
            if len(only.posts) == 1 or not only.each:
                _log_refused(only.posts, exc)
                return [[exc] * len(only.posts)]
            log.warning("a batch of %d posts failed (%s); storing them one by one",
                        len(only.posts), exc)
            return [[self._commit_group([p])[0][0] for p in _split(only)]]
        out, first = [], 0
        for submission in group:
            out.append(list(flat[first:first + len(submission.posts)]))
            first += len(submission.posts)
        return out

    def _store(self, group: Sequence[Submission]) -> list[Change | Exception]:
        """Decide every post of the group with one context, store them, then announce them."""
        posts = [post for s in group for post in s.posts]
        holds = [s.hold for s in group for _ in s.posts]
        cursors = [(post.source, cursor) for s in group
                   for post, cursor in zip(s.posts, s.cursors, strict=True) if cursor is not None]
        decisions, at = self._decide(posts, holds)
        changes = self.store.ingest_many(list(zip(posts, decisions, strict=True)),
                                         cursors=cursors)
        self.context.stored(Seen(post.network, post.handle or post.author, post.text, at)
                            for post, change in zip(posts, changes, strict=True)
                            if change.created and post.network != HOST_NETWORK)
        return list(self._announce(posts, decisions, changes))

    def _decide(self, posts: Sequence[Post],
                holds: Sequence[str]) -> tuple[list[Decision], datetime]:
        """Run the rules on each post with one context; each sees the ones before it.

        Returns the decisions and the time the rules took as now.
        """
        rules = self.rules()
        context = self.context.get(rules.history_minutes)
        now = context.now or utcnow()
        decisions = []
        for post, hold in zip(posts, holds, strict=True):
            decision = rules.decide(post, context)
            if hold:  # e.g. attendee posts: a moderator sees each one, with the rules' reasons
                decision = dataclasses.replace(decision, status="pending",
                                               reasons=(*decision.reasons, hold))
            decisions.append(decision)
            if rules.history_minutes and post.network != HOST_NETWORK:
                seen = Seen(post.network, post.handle or post.author, post.text, now)
                context = dataclasses.replace(context, recent=(seen, *context.recent))
        return decisions, now

    def _announce(self, posts: Sequence[Post], decisions: Sequence[Decision],
                  changes: Sequence[Change]) -> list[Change]:
        """Apply authors' edits to known posts, wake the dispatcher, run after_commit."""
        out = []
        for post, decision, change in zip(posts, decisions, changes, strict=True):
            if change.created:
                log.debug("post %s from %s/%s: %s (%s)", change.post["id"], post.source,
                          post.external_id, decision.status, "; ".join(decision.reasons) or "-")
            elif post.edited_at is not None:
                edit = self.store.apply_edit(post, decision)
                if edit is not None:
                    log.info("post %s from %s/%s edited: %s", edit.post["id"], post.source,
                             post.external_id, edit.post["status"])
                    change = edit
            out.append(change)
        emit_events(e for change in out for e in change.events)
        if any(change.events for change in out):
            self.changed()
        for post, change in zip(posts, out, strict=True):
            if change.created:
                self.after_commit(change, post)
        return out

    def delete(self, source: str, external_id: str) -> None:
        """Take a post its network deleted off every screen."""
        change = self.store.remove_deleted(source, external_id)
        if change is not None:
            log.info("post %s from %s/%s deleted by its network", change.post["id"], source,
                     external_id)
            emit_events(change.events)
            self.changed()


def _split(submission: Submission) -> list[Submission]:
    """Return a submission as one submission per post."""
    return [Submission((post,), (cursor,), submission.hold, submission.each)
            for post, cursor in zip(submission.posts, submission.cursors, strict=True)]


def _log_refused(posts: Sequence[Post], exc: Exception) -> None:
    """Log posts the database refused."""
    for post in posts:
        log.warning("post %s/%s not stored: %s", post.source, post.external_id, exc)
