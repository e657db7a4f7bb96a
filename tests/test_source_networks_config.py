"""The five brand-listening sources in config: example.toml's tables parse, bad keys say why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wall.config import ConfigError, load_config
from wall.web.screens import clamp_networks

ROOT = Path(__file__).resolve().parent.parent
NEW = ("instagram", "facebook", "threads", "google_reviews", "youtube")


def test_example_tables_parse_once_uncommented(tmp_path: Path) -> None:
    text = (ROOT / "config" / "example.toml").read_text(encoding="utf-8")
    start = text.index("# ---- Brand listening")
    lines = [re.sub(r"^# (\[\[sources\]\]|[a-z_]+ = .*)$", r"\1", line)
             for line in text[start:].splitlines()]
    path = tmp_path / "wall.toml"
    path.write_text(text[:start] + "\n".join(lines) + "\n", encoding="utf-8")
    config = load_config(path)
    assert tuple(s.type for s in config.sources[-5:]) == NEW
    youtube = config.sources[-1].options
    assert youtube.video_ids == ("M7FIvfx5J10",) and youtube.daily_units == 10_000


@pytest.mark.parametrize("table,message", [
    ('type = "instagram"\ntoken_env = "T"', "user_id"),
    ('type = "google_reviews"\naccount_id = "1"\nclient_id_env = "A"\n'
     'client_secret_env = "B"\nrefresh_token_env = "C"', "location_ids"),
    ('type = "youtube"\nkey_env = "K"', "video_id"),
    ('type = "threads"\ntoken_env = "T"\ndaily_queries = 5000', "daily_queries"),
])
def test_bad_tables_name_the_key(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "wall.toml"
    path.write_text(f"[[sources]]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_screens_accept_the_new_networks() -> None:
    assert clamp_networks("Google_Reviews,youtube,instagram,facebook,threads") == [
        "google_reviews", "youtube", "instagram", "facebook", "threads"]
