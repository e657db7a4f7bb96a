"""`socialwall init` and the default config: what a new user types first."""

from __future__ import annotations

from pathlib import Path

import pytest

from wall.cli import main
from wall.config import load_config


def test_init_writes_the_example_and_refuses_to_overwrite(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    written = tmp_path / "socialwall.toml"
    assert "SOCIALWALL_DATABASE_URL" in written.read_text("utf-8")
    assert load_config("socialwall.toml").wall.title  # valid as written
    written.write_text("# mine\n", encoding="utf-8")
    assert main(["init"]) == 1
    assert "--force" in capsys.readouterr().err
    assert written.read_text("utf-8") == "# mine\n"
    assert main(["init", "--force"]) == 0
    assert "[server]" in written.read_text("utf-8")


def test_without_config_commands_use_the_variable_then_the_embedded_demo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOCIALWALL_CONFIG", raising=False)
    assert main(["check"]) == 0
    assert "demo.toml: valid" in capsys.readouterr().out
    mine = tmp_path / "mine.toml"
    mine.write_text('[wall]\ntitle = "Mine"\n', encoding="utf-8")
    monkeypatch.setenv("SOCIALWALL_CONFIG", "mine.toml")  # relative: from the current folder
    assert main(["check"]) == 0
    assert 'Wall "Mine"' in capsys.readouterr().out


def test_every_server_key_has_an_environment_variable() -> None:
    from dataclasses import fields

    from wall.config import SERVER_ENV, ServerSection

    assert set(SERVER_ENV) == {f.name for f in fields(ServerSection)}, \
        "a [server] key without a SOCIALWALL_* variable: add it to SERVER_ENV and docs/deploy.md"
    example = (Path(__file__).resolve().parent.parent / "config" / "example.toml").read_text()
    assert all(name in example for name in SERVER_ENV.values())
