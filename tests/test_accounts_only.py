"""A wall moderated with named accounts only needs no shared password, and prints none."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_config
from wall import accounts_db, create_app
from wall.config import load_config
from wall.walldb import opened


def test_named_accounts_in_the_database_replace_the_shared_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_WALL_PASSWORD")
    config = load_config(write_config(tmp_path, async_mode="threading"))
    with opened(config) as store:
        accounts_db.add(store, "Zoé", "a long secret")
    app = create_app(config, {"TESTING": True})
    assert app.config["MODERATOR_PASSWORD"] == ""
    assert not app.config["MODERATOR_PASSWORD_GENERATED"]
    client = app.test_client()
    assert client.post("/moderate/login", data={"name": "Zoé", "password":
                                                "a long secret"}).status_code == 302
    # No other name opens the desk: there is no shared password to guess.
    assert client.post("/moderate/login", data={"name": "Max", "password":
                                                ""}).status_code in (400, 401)
    app.extensions["socialwall"].store.close()


@pytest.mark.slow
def test_run_prints_no_generated_password_when_accounts_exist(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "TEST_WALL_PASSWORD"}
    env.update(TEST_WALL_TOKEN="token", PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    added = subprocess.run(
        [sys.executable, "-m", "wall.cli", "moderator", "add", "Zoé", "--password-stdin",
         "--config", str(path)], input="a long secret\n", capture_output=True, text=True,
        env=env, timeout=120)
    assert added.returncode == 0, added.stderr
    checked = subprocess.run([sys.executable, "-m", "wall.cli", "check", "--config", str(path)],
                             capture_output=True, text=True, env=env, timeout=120)
    assert checked.returncode == 0, checked.stderr
    assert "TEST_WALL_PASSWORD" not in checked.stdout + checked.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "wall.cli", "run", "--config", str(path), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    banner: list[str] = []
    try:
        for line in proc.stdout:
            banner.append(line)
            if "Press Ctrl+C" in line or re.search(r"Traceback|cannot start", line):
                break
    finally:
        proc.terminate()
        proc.wait(20)
        proc.stdout.close()
    text = "".join(banner)
    assert "is running" in text, text
    assert "Moderator password" not in text
