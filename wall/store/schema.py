"""The database tables, shared by every server and ingest process."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(100), nullable=False),
    Column("external_id", String(300), nullable=False),
    Column("network", String(30), nullable=False),
    Column("author", String(300), nullable=False),
    Column("handle", String(300), nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("url", String(2000)),
    Column("created_at", DateTime, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("avatar_url", String(2000)),
    Column("avatar_local", String(500)),
    Column("media_json", Text, nullable=False, default="[]"),
    Column("hashtags_json", Text, nullable=False, default="[]"),
    Column("language", String(20)),
    Column("status", String(20), nullable=False),
    Column("highlighted", Boolean, nullable=False, default=False),
    Column("reasons_json", Text, nullable=False, default="[]"),
    Column("decided_by", String(200)),
    Column("decided_at", DateTime),
    Column("media_state", String(20)),  # None (nothing to fetch), "ready" or "failed"
    Column("media_errors_json", Text, nullable=False, default="[]"),
    Column("ambassador", Boolean, nullable=False, default=False),
    Column("toxicity", Float),
    Column("pinned", Boolean, nullable=False, default=False),
    Column("facts_json", Text, nullable=False, default="{}"),
    # The seq of the post's latest post_added: screens list posts in the order they were
    # put on the wall (migration 0006). NULL while the post was never approved.
    Column("shown_seq", Integer),
    UniqueConstraint("source", "external_id", name="uq_posts_source_external_id"),
)
Index("ix_posts_status_id", posts.c.status, posts.c.id)
Index("ix_posts_status_shown_seq", posts.c.status, posts.c.shown_seq, posts.c.id)
# The highlights of a snapshot: a few posts among all, found without a scan of them all.
Index("ix_posts_highlighted_shown_seq", posts.c.highlighted, posts.c.status, posts.c.shown_seq,
      posts.c.id)
Index("ix_posts_received_at", posts.c.received_at)

post_tags = Table(
    "post_tags",
    metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(200), primary_key=True),
)
Index("ix_post_tags_tag", post_tags.c.tag)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("type", String(40), nullable=False),
    Column("audience", String(20), nullable=False),
    Column("post_id", Integer),
    Column("body_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", Integer),
    Column("action", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("reasons_json", Text, nullable=False, default="[]"),
    Column("at", DateTime, nullable=False),
    Column("before_status", String(20)),
    Column("before_highlighted", Boolean),
    Column("undone", Boolean, nullable=False, default=False),
)
Index("ix_audit_post_id", audit.c.post_id)

screens = Table(
    "screens",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("screen", String(40), nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("shown", Integer, nullable=False, default=0),
)

cursors = Table(
    "cursors",
    metadata,
    Column("source", String(100), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

blocks = Table(
    "blocks",
    metadata,
    Column("author_key", String(400), primary_key=True),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
)

wall_state = Table(
    "wall_state",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# Moderator sessions live here, so logout, "end all sessions" and a password change end
# them at once in every process; the cookie holds only the random id.
moderator_sessions = Table(
    "moderator_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's random token
    Column("moderator", String(200), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("credential", String(64), nullable=False),  # fingerprint of the password used
    Column("created_at", DateTime, nullable=False),
    Column("seen_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("ended_reason", String(100)),
    Index("ix_moderator_sessions_moderator", "moderator"),
)


moderator_accounts = Table(
    "moderator_accounts",
    metadata,
    Column("name_key", String(60), primary_key=True),  # the name casefolded: one Alice
    Column("name", String(60), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created_at", DateTime, nullable=False),
)


# Stats counters (issue 9), kept in the same transaction as the posts they count.
stat_counters = Table(
    "stat_counters",
    metadata,
    Column("kind", String(20), primary_key=True),  # status, minute, tag, author, network...
    Column("key", String(700), primary_key=True),
    Column("count", Integer, nullable=False, default=0),
)
Index("ix_stat_counters_kind_count", stat_counters.c.kind, stat_counters.c.count)

# What each post adds to stat_counters now, so a change subtracts exactly that.
stat_posts = Table(
    "stat_posts",
    metadata,
    Column("post_id", Integer, primary_key=True),
    Column("counted_json", Text, nullable=False),
)

# Ambassadors (issue 15): an employee's enrolment, reached through its private token.
ambassador_enrolments = Table(
    "ambassador_enrolments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("team", String(200), nullable=False, default=""),
    Column("status", String(20), nullable=False),  # pending, approved, refused, left
    Column("charter_version", String(80), nullable=False),
    Column("accepted_at", DateTime, nullable=False),
    Column("consent_at", DateTime, nullable=False),
    Column("phrase", String(40), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("decided_by", String(200)),
    Column("decided_at", DateTime),
    Column("left_at", DateTime),
)
Index("ix_ambassador_enrolments_status", ambassador_enrolments.c.status)

# One row per claimed handle; network "" means the handle on every network.
ambassador_handles = Table(
    "ambassador_handles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("enrolment_id", Integer,
           ForeignKey("ambassador_enrolments.id", ondelete="CASCADE"), nullable=False),
    Column("network", String(30), nullable=False, default=""),
    Column("handle", String(300), nullable=False),
    Column("verified_at", DateTime),
    Column("verified_post_id", Integer),
    Column("waived_by", String(200)),  # a moderator approved it without the phrase
)
Index("ix_ambassador_handles_enrolment", ambassador_handles.c.enrolment_id)
