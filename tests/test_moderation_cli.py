"""The moderation commands as a team runs them: dry run, exports, hash-password, reload."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
from werkzeug.security import check_password_hash

from tests.conftest import ROOT, WallServer

CAPTURED = [
    {"id": "1", "author": "Camille", "handle": "@camille", "text": "Super keynote #TestDays",
     "created_at": "2026-11-21T10:00:00Z", "status": "approved"},
    {"id": "2", "author": "Bot", "handle": "@bot1", "text": "Free crypto giveaway at booth 4",
     "created_at": "2026-11-21T10:01:00Z", "status": "approved"},
    {"id": "3", "author": "Bot", "handle": "@bot2", "text": "Free crypto giveaway at booth 4",
     "created_at": "2026-11-21T10:02:00Z"},
    {"id": "4", "author": "Troll", "handle": "@troll", "text": "quelle arn4que",
     "created_at": "2026-11-21T10:03:00Z"},
    {"id": "5", "author": "Léa", "handle": "@lea", "text": "Merci !", "is_reply": True,
     "network": "mastodon", "created_at": "2026-11-21T10:04:00Z"},
]
RULES = """
[moderation]
mode = "post"
blocked_words = ["arnaque"]
duplicate_window_minutes = 30
"""


def socialwall(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `socialwall` command."""
    return subprocess.run([sys.executable, "-m", "wall.cli", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def rules_config(tmp_path: Path, text: str = RULES) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_prints_each_decision_and_a_summary(tmp_path: Path) -> None:
    posts = tmp_path / "captured.jsonl"
    posts.write_text("\n".join(json.dumps(p) for p in CAPTURED) + "\n{not json\n",
                     encoding="utf-8")
    done = socialwall("rules", "test", "--config", str(rules_config(tmp_path)),
                      "--posts", str(posts))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "line 1: APPROVED  @camille" in out
    assert "line 2: APPROVED  @bot1" in out
    assert "line 3: PENDING  @bot2" in out and "same text as a post by @bot1" in out
    assert "line 4: REJECTED  @troll" in out and 'blocked word "arnaque" in text' in out
    assert "line 5: REJECTED  @lea" in out and "a reply (drop_replies)" in out
    assert "5 posts: 2 approved, 1 pending, 2 rejected; 0 decided differently" in out
    assert "1 line(s) skipped" in out
    assert "captured.jsonl:6: skipped: not JSON" in done.stderr


def test_dry_run_json_lines(tmp_path: Path) -> None:
    posts = tmp_path / "captured.jsonl"
    posts.write_text("\n".join(json.dumps(p) for p in CAPTURED), encoding="utf-8")
    done = socialwall("rules", "test", "--config", str(rules_config(tmp_path)),
                      "--posts", str(posts), "--json")
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["status"] for line in lines[:-1]] == [
        "approved", "approved", "pending", "rejected", "rejected"]
    assert lines[-1]["summary"]["decisions"] == {"approved": 2, "pending": 1, "rejected": 2}


def test_dry_run_explains_a_bad_config_and_a_missing_file(tmp_path: Path) -> None:
    bad = rules_config(tmp_path, '[moderation]\nblocked_patterns = ["(unclosed"]\n')
    done = socialwall("rules", "test", "--config", str(bad), "--posts", "nope.jsonl")
    assert done.returncode == 1
    assert "moderation.blocked_patterns[0]: is not a valid regular expression" in done.stderr
    assert "Traceback" not in done.stderr
    done = socialwall("rules", "test", "--config", str(rules_config(tmp_path)),
                      "--posts", str(tmp_path / "nope.jsonl"))
    assert done.returncode == 1 and "cannot read --posts" in done.stderr


def test_export_posts_then_test_a_rule_change_against_them(
        wall_server_factory: Any, tmp_path: Path) -> None:
    server: WallServer = wall_server_factory(mode="post")
    server.push({"author": "Camille", "text": "Bravo l'équipe"},
                {"author": "Max", "text": "Le stand 4 est une arnaque"},
                {"author": "Zoé", "text": "Les vélos sont chers"})
    server.stop()
    out = tmp_path / "posts.jsonl"
    done = socialwall("export", "posts", "--format", "jsonl", "--config",
                      str(server.config_path), "--output", str(out))
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["status"] for p in exported] == ["approved", "rejected", "approved"]
    stricter = rules_config(tmp_path, '[moderation]\nmode = "post"\n'
                            'blocked_words = ["arnaque", "chers"]\n')
    done = socialwall("rules", "test", "--config", str(stricter), "--posts", str(out), "--json")
    summary = json.loads(done.stdout.splitlines()[-1])["summary"]
    assert summary["changed"] == 1
    assert summary["decisions"] == {"approved": 1, "rejected": 2}


def test_audit_export_says_who_when_what_and_why(wall_server: WallServer,
                                                tmp_path: Path) -> None:
    http = wall_server.session()
    ids = wall_server.push({"author": "A", "text": "une arnaque"},
                           {"author": "B", "text": "=HYPERLINK(\"http://evil.example\")"})
    assert http.post(f"{wall_server.url}/api/posts/{ids[1]}/approve", timeout=10).ok
    assert http.post(f"{wall_server.url}/api/wall/pause", timeout=10).ok
    done = socialwall("export", "audit", "--format", "csv", "--config",
                      str(wall_server.config_path))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    got = [(r["post_id"], r["actor"], r["action"]) for r in rows]
    assert got == [(str(ids[0]), "rules", "rejected"), (str(ids[1]), "rules", "pending"),
                   (str(ids[1]), "moderator", "approve"), ("", "moderator", "pause_wall")]
    assert rows[0]["reasons"] == 'blocked word "arnaque" in text' and rows[0]["at"]
    assert rows[1]["text"].startswith("'=HYPERLINK")  # no formula runs in a spreadsheet
    done = socialwall("export", "audit", "--format", "jsonl", "--config",
                      str(wall_server.config_path))
    entries = [json.loads(line) for line in done.stdout.splitlines()]
    assert entries[2]["text"].startswith("=HYPERLINK") and entries[0]["reasons"] == [
        'blocked word "arnaque" in text']


def test_hash_password_prints_a_hash_that_checks() -> None:
    done = socialwall("hash-password", stdin="a long secret\n")
    assert done.returncode == 0
    assert check_password_hash(done.stdout.strip(), "a long secret")
    short = socialwall("hash-password", stdin="abc\n")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr


def wait_for(predicate: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_rules_reload_and_a_broken_edit_keeps_the_previous_ones(
        wall_server_factory: Any, tmp_path: Path) -> None:
    server: WallServer = wall_server_factory(mode="post")
    http = server.session()

    def status(text: str) -> tuple[str, list[str]]:
        [post_id] = server.push({"author": "Tester", "text": text})
        found = http.get(f"{server.url}/api/posts?status=rejected", timeout=10).json()["posts"]
        post = next((p for p in found if p["id"] == post_id), None)
        return ("rejected", post["reasons"]) if post else ("not rejected", [])

    path = server.config_path
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('mode = "post"', 'mode = "post"\nmax_links = "two"'),
                    encoding="utf-8")
    wait_for(lambda: any("rules NOT reloaded" in line for line in server.output))
    line = next(line for line in server.output if "rules NOT reloaded" in line)
    assert "moderation.max_links: must be an integer" in "".join(server.output)
    assert "previous rules stay in force" in line
    assert status("what a scam")[0] == "rejected"      # the old rules still work

    path.write_text(original.replace('blocked_words = ["arnaque", "scam"]',
                                     'blocked_words = ["arnaque", "scam", "velo"]'),
                    encoding="utf-8")
    wait_for(lambda: any("rules reloaded" in line and "NOT" not in line
                         for line in server.output))
    assert status("Mon vélo est là") == ("rejected", ['blocked word "velo" in text'])
    assert requests.get(f"{server.url}/healthz", timeout=10).ok
