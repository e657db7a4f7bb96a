"""[wall] starts_at and ends_at: phases on a controllable clock, countdown and thanks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import WallServer, write_config
from wall import create_app
from wall.config import ConfigError, load_config
from wall.schedule import AFTER, BEFORE, LIVE, phase, sources_stopper

START = datetime(2026, 6, 4, 9, 0, tzinfo=UTC)
END = datetime(2026, 6, 5, 18, 0, tzinfo=UTC)


def schedule_config(tmp_path: Path, lines: str) -> Any:
    path = write_config(tmp_path, mode="post", async_mode="threading")
    text = path.read_text().replace('language = "en"', 'language = "en"\n' + lines)
    path.write_text(text)
    return load_config(path)


def test_the_schedule_is_read_with_its_offset(tmp_path: Path) -> None:
    config = schedule_config(tmp_path, 'starts_at = "2026-06-04T11:00:00+02:00"\n'
                                       "ends_at = 2026-06-05T18:00:00Z\n")
    assert config.wall.starts_at == START and config.wall.ends_at == END


@pytest.mark.parametrize(("lines", "problem"), [
    ('starts_at = "2026-06-04T09:00:00"',
     "wall.starts_at: needs its offset from UTC, e.g. +02:00 for Paris in summer or Z for "
     'UTC: "2026-06-04T09:00:00+02:00"'),
    ('starts_at = "June 4th"',
     'wall.starts_at: must be a date and time like "2026-06-04T09:00:00+02:00" '
     '(got "June 4th")'),
    ('starts_at = "2026-06-04T09:00:00Z"\nends_at = "2026-06-04T08:00:00Z"',
     "wall.ends_at: must come after starts_at"),
])
def test_a_bad_schedule_is_explained(tmp_path: Path, lines: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        schedule_config(tmp_path, lines)
    assert caught.value.problems == [problem]


def test_phases_follow_the_clock() -> None:
    assert phase(START, END, START - timedelta(seconds=1)) == BEFORE
    assert phase(START, END, START) == LIVE
    assert phase(START, END, END - timedelta(seconds=1)) == LIVE
    assert phase(START, END, END) == AFTER
    assert phase(None, None, END) == LIVE


def test_sources_stop_at_the_end_on_a_controllable_clock() -> None:
    now = [END - timedelta(minutes=1)]
    stopping = sources_stopper(END, lambda: False, clock=lambda: now[0])
    assert stopping() is False
    now[0] = END
    assert stopping() is True
    assert sources_stopper(None, lambda: False)() is False


def test_the_schedule_endpoint_gives_the_server_time_and_final_figures(tmp_path: Path) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    config = schedule_config(tmp_path, f'ends_at = "{past.isoformat()}"\n')
    client = create_app(config, {"TESTING": True}).test_client()
    body = client.get("/api/schedule").get_json()
    assert body["phase"] == "after" and body["starts_at"] is None
    assert body["figures"]["total"] == 0
    page = client.get("/screen/feed").get_data(as_text=True)
    assert 'data-schedule="/api/schedule"' in page


@pytest.mark.slow
def test_screens_count_down_then_show_the_wall_then_say_thank_you(
        tmp_path: Path, browser: Any) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    starts, ends = now + timedelta(hours=1), now + timedelta(hours=2)
    path = write_config(tmp_path, mode="post")
    path.write_text(path.read_text().replace(
        'language = "en"', f'language = "en"\nstarts_at = "{starts.isoformat()}"\n'
        f'ends_at = "{ends.isoformat()}"'))
    server = WallServer(path)
    server.start()
    try:
        server.push({"author": "Ana", "handle": "@ana", "text": "Ready #TestDays"},
                    {"author": "Ben", "handle": "@ben", "text": "On my way #TestDays"})
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.clock.install()  # the page's clock, moved by the test; the server keeps real time
        page.goto(f"{server.url}/screen/feed")
        countdown = page.locator('[data-slide="countdown"]')
        countdown.wait_for(timeout=15000)
        assert re.fullmatch(r"00:5\d:\d\d", page.locator("[data-countdown]").inner_text())
        screenshot(page, "schedule-countdown")
        page.clock.run_for("01:00:05")
        countdown.wait_for(state="detached", timeout=15000)
        assert page.locator("body").get_attribute("data-phase") == "live"
        assert page.locator('[data-slide="thanks"]').count() == 0
        page.clock.run_for("01:00:00")
        thanks = page.locator('[data-slide="thanks"]')
        thanks.wait_for(timeout=15000)
        assert thanks.locator('[data-figure="total"] strong').inner_text() == "2"
        assert thanks.locator('[data-figure="authors"] strong').inner_text() == "2"
        assert "Thank you!" in thanks.inner_text()
        screenshot(page, "schedule-thanks")
        assert errors == []
        context.close()
    finally:
        server.stop()
