"""`socialwall new`, `check`, `run` and `moderator` as a new user runs them."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, WallServer
from wall import create_app
from wall.config import load_config


def socialwall(*args: str, cwd: Path, stdin: str | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `socialwall` command in a folder, with the package importable."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("EVENTS_")}
    full = dict(base, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "wall.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, env=full)


def wait_for(predicate: Callable[[], bool], timeout: float = 20) -> None:
    """Wait until predicate() holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def env_values(path: Path) -> dict[str, str]:
    """Read NAME='value' lines of an env file written by `new`."""
    return {m.group(1): m.group(2) for m in
            re.finditer(r"^([A-Z0-9_]+)='?([^'\n]*)'?$", path.read_text(), re.M)}


@pytest.mark.slow
def test_new_non_interactive_then_check_then_run(tmp_path: Path) -> None:
    done = socialwall("new", "events-a", "--title", "DevCon Lyon 2026", "--hashtags",
                      "#DevConLyon, devcon", "--language", "fr", "--mode", "pre",
                      "--networks", "webhook,attendees,x", "--port", "0", "--yes",
                      cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    config_path, env_path = tmp_path / "events-a.toml", tmp_path / "events-a.env"
    assert stat.S_IMODE(env_path.stat().st_mode) == 0o600
    out = done.stdout
    assert "Wrote events-a.toml (the wall) and events-a.env" in out
    assert re.search(r"Feed: +http://\S+/screen/feed", out)
    assert re.search(r"Attendees: +http://\S+/attend", out)
    secrets = env_values(env_path)
    password = secrets["EVENTS_A_MODERATOR_PASSWORD"]
    assert f"Moderator login: any name, password {password}" in out
    assert ("Still missing (fill them in events-a.env):\n  EVENTS_A_X_BEARER_TOKEN: source x: "
            "the X app's bearer token (developer.x.com, paid plan)") in out

    config = load_config(config_path)
    assert config.wall.title == "DevCon Lyon 2026"
    assert config.wall.hashtags == ("DevConLyon", "devcon")
    assert config.wall.language == "fr" and config.moderation.mode == "pre"
    assert [s.type for s in config.sources] == ["webhook", "attendees", "x"]
    assert config.server.instance_dir == tmp_path / "events-a-data"

    check = socialwall("check", "--config", "events-a.toml", cwd=tmp_path)
    assert check.returncode == 1
    assert check.stderr == (
        "socialwall: events-a.toml: 1 thing(s) to fix before `run`:\n"
        "  - EVENTS_A_X_BEARER_TOKEN is not set: source x: the X app's bearer token "
        "(developer.x.com, paid plan)\n")

    text = env_path.read_text().replace("EVENTS_A_X_BEARER_TOKEN=", "EVENTS_A_X_BEARER_TOKEN='t'")
    env_path.write_text(text)
    check = socialwall("check", "--config", "events-a.toml", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert 'events-a.toml: valid. Wall "DevCon Lyon 2026"' in check.stdout

    # The x source would call the real X API: the run switches it off, as a team
    # without a paid plan would.
    config_path.write_text(config_path.read_text().replace('type = "x" ',
                                                           'type = "x"\nenabled = false\n#'))
    server = WallServer(config_path)
    server.start()
    try:
        wait_for(lambda: "Press Ctrl+C" in "".join(server.output))
        banner = "".join(server.output)
        assert f"Attendees:   {server.url}/attend" in banner
        assert 'Loading "DevCon Lyon 2026": the database, the moderation rules' in banner
        http = requests.Session()
        login = http.post(f"{server.url}/moderate/login",
                          data={"name": "Camille", "password": password}, timeout=10)
        assert login.status_code == 200 and "data-csrf" in login.text
        posted = requests.post(f"{server.url}/api/ingest", timeout=10,
                               json={"author": "Léa", "text": "Bonjour #DevConLyon"},
                               headers={"Authorization":
                                        f"Bearer {secrets['EVENTS_A_WEBHOOK_TOKEN']}"})
        assert posted.status_code == 202, posted.text
    finally:
        server.stop()


def test_new_with_answers_on_standard_input(tmp_path: Path) -> None:
    answers = "\n".join(["Velocia Days", "VelociaDays velocia", "klingon", "fr",
                         "mastodon, webhook", "post", "Alice, Bob Martin", ""])
    done = socialwall("new", "velocia", cwd=tmp_path, stdin=answers)
    assert done.returncode == 0, done.stderr
    assert '  the language is one of en, fr (got "klingon")' in done.stdout
    config = load_config(tmp_path / "velocia.toml")
    assert config.wall.title == "Velocia Days"
    assert config.wall.hashtags == ("VelociaDays", "velocia")
    assert config.wall.language == "fr" and config.moderation.mode == "post"
    assert [s.type for s in config.sources] == ["mastodon", "webhook"]
    logins = dict(re.findall(r"^  (Alice|Bob Martin): (\S+)$", done.stdout, re.M))
    assert set(logins) == {"Alice", "Bob Martin"}
    # Named accounts only: no shared password is written, printed or asked for by check.
    assert "MODERATOR_PASSWORD=" not in (tmp_path / "velocia.env").read_text(encoding="utf-8")
    assert "any name" not in done.stdout
    checked = socialwall("check", "--config", "velocia.toml", cwd=tmp_path)
    assert "MODERATOR_PASSWORD" not in checked.stdout + checked.stderr
    listed = socialwall("moderator", "list", "--config", "velocia.toml", cwd=tmp_path)
    assert [line.split("  (")[0] for line in listed.stdout.splitlines()] == [
        "Alice", "Bob Martin"]
    app = create_app(config, {"TESTING": True})
    client = app.test_client()
    bob = logins["Bob Martin"]
    # 302: on to the queue; 401: the login form again, "wrong password"
    assert client.post("/moderate/login", data={"name": "bob martin",
                                                "password": bob}).status_code == 302
    assert client.post("/moderate/login", data={"name": "Alice",
                                                "password": bob}).status_code == 401


def test_new_refuses_a_bad_slug_and_an_existing_wall(tmp_path: Path) -> None:
    bad = socialwall("new", "Dev Con!", "--yes", cwd=tmp_path)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith('socialwall: "Dev Con!" cannot name a wall: use 1 to 40 '
                                 "lower-case letters")
    assert socialwall("new", "twice", "--yes", cwd=tmp_path).returncode == 0
    again = socialwall("new", "twice", "--yes", cwd=tmp_path)
    assert again.returncode == 1
    assert "twice.toml and twice.env exist already" in again.stderr


@pytest.mark.slow
def test_moderator_accounts_add_list_remove_and_log_in(tmp_path: Path) -> None:
    assert socialwall("new", "desk", "--networks", "demo", "--yes", cwd=tmp_path).returncode == 0
    added = socialwall("moderator", "add", "Zoé", "--password-stdin", "--config", "desk.toml",
                       cwd=tmp_path, stdin="a long secret $x\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout == 'Moderator "Zoé" added: log in at /moderate with this name and ' \
                           "password.\n"
    twice = socialwall("moderator", "add", "zoé", "--password-stdin", "--config", "desk.toml",
                       cwd=tmp_path, stdin="another secret\n")
    assert twice.returncode == 1
    assert twice.stderr == ('socialwall: a moderator named "zoé" exists already; remove it '
                            "first to change the password\n")
    short = socialwall("moderator", "add", "Max", "--password-stdin", "--config", "desk.toml",
                       cwd=tmp_path, stdin="short\n")
    assert short.stderr == "socialwall: use a password of at least 8 characters\n"

    config = load_config(tmp_path / "desk.toml")
    client = create_app(config, {"TESTING": True}).test_client()
    assert client.post("/moderate/login", data={"name": "Zoé", "password":
                                                "a long secret $x"}).status_code == 302
    removed = socialwall("moderator", "remove", "ZOÉ", "--config", "desk.toml", cwd=tmp_path)
    assert removed.stdout == 'Moderator "ZOÉ" removed: they can no longer log in.\n'
    listed = socialwall("moderator", "list", "--config", "desk.toml", cwd=tmp_path)
    assert listed.stdout.startswith("No moderator account yet")
    client = create_app(config, {"TESTING": True}).test_client()
    assert client.post("/moderate/login", data={"name": "Zoé", "password":
                                                "a long secret $x"}).status_code == 401
