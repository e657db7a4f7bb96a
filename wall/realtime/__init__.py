"""Realtime: how committed events reach the screens and the moderators.

Read in this order:
- `broadcast`: the Socket.IO server and the only module that emits;
- `dispatcher`: one ordered stream per process, reading committed events after the
  last seq it sent and emitting them as batched `events` frames (docs/protocol.md);
- `seqbus`: a "seq N exists" note between processes over Redis (a fast path; each
  dispatcher also polls the store, so nothing depends on Redis to be delivered);
- `sockets`: the handlers (screens and moderators join, sync and send heartbeats);
- `presence`: who is on the moderator page;
- `limits`: per-connection rate and size limits on every event;
- `upgrades`: a WebSocket upgrade abandoned half-way leaves the connection working.
"""
