"""A real server on 127.0.0.1 with real Socket.IO clients."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import socketio

from tests.conftest import WallServer, receive_event


def screen_client(server: WallServer, since: int | None = None) -> tuple[Any, dict[str, Any]]:
    """Connect a screen and return it with its sync acknowledgement."""
    client = socketio.SimpleClient()
    client.connect(server.url, transports=["websocket"])
    ack = client.call("join_screen", {"screen": "feed", "name": "test", "since": since},
                      timeout=10)
    return client, ack


def receive_until(client: Any, event: str, timeout: float = 10) -> list[Any]:
    """Read events until one named `event` arrives; return it."""
    while True:
        name, payload = receive_event(client, timeout)
        if name == event:
            return [payload]


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet", "threading"])
def test_a_post_approved_by_a_moderator_reaches_screens_and_moderators(
        wall_server_factory: Any, async_mode: str) -> None:
    wall_server = wall_server_factory(async_mode=async_mode)
    screen, ack = screen_client(wall_server)
    assert ack["mode"] == "snapshot" and ack["posts"] == []
    moderator_http = wall_server.session()
    moderator = socketio.SimpleClient()
    cookie = "; ".join(f"{k}={v}" for k, v in moderator_http.cookies.items())
    moderator.connect(wall_server.url, namespace="/moderator", transports=["websocket"],
                      headers={"Cookie": cookie})
    queue = moderator.call("join_moderators", {"since": None}, timeout=10)
    assert queue["pending"] == []

    [post_id] = wall_server.push({"author": "Camille", "text": "Le café est top #TestDays"})
    [queued] = receive_until(moderator, "post_queued")
    assert queued["post"]["id"] == post_id and queued["post"]["status"] == "pending"

    reply = moderator_http.post(f"{wall_server.url}/api/posts/{post_id}/approve", timeout=10)
    assert reply.status_code == 200
    [added] = receive_until(screen, "post_added")
    assert added["post"]["text"] == "Le café est top #TestDays"
    assert added["seq"] > ack["seq"]
    [decided] = receive_until(moderator, "post_decided")
    assert decided["post"]["id"] == post_id and decided["action"] == "approve"
    screen.disconnect()
    moderator.disconnect()


def test_moderator_socket_needs_a_session(wall_server: WallServer) -> None:
    client = socketio.SimpleClient()
    try:
        client.connect(wall_server.url, namespace="/moderator", transports=["websocket"],
                       wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        refused = True
    else:
        refused = False
        client.disconnect()
    assert refused


def test_screen_catches_up_after_a_server_restart(wall_server_factory: Any) -> None:
    server = wall_server_factory(mode="post")
    screen, ack = screen_client(server)
    [first] = server.push({"author": "A", "text": "first"})
    [added] = receive_until(screen, "post_added")
    last_seq = added["seq"]
    screen.disconnect()

    server.stop()
    server.start()
    [second] = server.push({"author": "B", "text": "second"})
    http = server.session()
    http.post(f"{server.url}/api/posts/{first}/reject", timeout=10).raise_for_status()

    again, sync = screen_client(server, since=last_seq)
    assert sync["mode"] == "events"
    assert [(e["type"], e.get("id") or e["post"]["id"]) for e in sync["events"]] == [
        ("post_added", second), ("post_removed", first)]
    assert all(e["seq"] > last_seq for e in sync["events"])
    again.disconnect()


def test_bad_socket_input_gets_an_error_and_the_server_goes_on(wall_server: WallServer) -> None:
    client = socketio.SimpleClient()
    client.connect(wall_server.url, transports=["websocket"])
    assert "error" in client.call("join_screen", "nonsense", timeout=10)
    assert "error" in client.call("join_screen", {"screen": "<b>"}, timeout=10)
    assert not client.call("heartbeat", {"screen": "feed"}, timeout=10)["ok"]  # no join yet
    assert client.call("join_screen", {"screen": "feed", "since": "x"},
                       timeout=10)["mode"] == "snapshot"
    assert client.call("heartbeat", {"screen": "feed", "shown": "many"}, timeout=10)["ok"]
    client.disconnect()
    assert requests.get(f"{wall_server.url}/healthz", timeout=10).json()["status"] == "ok"


def _joined(server: WallServer, screen: str) -> Any:
    client = socketio.SimpleClient()
    client.connect(server.url, transports=["websocket"])
    ack = client.call("join_screen", {"screen": screen, "name": screen}, timeout=10)
    assert ack["mode"] == "snapshot" and ack["paused"] is False
    # Each screen gets what it shows: figures for stats and highlights, posts for the
    # feed and highlights, highlighted posts for the highlights; the rest empty.
    assert (ack["stats"] is not None) == (screen in ("stats", "highlights"))
    if screen == "stats":
        assert ack["posts"] == []
    assert bool(ack["highlights"]) == (screen == "highlights")  # the test highlights one
    if screen != "stats":
        assert ack["posts"], f"the {screen} screen got no posts"
    return client


def test_figures_go_to_the_screens_that_show_them_not_to_the_feed(
        wall_server: WallServer) -> None:
    [shown] = wall_server.push({"author": "Ana", "text": "Déjà là #TestDays"})
    wall_server.session().post(f"{wall_server.url}/api/posts/{shown}/approve", timeout=10)
    wall_server.session().post(f"{wall_server.url}/api/posts/{shown}/highlight", timeout=10)
    feed, stats_screen, highlights = (_joined(wall_server, s)
                                      for s in ("feed", "stats", "highlights"))
    [post_id] = wall_server.push({"author": "Camille", "text": "Le café est top #TestDays"})
    reply = wall_server.session().post(f"{wall_server.url}/api/posts/{post_id}/approve",
                                       timeout=10)
    assert reply.status_code == 200
    for client in (stats_screen, highlights):
        [figures] = receive_until(client, "stats_updated")
        assert figures["stats"]["total"] >= 1
    [added] = receive_until(feed, "post_added")
    assert added["post"]["id"] == post_id
    # The feed shows no figures: it hears posts, never the figures sent every second.
    with pytest.raises(socketio.exceptions.TimeoutError):
        while True:
            name, event = receive_event(feed, timeout=3)
            assert name != "stats_updated", f"the feed screen got figures: {event}"
    # A socket that joins as the feed after the stats screen stops hearing the figures.
    rejoined = stats_screen.call("join_screen", {"screen": "feed", "name": "was-stats"},
                                 timeout=10)
    [second] = wall_server.push({"author": "Camille", "text": "Encore un café #TestDays"})
    wall_server.session().post(f"{wall_server.url}/api/posts/{second}/approve", timeout=10)
    receive_until(highlights, "stats_updated")
    with pytest.raises(socketio.exceptions.TimeoutError):
        while True:
            name, event = receive_event(stats_screen, timeout=3)
            # Figures sent before the second join may still be queued here: older seq.
            assert name != "stats_updated" or event["seq"] <= rejoined["seq"], \
                f"a feed screen got figures: {event}"
    for client in (feed, stats_screen, highlights):
        client.disconnect()


def test_a_reloaded_screen_shows_posts_in_the_order_they_went_on_the_wall(
        wall_server: WallServer) -> None:
    live, _ = screen_client(wall_server)
    moderator = wall_server.session()
    early, late = (wall_server.push({"author": a, "text": t})[0] for a, t in
                   (("Ana", "Arrivé en premier #TestDays"), ("Bea", "Arrivé ensuite #TestDays")))
    for post_id in (late, early):  # the moderator approves the newer one first
        reply = moderator.post(f"{wall_server.url}/api/posts/{post_id}/approve", timeout=10)
        assert reply.status_code == 200
    seen = [receive_until(live, "post_added")[0]["post"]["id"] for _ in range(2)]
    assert seen == [late, early]  # live, the early post goes on top: approved last
    reloaded, ack = screen_client(wall_server)
    assert [p["id"] for p in ack["posts"]][:2] == [early, late]  # the same order, newest first
    for client in (live, reloaded):
        client.disconnect()
