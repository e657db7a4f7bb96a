"""Dependencies: nothing installed or allowed by pyproject.toml has a known vulnerability."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import ROOT

ADVISORIES = tomllib.loads((ROOT / "security" / "advisories.toml").read_text("utf-8"))["advisory"]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _floor(name: str) -> Version | None:
    for line in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["scale"]:
        req = Requirement(line)
        if req.name.lower() == name.lower():
            floors = [Version(s.version) for s in req.specifier if s.operator == ">="]
            return max(floors) if floors else Version("0")
    return None


@pytest.mark.parametrize("advisory", ADVISORIES, ids=lambda a: a["package"])
def test_floors_and_installed_versions_are_past_each_advisory(advisory: dict[str, str]) -> None:
    fixed = Version(advisory["fixed"])
    floor = _floor(advisory["package"])
    assert floor is not None, f"{advisory['package']} is not a dependency any more"
    assert floor >= fixed, f"pyproject.toml lets {advisory['package']} {floor} in; " \
        f"raise its floor to {fixed}"
    assert Version(version(advisory["package"])) >= fixed


def test_every_pinned_constraint_is_past_the_advisories() -> None:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            req = Requirement(line)
            pins[req.name.lower()] = Version(next(iter(req.specifier)).version)
    for advisory in ADVISORIES:
        name = advisory["package"].lower()
        assert name in pins, f"constraints.txt pins no {name}"
        assert pins[name] >= Version(advisory["fixed"]), f"constraints.txt pins {name} too low"


def test_base_install_needs_no_postgres_or_redis_driver() -> None:
    names = {Requirement(line).name.lower() for line in PROJECT["dependencies"]}
    assert {"flask", "flask-socketio", "tweepy", "eventlet", "pillow"} <= names
    assert not names & {"psycopg", "redis"}, "PostgreSQL and Redis belong in [scale]"
    assert Path(ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
