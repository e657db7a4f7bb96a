"""Socket.IO events leave no garbage cycles behind: a thousand screens' heartbeats must not
feed Python's full collections, which pause every screen (docs/benchmarks.md, stop 11)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import socketio

from tests.conftest import WallServer
from wall.server import GC_THRESHOLDS, gc_thresholds

SCREENS, BEATS = 20, 4  # within the per-socket rates: 20 x (1 join + 4 heartbeats)


def test_joins_and_heartbeats_leave_no_reference_cycles(wall_server_factory: Any,
                                                        monkeypatch: Any) -> None:
    # Python's own thresholds: the server's (one young collection per 20,000 objects)
    # might run no collection at all in this short test, and count no garbage.
    monkeypatch.setenv("SOCIALWALL_GC_THRESHOLD", "700,10,10")
    server: WallServer = wall_server_factory(mode="post")
    screens = []
    for _ in range(SCREENS):
        screen = socketio.SimpleClient()
        screen.connect(server.url, transports=["websocket"])
        screens.append(screen)
    try:
        before = server.metric("python_gc_objects_collected_total")
        for n, screen in enumerate(screens):
            ack = screen.call("join_screen", {"screen": "feed", "name": f"lobby-{n}",
                                              "since": None}, timeout=10)
            assert ack["mode"] == "snapshot"
            for beat in range(BEATS):
                assert screen.call("heartbeat", {"screen": "feed", "name": f"lobby-{n}",
                                                 "shown": beat}, timeout=10)["ok"]
        events = SCREENS * (1 + BEATS)
        # Before, each event left ~50 objects in cycles (Flask's NotFound for the
        # Socket.IO path, its traceback and frames): ~5,000 here. What is left is
        # werkzeug's URL matcher, a closure that refers to itself (~9 objects a match).
        assert server.metric("python_gc_objects_collected_total") - before < events * 20
    finally:
        with ThreadPoolExecutor(SCREENS) as pool:  # each client waits for its own close
            list(pool.map(lambda screen: screen.disconnect(), screens))


def test_gc_thresholds_come_from_the_environment_or_the_measured_default() -> None:
    assert gc_thresholds("") == GC_THRESHOLDS
    assert gc_thresholds("700,10,10") == (700, 10, 10)
    for bad in ("700", "a,b,c", "0,10,10", "1,2,3,4"):
        assert gc_thresholds(bad) == GC_THRESHOLDS  # logged, not fatal
