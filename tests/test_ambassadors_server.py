"""Ambassadors on a real `socialwall run`: the proof phrase seen by the webhook source."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import WallServer


def _wait(check: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


@pytest.mark.slow
def test_the_phrase_posted_from_the_handle_verifies_it_then_the_badge_comes(
        wall_server_factory: Any, tmp_path: Path) -> None:
    charter = tmp_path / "charter.txt"
    charter.write_text("Be kind.\n", encoding="utf-8")
    server: WallServer = wall_server_factory(mode="post", extra=f"""
[ambassadors]
enrolment = true
charter_file = "{charter}"
charter_version = "v3"
verify = true
""")
    employee = requests.Session()
    form = employee.get(f"{server.url}/ambassadors/join", timeout=10).text
    token = re.search(r'name="form_token" value="([^"]+)"', form)
    assert token
    enrolled = employee.post(f"{server.url}/ambassadors/join", timeout=10, data={
        "form_token": token[1], "name": "Jane", "handle_any": "@jane.doe", "accept": "yes",
        "consent": "yes"})
    phrase = re.search(r"data-phrase>(wall-[0-9a-f]{6})<", enrolled.text)
    assert enrolled.status_code == 200 and phrase, enrolled.text
    moderator = server.session()
    [item] = moderator.get(f"{server.url}/api/ambassadors", timeout=10).json()["enrolments"]
    assert item["charter_version"] == "v3"
    assert moderator.post(f"{server.url}/api/ambassadors/{item['id']}/approve",
                          timeout=10).status_code == 200
    [unproven] = server.push({"author": "Jane", "handle": "@jane.doe", "text": "Hello"})
    server.push({"author": "Imposter", "handle": "@not.jane", "text": f"copy {phrase[1]}"})
    server.push({"author": "Jane", "handle": "@jane.doe", "text": f"It's me: {phrase[1]}"})

    def verified() -> bool:
        reply = moderator.get(f"{server.url}/api/ambassadors", timeout=10).json()
        return bool(reply["enrolments"][0]["handles"][0]["verified"])

    _wait(verified)

    def badged() -> bool:
        [post_id] = server.push({"author": "Jane", "handle": "@jane.doe", "text": "Badge?"})
        posts = requests.get(f"{server.url}/api/posts", timeout=10).json()["posts"]
        return any(p["id"] == post_id and p["ambassador"] for p in posts)

    _wait(badged)
    posts = requests.get(f"{server.url}/api/posts", timeout=10).json()["posts"]
    assert [p["ambassador"] for p in posts if p["id"] == unproven] == [False]
