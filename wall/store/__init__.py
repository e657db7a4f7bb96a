"""The store: every piece of a wall's shared state, in SQL.

Read in this order:
- `connections`: one pooled engine per store, SQLite pragmas set once per connection;
- `schema`: the tables (changes to them are Alembic revisions in wall/migrations);
- `events`: the event log's shapes (a committed `Event`, a write's `Change`);
- `core`: the `Store` and its queries; every write is one transaction that adds its
  events and adjusts the stats counters before it commits, and nothing is broadcast
  before that commit (wall.realtime reads the committed events);
- `counters`: the stats counters kept in the same transaction as the posts.
"""

from wall.store.connections import make_engine
from wall.store.core import (
    ACTIONS,
    EVENTS_KEPT,
    SCREENS_KEEP,
    SCREENS_MAX,
    Conflict,
    NotFound,
    SchemaError,
    Store,
)
from wall.store.events import MODERATORS, PUBLIC, Change, Event

__all__ = ["ACTIONS", "EVENTS_KEPT", "MODERATORS", "PUBLIC", "SCREENS_KEEP", "SCREENS_MAX",
           "Change", "Conflict", "Event", "NotFound", "SchemaError", "Store", "make_engine"]
