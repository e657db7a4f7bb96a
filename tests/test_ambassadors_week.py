"""The ambassador of the week: who is picked, when nobody is, and when it is switched off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from tests.conftest import write_config
from tests.test_ambassadors import _enrol, _extra, _moderator, _submit, _token
from wall.config import load_config
from wall.store import schema

HOSTILE = "Ana <img src=x onerror=alert(1)>"


def _app(tmp_path: Path, on: bool = True) -> Any:
    from wall import create_app

    path = write_config(tmp_path, mode="post", async_mode="threading", extra=_extra(tmp_path),
                        screens=f"ambassador_of_the_week = {'true' if on else 'false'}")
    return create_app(load_config(path), {"TESTING": True})


@pytest.fixture
def week_app(tmp_path: Path) -> Any:
    application = _app(tmp_path)
    yield application
    application.extensions["socialwall"].store.close()


def _people(application: Any) -> tuple[Any, dict[str, int], dict[str, str]]:
    client, moderator = application.test_client(), _moderator(application)
    tokens = {"ana": _token(_enrol(client, name=HOSTILE, team="Atelier", handle_any="@ana")),
              "ben": _token(_enrol(client, name="Ben", team="", handle_any="@ben"))}
    ids = {("ana" if e["name"] == HOSTILE else "ben"): e["id"]
           for e in moderator.get("/api/ambassadors").get_json()["enrolments"]}
    for enrolment in ids.values():
        assert moderator.post(f"/api/ambassadors/{enrolment}/approve").status_code == 200
    return moderator, ids, tokens


def _week(application: Any) -> Any:
    reply = application.test_client().get("/api/ambassadors/week")
    assert reply.status_code == 200
    return reply.get_json()["ambassador"]


def test_the_most_posts_over_seven_days_wins_and_ties_go_to_the_latest(week_app: Any) -> None:
    assert _week(week_app) is None  # nobody enrolled yet
    moderator, ids, _ = _people(week_app)
    assert _week(week_app) is None  # approved, but no post yet
    first = _submit(week_app, handle="@ana", text="Our stand opens at nine")
    _submit(week_app, handle="@ana", text="Come and see the workshop")
    _submit(week_app, handle="@ben", text="Hello from the sales team")
    _submit(week_app, handle="@visitor", text="Not an ambassador")
    week = _week(week_app)
    assert (week["id"], week["name"], week["team"], week["count"]) == (ids["ana"], HOSTILE,
                                                                       "Atelier", 2)
    assert week["post"]["text"] == "Come and see the workshop"  # the latest, none highlighted
    # A highlighted post of theirs is the one shown.
    assert moderator.post(f"/api/posts/{first['id']}/highlight").status_code == 200
    assert _week(week_app)["post"]["id"] == first["id"]
    # Ben catches up: two each, Ben posted last.
    _submit(week_app, handle="@ben", text="Second post from Ben")
    assert (_week(week_app)["id"], _week(week_app)["count"]) == (ids["ben"], 2)
    # Posts received more than seven days ago do not count.
    with week_app.extensions["socialwall"].store.begin() as conn:
        old = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=8)
        conn.execute(update(schema.posts).where(schema.posts.c.handle == "@ben")
                     .values(received_at=old))
    _submit(week_app, handle="@visitor", text="Any change of the wall")
    assert _week(week_app)["id"] == ids["ana"]


def test_refusing_leaving_or_erasing_takes_them_off_at_once(week_app: Any) -> None:
    moderator, ids, tokens = _people(week_app)
    _submit(week_app, handle="@ana", text="One")
    _submit(week_app, handle="@ana", text="Two")
    _submit(week_app, handle="@ben", text="Three")
    assert _week(week_app)["id"] == ids["ana"]
    assert moderator.post(f"/api/ambassadors/{ids['ana']}/refuse").status_code == 200
    assert _week(week_app)["id"] == ids["ben"]
    client = week_app.test_client()
    page = client.get(f"/ambassadors/me/{tokens['ben']}").get_data(as_text=True)
    form_token = page.split('name="form_token" value="')[1].split('"')[0]
    assert client.post(f"/ambassadors/me/{tokens['ben']}/leave",
                       data={"form_token": form_token}).status_code == 303
    assert _week(week_app) is None
    assert moderator.post(f"/api/ambassadors/{ids['ana']}/approve").status_code == 200
    _submit(week_app, handle="@ana", text="Back")
    assert _week(week_app)["id"] == ids["ana"]
    assert moderator.post(f"/api/ambassadors/{ids['ana']}/erase").status_code == 200
    assert _week(week_app) is None


def test_it_is_off_unless_the_screens_table_asks(tmp_path: Path) -> None:
    application = _app(tmp_path, on=False)
    try:
        _people(application)
        _submit(application, handle="@ana", text="One")
        reply = application.test_client().get("/api/ambassadors/week").get_json()
        assert reply == {"enabled": False, "ambassador": None}
        page = application.test_client().get("/screen/highlights").get_data(as_text=True)
        assert 'data-ambassador-of-the-week="false"' in page
    finally:
        application.extensions["socialwall"].store.close()
    (tmp_path / "on").mkdir()
    on = _app(tmp_path / "on")
    try:
        page = on.test_client().get("/screen/highlights").get_data(as_text=True)
        assert 'data-ambassador-of-the-week="true"' in page
    finally:
        on.extensions["socialwall"].store.close()
