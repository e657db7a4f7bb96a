"""The Ambassadors tab stays live: moderators hear enrolments, proofs and withdrawals."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.test_desk import moderator_socket
from tests.test_desk_browser import log_in
from tests.test_events_new import socialwall
from tests.test_realtime import receive_until

TIMEOUT = 20_000
TABLET = {"width": 1024, "height": 768}
HOSTILE = "Jane <img src=x onerror=alert(1)> Doe"


def amb_server(factory: Any, tmp_path: Path, screens: str = "") -> WallServer:
    """A wall with enrolment and proof of account on."""
    charter = tmp_path / "charter.md"
    charter.write_text("# Charter\n\n1. Be kind.\n2. Never share figures.\n", encoding="utf-8")
    server: WallServer = factory(mode="post", screens=screens, extra=f"""
[ambassadors]
enrolment = true
charter_file = "{charter}"
verify = true
""")
    return server


class Employee:
    """An employee's browser session: enrol, read the private page, leave."""

    def __init__(self, server: WallServer, name: str, handle: str) -> None:
        self.server, self.http = server, requests.Session()
        form = self.http.get(f"{server.url}/ambassadors/join", timeout=10).text
        token = re.search(r'name="form_token" value="([^"]+)"', form)
        assert token
        reply = self.http.post(f"{server.url}/ambassadors/join", timeout=10, data={
            "form_token": token[1], "name": name, "team": "Workshop", "handle_any": handle,
            "accept": "yes", "consent": "yes"})
        assert reply.status_code == 200 and "/ambassadors/me/" in reply.url, reply.text[:300]
        self.page_url = reply.url.split("?")[0]
        phrase = re.search(r"data-phrase>(wall-[0-9a-f]{6})<", reply.text)
        self.phrase = phrase[1] if phrase else ""

    def leave(self) -> None:
        """Tap "Leave the programme"."""
        page = self.http.get(self.page_url, timeout=10).text
        token = re.search(r'name="form_token" value="([^"]+)"', page)
        assert token
        done = self.http.post(f"{self.page_url}/leave", data={"form_token": token[1]},
                              timeout=10)
        assert done.status_code == 200 and 'data-ambassador-status="left"' in done.text


def _changes(client: Any, count: int) -> list[dict[str, Any]]:
    return [receive_until(client, "ambassador_changed", timeout=20)[0] for _ in range(count)]


@pytest.mark.slow
def test_a_moderator_socket_hears_each_enrolment_proof_and_withdrawal(
        wall_server_factory: Any, tmp_path: Path) -> None:
    server = amb_server(wall_server_factory, tmp_path)
    http = server.session()
    client, _ = moderator_socket(server, http)
    try:
        jane = Employee(server, HOSTILE, "@jane.doe")
        [enrolled] = _changes(client, 1)
        assert enrolled["change"] == "enrolled" and enrolled["status"] == "pending"
        assert set(enrolled) == {"type", "seq", "id", "change", "status"}  # no name, no handle
        assert http.post(f"{server.url}/api/ambassadors/{enrolled['id']}/approve",
                         timeout=10).status_code == 200
        assert _changes(client, 1)[0]["change"] == "approved"
        server.push({"author": "Jane", "handle": "@jane.doe", "text": f"It's me {jane.phrase}"})
        [verified] = _changes(client, 1)
        assert (verified["id"], verified["change"]) == (enrolled["id"], "verified")
        [badged] = server.push({"author": "Jane", "handle": "@jane.doe", "text": "Badge"})
        jane.leave()
        # Screens and moderators hear the card lose its badge, then who left.
        [updated] = receive_until(client, "post_updated", timeout=20)
        assert updated["post"]["id"] == badged and updated["post"]["ambassador"] is False
        assert _changes(client, 1)[0] == {"type": "ambassador_changed", "seq": updated["seq"] + 1,
                                          "id": enrolled["id"], "change": "left",
                                          "status": "left"}
    finally:
        client.disconnect()


@pytest.mark.slow
def test_the_tab_updates_while_open_and_erases_after_a_second_tap(
        wall_server_factory: Any, page_factory: Any, tmp_path: Path) -> None:
    server = amb_server(wall_server_factory, tmp_path)
    tablet = page_factory(f"{server.url}/moderate", **TABLET)
    log_in(tablet)
    tablet.click('[data-tab="ambassadors"]')
    tablet.locator('[data-empty="ambassadors"]').wait_for(timeout=TIMEOUT)
    jane = Employee(server, HOSTILE, "@jane.doe")
    row = tablet.locator("[data-enrolment-id]")
    row.wait_for(timeout=TIMEOUT)  # no reload: the event brought it
    assert HOSTILE in row.inner_text() and tablet.locator("img").count() == 0
    assert "is-new" in (row.get_attribute("class") or "")
    tablet.locator('[data-count="ambassadors"]').filter(has_text="1").wait_for(timeout=TIMEOUT)
    row.locator('[data-action="approve-ambassador"]').click()
    tablet.wait_for_selector('[data-status="approved"]', timeout=TIMEOUT)
    assert "not verified yet" in row.inner_text()
    server.push({"author": "Jane", "handle": "@jane.doe", "text": f"Proof: {jane.phrase}"})
    row.locator(".enrolment__proof.is-ok").filter(has_text="verified").wait_for(timeout=TIMEOUT)
    jane.leave()
    tablet.wait_for_selector('[data-enrolment-id][data-status="left"]', timeout=TIMEOUT)
    erase = row.locator('[data-action="erase-ambassador"]')
    erase.click()
    assert "Tap again" in erase.inner_text()  # nothing erased on the first tap
    assert tablet.locator("[data-enrolment-id]").count() == 1
    tablet.wait_for_timeout(300)  # the button's colour change
    screenshot(tablet, "ambassadors-erase-armed")
    erase.click()
    tablet.locator("[data-enrolment-id]").wait_for(state="detached", timeout=TIMEOUT)
    tablet.locator("[data-toast]").filter(has_text="erased").wait_for(timeout=TIMEOUT)
    assert requests.get(jane.page_url, timeout=10).status_code == 404
    export = socialwall("export", "ambassadors", "--format", "csv", "--config",
                        str(server.config_path), cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    assert export.stdout.strip().splitlines() == [
        "name,team,status,handles,charter_version,accepted_at,verified,posts_counted,left_at"]
    assert not tablet.errors  # type: ignore[attr-defined]
