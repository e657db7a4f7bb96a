"""A tiny "seq N exists" note between processes over Redis pub/sub.

The note carries no event: each server reads the events from the store, so a
lost note (Redis restarting) only waits for the dispatcher's next poll.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis

log = logging.getLogger(__name__)

QUIET_AFTER_FAILURE = 2.0  # seconds without publishing after Redis failed, not to stall commits
TIMEOUT = 0.5


class SeqBus:
    """Publish and hear sequence numbers on `<channel>:seq`."""

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.topic = f"{channel}:seq"
        self._client: Any = None
        self._quiet_until = 0.0
        self._lock = threading.Lock()

    def _redis(self) -> Any:
        if self._client is None:
            self._client = redis.Redis.from_url(self.url, socket_timeout=TIMEOUT,
                                                socket_connect_timeout=TIMEOUT)
        return self._client

    def publish(self, seq: int | None) -> None:
        """Tell the other processes that seq is committed; best effort."""
        if seq is None or time.monotonic() < self._quiet_until:
            return
        try:
            with self._lock:
                self._redis().publish(self.topic, str(seq))
        except redis.RedisError as exc:
            self._quiet_until = time.monotonic() + QUIET_AFTER_FAILURE
            log.warning("could not tell other processes about seq %s (%s); they will poll",
                        seq, exc)

    def listen(self, heard: Callable[[int], None], stopping: threading.Event,
               sleep: Callable[[float], None]) -> None:
        """Call heard(seq) for every note, reconnecting after Redis goes away."""
        while not stopping.is_set():
            pubsub: Any = None
            try:
                client: Any = redis.Redis.from_url(self.url, socket_connect_timeout=TIMEOUT)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.topic)
                while not stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "message":
                        heard(int(message["data"]))
            except (redis.RedisError, OSError, ValueError) as exc:
                log.warning("seq notes from Redis interrupted (%s); retrying", exc)
                sleep(1.0)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except (redis.RedisError, OSError):
                        pass
