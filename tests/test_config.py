"""Config validation: every problem reported with its key path, and the check CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wall.config import ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parent.parent


def problems_of(data: dict[str, object]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    return caught.value.problems


def test_defaults_are_a_valid_wall() -> None:
    config = parse_config({})
    assert config.server.async_mode == "gevent"
    assert config.moderation.mode == "pre"
    assert config.database_url.startswith("sqlite:///")
    assert config.database_url.endswith("instance/socialwall.db")


def test_shipped_configs_are_valid() -> None:
    for name in ("demo.toml", "example.toml"):
        config = load_config(ROOT / "config" / name)
        assert {s.type for s in config.sources} >= {"demo", "webhook"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"wall": {"language": "de"}}, 'wall.language: must be one of "en", "fr" (got "de")'),
        ({"wall": {"hashtags": "x"}}, "wall.hashtags: must be a list of strings"),
        ({"wall": {"title": ""}}, "wall.title: must not be empty"),
        ({"server": {"port": 70000}}, "server.port: must be from 0 to 65535 (got 70000)"),
        ({"server": {"async_mode": "asyncio"}}, 'server.async_mode: must be one of "gevent"'),
        ({"server": {"database": "wall.db"}}, "server.database: must be a SQLAlchemy URL"),
        ({"moderation": {"mode": "maybe"}}, 'moderation.mode: must be one of "pre", "post"'),
        ({"moderation": {"blocked_words": ["ok", 3]}},
         "moderation.blocked_words[1]: must be a non-empty string, got 3"),
        ({"sources": [{"type": "tiktok"}]},
         'sources[0].type: must be one of "attendees", "bluesky", "demo"'),
        ({"sources": [{"type": "demo", "rate": 0}]}, "sources[0].rate: must be from 0.01 to 50"),
        ({"sources": [{"type": "webhook"}]}, "sources[0].token_env: is required"),
        ({"sources": [{"type": "demo"}, {"type": "demo"}]},
         'sources[1].name: "demo" is used by another source'),
        ({"wall": {"colour": "red"}},
         "wall.colour: unknown key; allowed here: call_to_action_url, ends_at, exclude_keywords, "
         "hashtags"),
        ({"colours": {}}, "colours: unknown key"),
    ],
)
def test_each_problem_names_its_key_and_what_is_allowed(data: dict[str, object],
                                                        expected: str) -> None:
    found = problems_of(data)
    assert any(p.startswith(expected) for p in found), found


def test_every_problem_is_listed_at_once() -> None:
    found = problems_of({"wall": {"language": "de"}, "server": {"port": -1},
                         "moderation": {"mode": "x"}})
    assert len(found) == 3


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wall.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_check_accepts_the_demo_config() -> None:
    result = run_cli("check", "--config", "config/demo.toml")
    assert result.returncode == 0
    assert "valid" in result.stdout


def test_check_lists_every_problem_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[wall]\nlanguage = "de"\n[server]\nport = "high"\n', encoding="utf-8")
    result = run_cli("check", "--config", str(bad))
    assert result.returncode == 1
    assert "wall.language" in result.stderr and "server.port" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("content", ["[wall\n", None])
def test_check_explains_unreadable_files(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "wall.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("check", "--config", str(path))
    assert result.returncode == 1
    assert ("not valid TOML" if content else "file not found") in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_a_bad_config_exits_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[moderation]\nmode = "sometimes"\n', encoding="utf-8")
    result = run_cli("run", "--config", str(bad))
    assert result.returncode == 1
    assert "moderation.mode" in result.stderr and "Traceback" not in result.stderr
