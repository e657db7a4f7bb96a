"""The wheel a user installs: built, installed in a clean venv, run from an empty folder."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

# Building and installing the wheel with its dependencies takes minutes on a 2-core CI box.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
PAGES = ("/", "/screen/feed", "/screen/stats", "/screen/highlights", "/moderate")
IN_WHEEL = ("wall/share/templates/screen_feed.html", "wall/share/static/js/socket.js",
            "wall/share/static/vendor/socket.io.esm.min.js",
            "wall/share/static/vendor/chart.umd.js",
            "wall/share/static/vendor/socket.io-client.LICENSE",
            "wall/share/static/vendor/chart.js.LICENSE.md", "wall/share/config/demo.toml",
            "wall/share/config/example.toml", "wall/migrations/env.py",
            "wall/migrations/versions/0001_baseline.py")


def _tools_or_skip() -> None:
    missing = [name for name, ok in (("build", importlib.util.find_spec("build") is not None),
                                     ("npm", shutil.which("npm") is not None))
               if not ok]
    if missing:
        reason = f"the wheel smoke test needs {', '.join(missing)} (pip install -e '.[dev]', Node)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build sdist and wheel with `python -m build`, install the wheel in a fresh venv."""
    _tools_or_skip()
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = (work / "dist").glob("socialwall-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in IN_WHEEL if name not in names]
    assert not missing, f"the wheel lacks {missing}"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    venv.create(work / "venv", with_pip=True)
    pip = [str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True,
                   timeout=900)
    yield work / "venv" / "bin"


def _socialwall(bin_dir: Path, cwd: Path, *args: str, stdin: str | None = None,
                **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "socialwall"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=_env(**env), input=stdin)


def _env(**extra: str) -> dict[str, str]:
    # No PYTHONPATH: the installed wheel, not this checkout, must answer; no SOCIALWALL_*
    # from the caller either: a new user's shell has none.
    return {**{k: v for k, v in os.environ.items()
               if k != "PYTHONPATH" and not k.startswith("SOCIALWALL_")}, **extra}


def test_wheel_runs_from_an_empty_folder(installed: Path, tmp_path: Path, browser: Any) -> None:
    site = tmp_path / "empty"
    site.mkdir()
    made = _socialwall(installed, site, "init")
    assert made.returncode == 0, made.stderr
    assert "[server]" in (site / "socialwall.toml").read_text("utf-8")
    again = _socialwall(installed, site, "init")
    assert again.returncode == 1 and "--force" in again.stderr
    # The example's secrets come from variables (a moderator's password hash, the webhook
    # token): `check` says which and how to make them, and the user does just that.
    unset = _socialwall(installed, site, "check", "--config", "socialwall.toml")
    assert unset.returncode == 1
    assert "SOCIALWALL_HASH_ALICE is not set" in unset.stderr and "hash-password" in unset.stderr
    assert "SOCIALWALL_WEBHOOK_TOKEN is not set" in unset.stderr
    assert "Traceback" not in unset.stderr
    hashed = _socialwall(installed, site, "hash-password", stdin="correct horse battery\n")
    assert hashed.returncode == 0, hashed.stderr
    secrets = {"SOCIALWALL_HASH_ALICE": hashed.stdout.strip(),
               "SOCIALWALL_WEBHOOK_TOKEN": "a-long-random-webhook-token-0123456789"}
    for args in (("check", "--config", "socialwall.toml"), ("check",)):
        result = _socialwall(installed, site, *args, **secrets)
        assert result.returncode == 0, result.stdout + result.stderr
    proc = subprocess.Popen([str(installed / "socialwall"), "run", "--port", "0"], cwd=site,
                            env=_env(**secrets), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        base = _wait_for_url(proc)
        for path in PAGES:
            _load_clean(browser, base + path)
        assert (site / "instance" / "socialwall.db").exists()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
        assert proc.stdout is not None
        proc.stdout.close()
    assert proc.returncode == 0


def _wait_for_url(proc: subprocess.Popen[str]) -> str:
    found: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            found.append(line)
            match = re.search(r"Listening on (http://\S+)", line)
            if match:
                found.insert(0, match.group(1))
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(90):
        raise AssertionError("socialwall run did not start:\n" + "".join(found))
    return found[0]


def _load_clean(browser: Any, url: str) -> None:
    """Load a page; fail on a console error, a page error, or an asset answering >= 400."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    problems: list[str] = []
    loaded: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("response", lambda r: loaded.append(r.url) if r.status < 400
            else problems.append(f"{r.status} {r.url}"))
    try:
        page.goto(url, wait_until="networkidle")
        assert not problems, f"{url}: {problems}"
        if "/screen/" in url:
            assert any(u.endswith("/static/vendor/socket.io.esm.min.js") for u in loaded)
    finally:
        context.close()
