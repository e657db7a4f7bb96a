"""Several walls in one server (`socialwall run --walls DIR`): real server, real clients."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import receive_event
from tests.walls import WallsServer, write_wall


def test_each_wall_of_the_folder_has_its_own_posts_and_screens(
        walls_server: WallsServer) -> None:
    alpha, alpha_ack = walls_server.screen("alpha")
    beta, beta_ack = walls_server.screen("beta")
    assert alpha_ack["mode"] == beta_ack["mode"] == "snapshot"
    post_id = walls_server.push("alpha", "Bienvenue à Alpha #alpha")

    name, event = receive_event(alpha)
    while name != "post_added":
        name, event = receive_event(alpha)
    assert event["post"]["id"] == post_id and event["post"]["text"] == "Bienvenue à Alpha #alpha"
    # Beta's screens hear only beta's own figures, never alpha's post.
    with pytest.raises(socketio.exceptions.TimeoutError):
        while True:
            name, event = receive_event(beta, timeout=3)
            assert name == "stats_updated", f"beta's screen got {name}: {event}"
    beta_posts = requests.get(f"{walls_server.url}/w/beta/api/posts?status=approved",
                              timeout=10).json()["posts"]
    assert beta_posts == []
    alpha.disconnect()
    beta.disconnect()


def test_the_index_lists_the_walls_without_posts(walls_server: WallsServer) -> None:
    walls_server.push("alpha", "Un message du public #alpha")
    page = requests.get(f"{walls_server.url}/", timeout=10)
    assert page.status_code == 200
    assert "Alpha Summit" in page.text and "Beta Days" in page.text
    assert 'href="/w/alpha/screen/feed"' in page.text
    assert 'href="/w/beta/moderate"' in page.text
    assert "Un message du public" not in page.text
    feed = requests.get(f"{walls_server.url}/w/alpha/screen/feed", timeout=10).text
    assert 'data-namespace="/w/alpha"' in feed and 'data-base="/w/alpha"' in feed


def test_a_moderator_of_one_wall_can_do_nothing_on_another(walls_server: WallsServer) -> None:
    alpha = walls_server.moderator("alpha")
    post_id = walls_server.push("beta", "Un post de beta #beta")
    url = walls_server.url
    assert alpha.get(f"{url}/w/alpha/api/posts?status=pending", timeout=10).status_code == 200
    # The same browser on beta: no session there.
    reply = alpha.post(f"{url}/w/beta/api/posts/{post_id}/reject", timeout=10)
    assert reply.status_code in (401, 403)
    # Alpha's cookie value under beta's cookie name: still nobody on beta.
    cookie = alpha.cookies.get("session_alpha")
    assert cookie
    forged = requests.post(f"{url}/w/beta/api/posts/{post_id}/reject", timeout=10,
                           cookies={"session_beta": cookie},
                           headers={"X-CSRF-Token": alpha.headers["X-CSRF-Token"]})
    assert forged.status_code in (401, 403)
    assert requests.get(f"{url}/w/beta/api/posts?status=approved",
                        timeout=10).json()["posts"][0]["id"] == post_id

    header = {"Cookie": f"session_alpha={cookie}; session_beta={cookie}"}
    own = socketio.SimpleClient()
    own.connect(url, namespace="/w/alpha/moderator", transports=["websocket"], headers=header)
    assert own.call("join_moderators", {"since": None}, timeout=10)["mode"] == "snapshot"
    own.disconnect()
    other = socketio.SimpleClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        other.connect(url, namespace="/w/beta/moderator", transports=["websocket"],
                      headers=header, wait_timeout=5)


def test_walls_come_and_go_with_their_files(walls_server: WallsServer) -> None:
    folder = walls_server.folder
    assert requests.get(f"{walls_server.url}/w/gamma/screen/feed", timeout=10).status_code == 404
    write_wall(folder, "gamma", "Gamma Forum")
    walls_server.wait_for("gamma", 200)
    post_id = walls_server.push("gamma", "Gamma est ouvert #gamma")
    screen, ack = walls_server.screen("gamma")
    assert [p["id"] for p in ack["posts"]] == [post_id]
    screen.disconnect()

    (folder / "alpha.toml").unlink()
    walls_server.wait_for("alpha", 404)
    refused = socketio.SimpleClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect(walls_server.url, namespace="/w/alpha", transports=["websocket"],
                        wait_timeout=5)
    assert "Alpha Summit" not in requests.get(f"{walls_server.url}/", timeout=10).text
    assert walls_server.push("beta", "Beta continue #beta")


def test_a_broken_file_is_reported_and_the_other_walls_keep_serving(
        walls_server: WallsServer) -> None:
    folder: Path = walls_server.folder
    (folder / "delta.toml").write_text('[wall]\ntitle = "Delta"\ntitel = "typo"\n',
                                       encoding="utf-8")
    (folder / "Bad Name.toml").write_text("", encoding="utf-8")
    entry = '<li class="walls__item walls__item--broken" data-wall="delta"'
    page = ""
    deadline = time.monotonic() + 20
    while entry not in page or 'data-wall="Bad Name"' not in page:
        assert time.monotonic() < deadline, page
        time.sleep(0.2)
        page = requests.get(f"{walls_server.url}/", timeout=10).text
    assert "titel" in page and "Traceback" not in page
    assert "lowercase letters, digits and dashes" in page
    assert requests.get(f"{walls_server.url}/w/delta/screen/feed", timeout=10).status_code == 404
    assert any("delta.toml is NOT served" in line for line in walls_server.output)
    # The running walls never noticed.
    assert walls_server.push("alpha", "Toujours là #alpha")
    screen, _ack = walls_server.screen("beta")
    screen.disconnect()

    # Mended, the wall starts.
    write_wall(folder, "delta", "Delta Meetup")
    walls_server.wait_for("delta", 200)


def test_a_wall_without_a_password_prints_the_one_generated_for_it(
        walls_server: WallsServer) -> None:
    path = write_wall(walls_server.folder, "epsilon", "Epsilon Lab")
    path.write_text(path.read_text().replace('"TEST_WALL_PASSWORD"', '"EPSILON_UNSET"'))
    walls_server.wait_for("epsilon", 200)
    deadline = time.monotonic() + 20
    while not (found := [line for line in walls_server.output
                         if "set EPSILON_UNSET to choose one" in line]):
        assert time.monotonic() < deadline, "".join(walls_server.output)
        time.sleep(0.2)
    password = found[0].rsplit(": ", 1)[1].strip()
    login = requests.post(f"{walls_server.url}/w/epsilon/moderate/login",
                          data={"name": "Mo", "password": password}, timeout=10)
    assert login.status_code == 200 and "data-csrf" in login.text
    health = requests.get(f"{walls_server.url}/healthz", timeout=10).json()
    assert health["walls"] == {"alpha": "running", "beta": "running", "epsilon": "running"}
