"""[screens] lobby keys and [branding] palettes: parsing, clear errors, per-theme colours."""

from __future__ import annotations

from typing import Any

import pytest

from wall.config import ConfigError, parse_config
from wall.lobby import hours_json, parse_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri 07:30-19:00", {"days": [1, 2, 3, 4, 5], "open": 450, "close": 1140}),
        ("sat 10:00-14:00", {"days": [6], "open": 600, "close": 840}),
        ("daily 00:00-24:00", {"days": [0, 1, 2, 3, 4, 5, 6], "open": 0, "close": 1440}),
        ("fri-mon 18:00-02:00", {"days": [0, 1, 5, 6], "open": 1080, "close": 120}),
        ("MON-FRI 07:30-19:00", {"days": [1, 2, 3, 4, 5], "open": 450, "close": 1140}),
        ("mon-fri 7:30-19:00", None),
        ("monday 07:30-19:00", None),
        ("mon-fri 19:00-19:00", None),
        ("mon-fri 25:00-26:00", None),
        ("daily-fri 08:00-09:00", None),
    ],
)
def test_opening_ranges(text: str, expected: dict[str, Any] | None) -> None:
    assert parse_range(text) == expected


def test_lobby_keys_are_read_with_defaults() -> None:
    screens = parse_config({}).screens
    assert (screens.hours, screens.outside_hours, screens.auto_highlights,
            screens.pin_minutes, screens.announcement_seconds) == ((), "night", True, 30, 300)
    config = parse_config({
        "screens": {"hours": ["mon-fri 07:30-19:00"], "outside_hours": "black",
                    "night_text": "Back at 7:30", "slides": [{"image": "/static/s.png"}]},
        "moderators": {"control_token_env": "WALL_CONTROL"},
    })
    assert hours_json(config.screens.hours)[0]["open"] == 450
    assert config.screens.slides[0].image == "/static/s.png"
    assert config.moderators.control_token_env == "WALL_CONTROL"


def test_bad_lobby_keys_say_what_to_write() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"screens": {"hours": ["weekdays 9-5"], "outside_hours": "dim",
                                  "pin_minutes": -1,
                                  "slides": [{"image": "https://cdn.example/x.png"}, {}]},
                      "branding": {"light": {"accent": "red", "glow": "#fff"}}})
    problems = caught.value.problems
    expected = ['screens.hours: "weekdays 9-5" is not an opening range; write it like',
                'screens.outside_hours: must be one of "night", "black"',
                "screens.pin_minutes: must be from 0 to 10080",
                "screens.slides[0].image: must be a path served by the wall",
                "screens.slides[1].image: is required",
                'branding.light.accent: must be a colour like "#0a58b8"',
                "branding.light.glow: unknown key"]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_flat_colours_go_to_the_theme_they_suit() -> None:
    dark_brand = parse_config({"branding": {"accent": "#ff7a1a", "background": "#101820",
                                            "text": "#f0f0f0"}}).branding
    assert dark_brand.palette("dark") == {"accent": "#ff7a1a", "background": "#101820",
                                          "text": "#f0f0f0"}
    assert dark_brand.palette("light") == {"accent": "#ff7a1a"}
    light_brand = parse_config({"branding": {"background": "#fdf6e3",
                                             "dark": {"background": "#002b36"}}}).branding
    assert light_brand.palette("light") == {"background": "#fdf6e3"}
    assert light_brand.palette("dark") == {"background": "#002b36"}
