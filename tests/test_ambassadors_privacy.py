"""Ambassadors' personal data: erasure, retention, purge, and an event log without names."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import write_config
from tests.pg import fresh_database
from tests.test_ambassadors import _enrol, _enrolment_id, _extra, _moderator, _submit, _token
from tests.test_events_new import socialwall
from wall import retention
from wall.ambassadors.erase import expire_enrolments
from wall.config import load_config
from wall.store import schema

E, H = schema.ambassador_enrolments, schema.ambassador_handles
NAME = "Jeanne Dupont-Privée"


def _app(tmp_path: Path, retention_days: int = 0, database: str = "") -> Any:
    from wall import create_app

    path = write_config(tmp_path, mode="post", async_mode="threading", extra=_extra(tmp_path))
    text = path.read_text(encoding="utf-8")
    if retention_days:
        text = text.replace('language = "en"',
                            f'language = "en"\nretention_days = {retention_days}', 1)
    if database:
        text = text.replace("[server]\n", f'[server]\ndatabase = "{database}"\n', 1)
    path.write_text(text, encoding="utf-8")
    return create_app(load_config(path), {"TESTING": True})


def _rows(application: Any, table: Any) -> list[dict[str, Any]]:
    with application.extensions["socialwall"].store.read() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def _audit(application: Any) -> list[dict[str, Any]]:
    return [r for r in _rows(application, schema.audit) if r["action"].startswith("ambassador_")]


def _export(application: Any, tmp_path: Path) -> list[dict[str, str]]:
    application.extensions["socialwall"].store.close()
    done = socialwall("export", "ambassadors", "--format", "csv", "--config",
                      str(tmp_path / "wall.toml"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_a_moderator_erases_an_enrolment_and_the_audit_keeps_only_that_it_happened(
        tmp_path: Path) -> None:
    application = _app(tmp_path)
    client, moderator = application.test_client(), _moderator(application)
    token = _token(_enrol(client, name=NAME, team="Atelier Lyon", handle_any="@jeanne.d"))
    _token(_enrol(client, name="Other Person", handle_any="@other"))
    enrolment = [e for e in moderator.get("/api/ambassadors").get_json()["enrolments"]
                 if e["name"] == NAME][0]["id"]
    moderator.post(f"/api/ambassadors/{enrolment}/approve")
    post = _submit(application, handle="@jeanne.d", text="Fière de l'équipe")
    assert post["ambassador"] is True
    assert application.test_client().post(f"/api/ambassadors/{enrolment}/erase").status_code \
        in (401, 403)
    reply = moderator.post(f"/api/ambassadors/{enrolment}/erase")
    assert reply.status_code == 200 and reply.get_json() == {"erased": enrolment}
    assert moderator.post(f"/api/ambassadors/{enrolment}/erase").status_code == 404
    # Read back from the database: the enrolment, its handles and its token are gone.
    assert [r["name"] for r in _rows(application, E)] == ["Other Person"]
    assert all(r["handle"] != "jeanne.d" for r in _rows(application, H))
    assert client.get(f"/ambassadors/me/{token}").status_code == 404
    # The audit says what happened and when, for enrolment N, never who.
    steps = [r for r in _audit(application) if f"enrolment {enrolment}" in r["reasons_json"]]
    assert [r["action"] for r in steps] == ["ambassador_enrol", "ambassador_approve",
                                           "ambassador_erase"]
    dumped = json.dumps(_rows(application, schema.audit), default=str)
    assert "Jeanne" not in dumped and "Atelier" not in dumped
    # (The post's own audit keeps its handle, as the post itself does.)
    assert "jeanne.d" not in json.dumps(_audit(application), default=str)
    assert steps[0]["actor"] == "employee" and steps[2]["actor"] == "Mo"
    # Nor does the event log hold a name: ambassador_changed carries ids and states.
    events = _rows(application, schema.events)
    assert "Jeanne" not in json.dumps([e["body_json"] for e in events
                                       if e["type"] == "ambassador_changed"])
    assert [json.loads(e["body_json"])["change"] for e in events
            if e["type"] == "ambassador_changed" and
            json.loads(e["body_json"])["id"] == enrolment] == ["enrolled", "approved", "erased"]
    # Their post stays on the wall as an ordinary post, and out of the counts.
    kept = application.extensions["socialwall"].store.get(post["id"])
    assert kept["status"] == "approved" and kept["ambassador"] is False
    assert _submit(application, handle="@jeanne.d")["ambassador"] is False
    assert [r["name"] for r in _export(application, tmp_path)] == ["Other Person"]


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_retention_erases_enrolments_left_or_refused_longer_ago(tmp_path: Path,
                                                                engine: str) -> None:
    if engine == "postgresql":
        with fresh_database("socialwall_amb") as url:
            _retention(tmp_path, url)
    else:
        _retention(tmp_path, "")


def _retention(tmp_path: Path, database: str) -> None:
    application = _app(tmp_path, retention_days=30, database=database)
    wall = application.extensions["socialwall"]
    client, moderator = application.test_client(), _moderator(application)
    left = _token(_enrol(client, name="Left Long Ago", handle_any="@left"))
    _token(_enrol(client, name="Refused Long Ago", handle_any="@refused"))
    _token(_enrol(client, name="Still Waiting", handle_any="@waiting"))
    _token(_enrol(client, name="Approved Ambassador", handle_any="@approved"))
    ids = {e["name"]: e["id"] for e in moderator.get("/api/ambassadors").get_json()["enrolments"]}
    moderator.post(f"/api/ambassadors/{ids['Refused Long Ago']}/refuse")
    moderator.post(f"/api/ambassadors/{ids['Approved Ambassador']}/approve")
    page = client.get(f"/ambassadors/me/{left}").get_data(as_text=True)
    form_token = page.split('name="form_token" value="')[1].split('"')[0]
    assert client.post(f"/ambassadors/me/{left}/leave",
                       data={"form_token": form_token}).status_code == 303
    now = datetime.now(UTC)
    assert expire_enrolments(wall.store, 30, now + timedelta(days=29)) == 0
    assert len(_rows(application, E)) == 4
    # Thirty-one days on, the withdrawn and refused enrolments go; the others stay.
    assert retention.sweep(wall, tmp_path / "media", now + timedelta(days=31)) == 2
    assert sorted(r["name"] for r in _rows(application, E)) == ["Approved Ambassador",
                                                                "Still Waiting"]
    assert {r["handle"] for r in _rows(application, H)} == {"approved", "waiting"}
    dumped = json.dumps(_rows(application, schema.audit), default=str)
    assert "Left Long Ago" not in dumped and "Refused Long Ago" not in dumped
    exported = _export(application, tmp_path)
    assert sorted(r["name"] for r in exported) == ["Approved Ambassador", "Still Waiting"]


def test_purge_leaves_no_enrolment(tmp_path: Path) -> None:
    application = _app(tmp_path)
    client, moderator = application.test_client(), _moderator(application)
    _token(_enrol(client))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    application.extensions["socialwall"].store.close()
    done = socialwall("purge", "--config", str(tmp_path / "wall.toml"), "--yes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ambassador_enrolments" in done.stdout
    reopened = _app(tmp_path)
    try:
        with reopened.extensions["socialwall"].store.read() as conn:
            assert conn.execute(select(func.count()).select_from(E)).scalar() == 0
            assert conn.execute(select(func.count()).select_from(H)).scalar() == 0
    finally:
        reopened.extensions["socialwall"].store.close()


def test_the_event_log_tells_moderators_of_each_step_in_the_same_transaction(
        tmp_path: Path) -> None:
    application = _app(tmp_path)
    wall = application.extensions["socialwall"]
    client, moderator = application.test_client(), _moderator(application)
    token = _token(_enrol(client))
    enrolment = _enrolment_id(moderator)
    moderator.post(f"/api/ambassadors/{enrolment}/approve")
    shown = _submit(application, handle="@jane.doe")
    page = client.get(f"/ambassadors/me/{token}").get_data(as_text=True)
    form_token = page.split('name="form_token" value="')[1].split('"')[0]
    before = wall.store.last_seq()
    client.post(f"/ambassadors/me/{token}/leave", data={"form_token": form_token})
    events = wall.store.events_since(before, ["public", "moderators"])
    assert events is not None
    # The card on the screens loses its badge, then the moderators hear who left.
    assert [(e.type, e.audience) for e in events] == [("post_updated", "public"),
                                                       ("ambassador_changed", "moderators")]
    assert events[0].body["post"]["id"] == shown["id"]
    assert events[0].body["post"]["ambassador"] is False
    assert events[1].body == {"id": enrolment, "change": "left", "status": "left"}
