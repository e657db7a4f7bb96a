"""Ambassadors: enrolment with the charter, moderators' decisions, badges, proof, export."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, ROOT, make_post, write_config
from wall import stats
from wall.ambassadors.queries import scan_proofs
from wall.config import ConfigError, load_config

CHARTER = "# Our charter\n\nBe kind. <script>alert('charter')</script> **Never** leak figures.\n"
HOSTILE = "<img src=x onerror=alert(1)>"


def _extra(tmp_path: Path, verify: bool = False, version: str = "") -> str:
    (tmp_path / "charter.md").write_text(CHARTER, encoding="utf-8")
    return f"""
[ambassadors]
enrolment = true
charter_file = "{tmp_path / 'charter.md'}"
charter_version = "{version}"
confidential_words = ["Project Falcon"]
verify = {'true' if verify else 'false'}

[[sources]]
type = "mastodon"
instances = ["https://mastodon.example"]
"""


def _app(tmp_path: Path, **kwargs: Any) -> Any:
    from wall import create_app

    path = write_config(tmp_path, mode="post", async_mode="threading",
                        extra=_extra(tmp_path, **kwargs))
    return create_app(load_config(path), {"TESTING": True})


@pytest.fixture
def amb_app(tmp_path: Path) -> Any:
    application = _app(tmp_path)
    yield application
    application.extensions["socialwall"].store.close()


def _form_token(client: Any) -> str:
    page = client.get("/ambassadors/join")
    assert page.status_code == 200
    match = re.search(r'name="form_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match
    return match.group(1)


def _enrol(client: Any, **fields: str) -> Any:
    data = {"form_token": _form_token(client), "name": "Jane Doe", "team": "Workshop",
            "handle_any": "@jane.doe", "accept": "yes", "consent": "yes", **fields}
    return client.post("/ambassadors/join", data=data)


def _moderator(application: Any) -> Any:
    client = application.test_client()
    assert client.post("/moderate/login", data={"password": PASSWORD, "name": "Mo"}).status_code \
        == 302
    with client.session_transaction() as sess:
        client.environ_base["HTTP_X_CSRF_TOKEN"] = sess["csrf"]
    return client


def _submit(application: Any, **fields: Any) -> dict[str, Any]:
    wall = application.extensions["socialwall"]
    post: dict[str, Any] = wall.pipeline.submit(make_post(**fields)).post
    return post


def _token(reply: Any) -> str:
    assert reply.status_code == 303, reply.get_data(as_text=True)
    match = re.search(r"/ambassadors/me/([\w-]+)", reply.headers["Location"])
    assert match
    return match.group(1)


def _enrolment_id(moderator: Any) -> int:
    return int(moderator.get("/api/ambassadors").get_json()["enrolments"][0]["id"])


def test_config_needs_a_charter_and_versions_it_by_digest(tmp_path: Path) -> None:
    path = write_config(tmp_path, extra="[ambassadors]\nenrolment = true\n")
    with pytest.raises(ConfigError, match=r"ambassadors.charter_file: is required when "):
        load_config(path)
    bad = write_config(tmp_path, extra='[ambassadors]\ncharter_file = "x.html"\nverify = 2\n')
    with pytest.raises(ConfigError) as info:
        load_config(bad)
    assert "Markdown or text file" in str(info.value) and "ambassadors.verify" in str(info.value)
    config = load_config(write_config(tmp_path, extra=_extra(tmp_path)))
    assert config.ambassadors.charter_version.startswith("sha256:")
    assert config.ambassadors.charter_text == CHARTER
    named = load_config(write_config(tmp_path, extra=_extra(tmp_path, version="2026-11")))
    assert named.ambassadors.charter_version == "2026-11"


def test_enrolment_is_off_by_default(app: Any) -> None:
    assert app.test_client().get("/ambassadors/join").status_code == 404


def test_the_charter_must_be_accepted_and_is_shown_as_text(amb_app: Any) -> None:
    client = amb_app.test_client()
    page = client.get("/ambassadors/join").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;charter&#39;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page
    refused = _enrol(client, accept="")
    assert refused.status_code == 400
    assert "Tick “I accept the charter” to enrol" in refused.get_data(as_text=True)
    no_consent = _enrol(client, consent="")
    assert "Tick the consent box" in no_consent.get_data(as_text=True)
    assert _moderator(amb_app).get("/api/ambassadors").get_json()["enrolments"] == []


def test_hostile_input_is_refused_or_shown_literally(amb_app: Any) -> None:
    client = amb_app.test_client()
    bad_handle = _enrol(client, handle_any=HOSTILE)
    text = bad_handle.get_data(as_text=True)
    assert bad_handle.status_code == 400 and "is not a handle" in text
    assert HOSTILE not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    token = _token(_enrol(client, name=HOSTILE, team="<b>Team</b>", handle_x="@" + "x" * 100))
    page = client.get(f"/ambassadors/me/{token}").get_data(as_text=True)
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;Team&lt;/b&gt;" in page
    assert client.get("/ambassadors/me/not-a-token").status_code == 404


def test_approval_gives_the_badge_and_refusal_takes_it_away(amb_app: Any) -> None:
    client, moderator = amb_app.test_client(), _moderator(amb_app)
    token = _token(_enrol(client))
    assert _submit(amb_app, handle="@jane.doe")["ambassador"] is False  # still pending
    enrolment = _enrolment_id(moderator)
    assert moderator.post(f"/api/ambassadors/{enrolment}/approve").status_code == 200
    # "@jane.doe" with no network matches every network: the webhook and Mastodon here.
    webhook = _submit(amb_app, handle="@jane.doe", text="Proud of the team #TestDays")
    mastodon = _submit(amb_app, source="mastodon", network="mastodon",
                       handle="jane.doe@mastodon.example")
    assert webhook["ambassador"] is True and mastodon["ambassador"] is True
    listed = client.get("/api/posts").get_json()["posts"]
    assert {p["id"] for p in listed if p["ambassador"]} == {webhook["id"], mastodon["id"]}
    assert stats.compute(amb_app.extensions["socialwall"].store)["ambassador_posts"] == 2
    page = client.get(f"/ambassadors/me/{token}").get_data(as_text=True)
    assert 'data-ambassador-status="approved"' in page and "Proud of the team" in page
    assert re.search(r"data-count>2<", page)
    assert moderator.post(f"/api/ambassadors/{enrolment}/refuse").status_code == 200
    assert _submit(amb_app, handle="@jane.doe")["ambassador"] is False
    assert stats.compute(amb_app.extensions["socialwall"].store)["ambassador_posts"] == 0


def test_a_handle_with_a_network_matches_there_only(amb_app: Any) -> None:
    client, moderator = amb_app.test_client(), _moderator(amb_app)
    _token(_enrol(client, handle_any="", handle_bluesky="", handle_mastodon="@jdoe"))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    assert _submit(amb_app, source="mastodon", network="mastodon", handle="@jdoe")["ambassador"]
    assert not _submit(amb_app, handle="@jdoe")["ambassador"]  # the webhook is another network


def test_leaving_takes_the_badge_and_the_counts_at_once(amb_app: Any) -> None:
    client, moderator = amb_app.test_client(), _moderator(amb_app)
    token = _token(_enrol(client))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    first = _submit(amb_app, handle="@jane.doe")
    assert first["ambassador"] is True
    page = client.get(f"/ambassadors/me/{token}").get_data(as_text=True)
    assert 'data-action="leave-ambassador"' in page
    form_token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert form_token
    left = client.post(f"/ambassadors/me/{token}/leave", data={"form_token": form_token[1]})
    assert left.status_code == 303
    assert _submit(amb_app, handle="@jane.doe")["ambassador"] is False
    store = amb_app.extensions["socialwall"].store
    assert store.get(first["id"])["ambassador"] is False  # the past post stays, as ordinary
    assert store.get(first["id"])["status"] == "approved"
    assert stats.compute(store)["ambassador_posts"] == 0
    after = client.get(f"/ambassadors/me/{token}").get_data(as_text=True)
    assert 'data-ambassador-status="left"' in after and "leave-ambassador" not in after


def test_a_confidential_word_holds_the_post_with_its_reason(amb_app: Any) -> None:
    client, moderator = amb_app.test_client(), _moderator(amb_app)
    _token(_enrol(client))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    held = _submit(amb_app, handle="@jane.doe", text="Can't wait for project falcon!")
    assert held["status"] == "pending"
    assert "confidential word Project Falcon: an ambassador's post waits for a moderator" \
        in held["reasons"]
    # The same words from someone who is not an ambassador follow the ordinary rules.
    assert _submit(amb_app, handle="@visitor", text="project falcon?")["status"] == "approved"


def test_the_toml_list_still_works_beside_enrolments(tmp_path: Path) -> None:
    from wall import create_app

    path = write_config(tmp_path, mode="post", async_mode="threading",
                        moderation='ambassadors = ["@sophie"]', extra=_extra(tmp_path))
    application = create_app(load_config(path), {"TESTING": True})
    try:
        assert _submit(application, handle="@sophie")["ambassador"] is True
        held = _submit(application, handle="@sophie", text="Project Falcon ships")
        assert held["status"] == "pending"
    finally:
        application.extensions["socialwall"].store.close()


def test_every_step_goes_into_the_audit(amb_app: Any) -> None:
    client, moderator = amb_app.test_client(), _moderator(amb_app)
    _token(_enrol(client))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    version = amb_app.extensions["socialwall"].config.ambassadors.charter_version
    entries = moderator.get("/api/audit").get_json()["entries"]
    steps = {e["action"]: e for e in entries if e["action"].startswith("ambassador_")}
    assert steps["ambassador_enrol"]["actor"] == "Jane Doe"
    assert steps["ambassador_approve"]["actor"] == "Mo"
    assert f"charter {version}" in steps["ambassador_approve"]["reasons"]
    assert steps["ambassador_approve"]["at"]


def test_the_proof_phrase_seen_by_a_source_verifies_the_handle(tmp_path: Path) -> None:
    application = _app(tmp_path, verify=True)
    try:
        client, moderator = application.test_client(), _moderator(application)
        token = _token(_enrol(client))
        page = client.get(f"/ambassadors/me/{token}").get_data(as_text=True)
        phrase = re.search(r"data-phrase>(wall-[0-9a-f]{6})<", page)
        assert phrase
        moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
        assert _submit(application, handle="@jane.doe")["ambassador"] is False  # unproven
        store = application.extensions["socialwall"].store
        _submit(application, handle="@someone.else", text=f"stolen {phrase[1]}")
        _submit(application, source="mastodon", network="mastodon",
                handle="jane.doe@mastodon.example", text=f"Hello wall {phrase[1]}")
        assert scan_proofs(store, 0)[1] == 1
        from wall.ambassadors.live import refresh

        refresh(application.extensions["socialwall"])  # what the watch loop does next
        assert _submit(application, handle="@jane.doe")["ambassador"] is True
        [item] = moderator.get("/api/ambassadors").get_json()["enrolments"]
        assert item["handles"][0]["verified"] is True
        assert 'data-verified="true"' in client.get(f"/ambassadors/me/{token}").get_data(
            as_text=True)
    finally:
        application.extensions["socialwall"].store.close()


def test_a_moderator_can_approve_a_handle_without_proof(tmp_path: Path) -> None:
    application = _app(tmp_path, verify=True)
    try:
        client, moderator = application.test_client(), _moderator(application)
        _token(_enrol(client))
        moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
        [item] = moderator.get("/api/ambassadors").get_json()["enrolments"]
        handle = item["handles"][0]["id"]
        assert moderator.post(f"/api/ambassadors/handles/{handle}/approve").status_code == 200
        assert _submit(application, handle="@jane.doe")["ambassador"] is True
    finally:
        application.extensions["socialwall"].store.close()


def test_moderator_endpoints_need_a_moderator(amb_app: Any) -> None:
    client = amb_app.test_client()
    assert client.get("/api/ambassadors").status_code == 401
    assert client.post("/api/ambassadors/1/approve").status_code == 401
    assert _moderator(amb_app).post("/api/ambassadors/99/approve").status_code == 404


def test_changing_handles_sends_new_ones_back_to_a_moderator(amb_app: Any) -> None:
    client, moderator = amb_app.test_client(), _moderator(amb_app)
    token = _token(_enrol(client))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    page = client.get(f"/ambassadors/me/{token}").get_data(as_text=True)
    assert 'value="@jane.doe"' in page
    form_token = re.search(r'name="form_token" value="([^"]+)"', page)
    assert form_token
    changed = client.post(f"/ambassadors/me/{token}/handles",
                          data={"form_token": form_token[1], "handle_any": "@the.boss"})
    assert changed.status_code == 303
    assert _submit(amb_app, handle="@the.boss")["ambassador"] is False
    assert _submit(amb_app, handle="@jane.doe")["ambassador"] is False
    [item] = moderator.get("/api/ambassadors").get_json()["enrolments"]
    assert item["status"] == "pending" and [h["entry"] for h in item["handles"]] == ["@the.boss"]


def test_export_ambassadors_csv_reads_back(tmp_path: Path) -> None:
    application = _app(tmp_path)
    client, moderator = application.test_client(), _moderator(application)
    _token(_enrol(client, name="=HYPERLINK(\"http://evil\")", team="Sales, Paris"))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    _submit(application, handle="@jane.doe")
    version = application.extensions["socialwall"].config.ambassadors.charter_version
    application.extensions["socialwall"].store.close()
    out = tmp_path / "ambassadors.csv"
    done = subprocess.run([sys.executable, "-m", "wall.cli", "export", "ambassadors",
                           "--format", "csv", "--config", str(tmp_path / "wall.toml"),
                           "--output", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["name"] == "'=HYPERLINK(\"http://evil\")"  # a spreadsheet shows it as text
    assert row["team"] == "Sales, Paris" and row["handles"] == "@jane.doe"
    assert row["status"] == "approved" and row["charter_version"] == version
    assert row["accepted_at"] and row["posts_counted"] == "1"
    assert json.dumps(row)  # plain strings only


def test_the_form_speaks_french(tmp_path: Path) -> None:
    from wall import create_app

    path = write_config(tmp_path, mode="post", async_mode="threading", extra=_extra(tmp_path))
    path.write_text(path.read_text(encoding="utf-8").replace('language = "en"',
                                                             'language = "fr"'), encoding="utf-8")
    application = create_app(load_config(path), {"TESTING": True})
    try:
        client = application.test_client()
        assert "J’accepte la charte" in client.get("/ambassadors/join").get_data(as_text=True)
        refused = _enrol(client, accept="").get_data(as_text=True)
        assert "Cochez « J’accepte la charte » pour vous inscrire" in refused
        assert "Ambassadeurs" in _moderator(application).get("/moderate").get_data(as_text=True)
    finally:
        application.extensions["socialwall"].store.close()


def test_a_rules_reload_keeps_the_enrolled_ambassadors(amb_app: Any) -> None:
    from wall.reload import reload_rules

    client, moderator = amb_app.test_client(), _moderator(amb_app)
    _token(_enrol(client))
    moderator.post(f"/api/ambassadors/{_enrolment_id(moderator)}/approve")
    wall = amb_app.extensions["socialwall"]
    assert wall.config.path is not None
    with amb_app.app_context():
        assert reload_rules(wall, wall.config.path)
    assert _submit(amb_app, handle="@jane.doe")["ambassador"] is True


NASTY = ["", " ", "\x00", "a\x00b", "\u202egnp.exe", "🙂" * 50, "x" * 5000,
         "'; DROP TABLE posts;--", "{{ 7*7 }}", "javascript:alert(1)", "@", "@@", "a@b@c",
         "\r\n\t", "=1+1", "\ud7ff"]


@pytest.mark.parametrize("value", NASTY)
def test_any_input_gets_a_page_never_an_error_or_markup(amb_app: Any, value: str) -> None:
    client = amb_app.test_client()
    reply = _enrol(client, name=f"<i>{value}", team=f"<u>{value}", handle_any=value,
                   handle_mastodon=value)
    assert reply.status_code in (303, 400)
    page = client.get(reply.headers["Location"]) if reply.status_code == 303 else reply
    text = page.get_data(as_text=True)
    assert "<i>" not in text and "<u>" not in text  # shown as &lt;i&gt;, never as markup
    if value == "{{ 7*7 }}":
        assert "&lt;i&gt;{{ 7*7 }}" in text  # data is never a template


def test_control_characters_never_reach_the_store(amb_app: Any) -> None:
    client, moderator = amb_app.test_client(), _moderator(amb_app)
    _token(_enrol(client, name="Ja\x00ne \u202eeoD\u202c", team="Work\tshop\n"))
    [item] = moderator.get("/api/ambassadors").get_json()["enrolments"]
    assert item["name"] == "Jane eoD" and item["team"] == "Work shop"
