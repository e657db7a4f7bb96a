"""Optional nudity screening: labels, the missing-extra message, the real model when installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import media_corpus as corpus
from tests.conftest import PASSWORD, ROOT, make_post, write_config
from wall.config import load_config
from wall.media import nsfw

NSFW_TOML = """
[media]
allow_private_addresses = true
nsfw = true
nsfw_threshold = 0.5
"""


@pytest.mark.parametrize("detections, label", [
    ([], None),
    ([{"class": "FACE_FEMALE", "score": 0.99}], None),
    ([{"class": "FEMALE_BREAST_COVERED", "score": 0.9}], None),
    ([{"class": "BUTTOCKS_EXPOSED", "score": 0.4}], None),
    ([{"class": "BUTTOCKS_EXPOSED", "score": 0.7}, {"class": "ANUS_EXPOSED", "score": 0.9}],
     "image flagged by nudity screening: anus exposed (0.90)"),
])
def test_only_exposed_parts_over_the_threshold_flag_a_post(
        detections: list[dict[str, Any]], label: str | None) -> None:
    assert nsfw.label_of(detections, 0.5) == label


def test_without_the_extra_the_wall_says_how_to_fix_it(tmp_path: Path) -> None:
    hidden = tmp_path / "hide" / "nudenet"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ImportError("nudenet is not installed")\n')
    config = write_config(tmp_path, extra=NSFW_TOML)
    env = dict(os.environ, PYTHONPATH=str(hidden.parent), TEST_WALL_PASSWORD=PASSWORD)
    done = subprocess.run([sys.executable, "-m", "wall.cli", "run", "--config", str(config),
                           "--port", "0"], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=env)
    assert done.returncode == 1
    assert "pip install 'socialwall[nsfw]'" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_the_bundled_model_screens_images_offline(tmp_path: Path) -> None:
    pytest.importorskip("nudenet", reason="the optional [nsfw] extra is not installed")
    from wall import create_app

    server = corpus.ImageServer()
    app = create_app(load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                              extra=NSFW_TOML)), {"TESTING": True})
    try:
        url = server.add("/photo.jpg", corpus.photo((1200, 900)))
        wall = app.extensions["socialwall"]
        post_id = wall.pipeline.submit(make_post(media=[url])).post["id"]
        assert app.extensions["socialwall.media"].wait_idle(60)
        post = wall.store.get(post_id)
        assert post["status"] == "approved" and len(post["media"]) == 1
        assert not any("nudity" in r for r in post["reasons"])
    finally:
        server.close()
        app.extensions["socialwall"].store.close()
