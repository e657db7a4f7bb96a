"""The moderators' desk on a real server: races, undo, block, kill switch, messages, audit."""

from __future__ import annotations

import re
import threading
from typing import Any

import requests
import socketio

from tests.conftest import PASSWORD, WallServer
from tests.test_realtime import receive_until, screen_client

ACCOUNTS = """
[[moderators.accounts]]
name = "Alice"
password_hash_env = "TEST_ALICE_HASH"

[[moderators.accounts]]
name = "Bob"
password_hash_env = "TEST_BOB_HASH"
"""


def login(server: WallServer, name: str, password: str) -> requests.Session:
    """Log in by name and password; return the session with its CSRF header."""
    http = requests.Session()
    reply = http.post(f"{server.url}/moderate/login", data={"name": name, "password": password},
                      timeout=10)
    assert reply.status_code == 200, reply.text[:300]
    match = re.search(r'data-csrf="([^"]+)"', reply.text)
    assert match, "not logged in"
    http.headers["X-CSRF-Token"] = match.group(1)
    return http


def moderator_socket(server: WallServer, http: requests.Session) -> tuple[Any, dict[str, Any]]:
    """Open a moderator page's socket with a session's cookie; return it and its sync."""
    client = socketio.SimpleClient()
    cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    client.connect(server.url, namespace="/moderator", transports=["websocket"],
                   headers={"Cookie": cookie})
    return client, client.call("join_moderators", {"since": None}, timeout=10)


def hashed(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)


def accounts_server(factory: Any, monkeypatch: Any) -> WallServer:
    monkeypatch.setenv("TEST_ALICE_HASH", hashed("alice-secret-1"))
    monkeypatch.setenv("TEST_BOB_HASH", hashed("bob-secret-22"))
    server: WallServer = factory(extra=ACCOUNTS)
    return server


def test_two_moderators_race_on_one_post_and_only_one_wins(
        wall_server_factory: Any, monkeypatch: Any) -> None:
    server = accounts_server(wall_server_factory, monkeypatch)
    alice, bob = login(server, "alice", "alice-secret-1"), login(server, "Bob", "bob-secret-22")
    alice_socket, _ = moderator_socket(server, alice)
    bob_socket, bob_sync = moderator_socket(server, bob)
    assert "Alice" in bob_sync["present"] and "Bob" in bob_sync["present"]
    for turn in range(5):
        [post_id] = server.push({"author": "Camille", "text": f"Race number {turn}"})
        receive_until(bob_socket, "post_queued", timeout=30)
        start = threading.Barrier(2)
        answers: dict[str, int] = {}

        def act(name: str, http: requests.Session, action: str, pid: int = post_id,
                start: threading.Barrier = start, answers: dict[str, int] = answers) -> None:
            start.wait()
            # Both tablets saw the post pending and say so (?from=pending).
            answers[name] = http.post(f"{server.url}/api/posts/{pid}/{action}?from=pending",
                                      timeout=10).status_code

        threads = [threading.Thread(target=act, args=("alice", alice, "approve")),
                   threading.Thread(target=act, args=("bob", bob, "reject"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(answers.values()) == [200, 409], answers
        winner = "Alice" if answers["alice"] == 200 else "Bob"
        [decided] = receive_until(bob_socket, "post_decided", timeout=30)
        assert decided["post"]["id"] == post_id and decided["by"] == winner
        [seen_by_alice] = receive_until(alice_socket, "post_decided", timeout=30)
        assert seen_by_alice["by"] == winner
        audit = alice.get(f"{server.url}/api/audit?limit=5", timeout=10).json()["entries"]
        human = [e for e in audit if e["post_id"] == post_id and e["actor"] != "rules"]
        assert [e["actor"] for e in human] == [winner]
    alice_socket.disconnect()
    bob_socket.disconnect()


def test_presence_tells_who_left(wall_server_factory: Any, monkeypatch: Any) -> None:
    server = accounts_server(wall_server_factory, monkeypatch)
    alice, bob = login(server, "Alice", "alice-secret-1"), login(server, "Bob", "bob-secret-22")
    alice_socket, _ = moderator_socket(server, alice)
    bob_socket, _ = moderator_socket(server, bob)
    bob_socket.disconnect()
    while True:
        [present] = receive_until(alice_socket, "moderators_present")
        if present["names"] == ["Alice"]:
            break
    alice_socket.disconnect()


def test_wrong_account_password_is_refused(wall_server_factory: Any, monkeypatch: Any) -> None:
    server = accounts_server(wall_server_factory, monkeypatch)
    reply = requests.post(f"{server.url}/moderate/login",
                          data={"name": "Alice", "password": "bob-secret-22"}, timeout=10)
    assert reply.status_code == 401
    # The shared password (set in this test server) cannot sign as a named account...
    reply = requests.post(f"{server.url}/moderate/login",
                          data={"name": "alice", "password": PASSWORD}, timeout=10)
    assert reply.status_code == 401
    # ...but still opens the page under another name.
    assert login(server, "Guest", PASSWORD).headers["X-CSRF-Token"]


def test_undo_puts_the_post_back_in_the_queue_everywhere(wall_server: WallServer) -> None:
    http = wall_server.session()
    screen, _ = screen_client(wall_server)
    [post_id] = wall_server.push({"author": "Camille", "text": "Undo me #TestDays"})
    assert http.post(f"{wall_server.url}/api/posts/{post_id}/approve", timeout=10).ok
    receive_until(screen, "post_added")
    reply = http.post(f"{wall_server.url}/api/undo", timeout=10)
    assert reply.status_code == 200 and reply.json()["post"]["status"] == "pending"
    [removed] = receive_until(screen, "post_removed")
    assert removed["id"] == post_id
    pending = http.get(f"{wall_server.url}/api/posts?status=pending", timeout=10).json()["posts"]
    assert [p["id"] for p in pending] == [post_id]
    assert http.post(f"{wall_server.url}/api/undo", timeout=10).status_code == 404
    screen.disconnect()


def test_undo_refuses_when_another_moderator_decided_since(wall_server: WallServer) -> None:
    first, second = wall_server.session(), wall_server.session()
    [post_id] = wall_server.push({"author": "Camille", "text": "Two hands"})
    assert first.post(f"{wall_server.url}/api/posts/{post_id}/approve", timeout=10).ok
    assert second.post(f"{wall_server.url}/api/posts/{post_id}/hide", timeout=10).ok
    # Both sessions are "moderator"; the post now shows the later decision, hide.
    assert first.post(f"{wall_server.url}/api/undo", timeout=10).json()["post"]["status"] \
        == "approved"


def test_block_author_rejects_their_pending_and_future_posts(wall_server: WallServer) -> None:
    http = wall_server.session()
    ids = wall_server.push({"author": "Spam", "handle": "@pest", "text": "buy 1"},
                           {"author": "Spam", "handle": "@pest", "text": "buy 2"},
                           {"author": "Camille", "handle": "@camille", "text": "hello"})
    reply = http.post(f"{wall_server.url}/api/posts/{ids[0]}/block_author", timeout=10)
    assert reply.status_code == 200 and reply.json()["rejected"] == ids[:2]
    pending = http.get(f"{wall_server.url}/api/posts?status=pending", timeout=10).json()["posts"]
    assert [p["id"] for p in pending] == [ids[2]]
    [later] = wall_server.push({"author": "Spam", "handle": "@PEST", "text": "buy 3"})
    rejected = http.get(f"{wall_server.url}/api/posts?status=rejected", timeout=10).json()
    post = next(p for p in rejected["posts"] if p["id"] == later)
    assert "author @PEST blocked by a moderator" in post["reasons"]


def test_bulk_decisions_report_each_post(wall_server: WallServer) -> None:
    http = wall_server.session()
    ids = wall_server.push({"author": "A", "text": "one"}, {"author": "B", "text": "two"})
    assert http.post(f"{wall_server.url}/api/posts/{ids[0]}/reject", timeout=10).ok
    reply = http.post(f"{wall_server.url}/api/posts/decide",
                      json={"action": "approve", "ids": [*ids, 99999]}, timeout=10)
    statuses = [r["status"] for r in reply.json()["results"]]
    assert statuses == [200, 200, 404]   # a rejected post can still be approved
    assert http.post(f"{wall_server.url}/api/posts/decide", json={"action": "x", "ids": [1]},
                     timeout=10).status_code == 400


def test_kill_switch_and_host_message_reach_screens(wall_server: WallServer) -> None:
    http = wall_server.session()
    screen, _ = screen_client(wall_server)
    assert http.post(f"{wall_server.url}/api/wall/pause", timeout=10).json() == {"paused": True}
    [paused] = receive_until(screen, "wall_paused")
    assert paused["by"] == "moderator"
    assert requests.get(f"{wall_server.url}/api/wall", timeout=10).json()["paused"] is True
    assert http.post(f"{wall_server.url}/api/wall/pause", timeout=10).status_code == 409
    _, resync = screen_client(wall_server)
    assert resync["paused"] is True
    assert http.post(f"{wall_server.url}/api/wall/resume", timeout=10).ok
    receive_until(screen, "wall_resumed")
    reply = http.post(f"{wall_server.url}/api/host_messages",
                      json={"text": "Keynote in room A at 14:00"}, timeout=10)
    assert reply.status_code == 201
    [added] = receive_until(screen, "post_added")
    assert added["post"]["network"] == "host" and added["post"]["author"] == "Organisers"
    assert http.post(f"{wall_server.url}/api/host_messages", json={"text": " "},
                     timeout=10).status_code == 400
    assert requests.post(f"{wall_server.url}/api/wall/pause", timeout=10).status_code == 401
    screen.disconnect()
