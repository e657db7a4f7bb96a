"""The version screens compare: the package version plus a digest of what they run."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

from wall import ROOT, __version__

log = logging.getLogger(__name__)

BUILD_ENV = "SOCIALWALL_BUILD"
_BUILD = re.compile(r"[A-Za-z0-9._-]{1,40}")
# What a screen runs or is rendered from: a change in any of these needs a reload.
TREES = ("static", "templates", "wall")
SUFFIXES = (".js", ".css", ".html", ".py", ".json", ".svg", ".woff2")


def code_digest(root: Path = ROOT) -> str:
    """Return a short digest of the static files, templates and package code."""
    digest = hashlib.sha256()
    for tree in TREES:
        base = root / tree
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def build_version() -> str:
    """Return "<package version>+<build>", the build from SOCIALWALL_BUILD or the digest."""
    build = os.environ.get(BUILD_ENV, "").strip()
    if build and not _BUILD.fullmatch(build):
        log.warning("%s=%r ignored: use letters, digits, dots, dashes (40 at most)",
                    BUILD_ENV, build)
        build = ""
    return f"{__version__}+{build or code_digest()}"
