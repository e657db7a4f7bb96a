"""The version screens compare: the package version plus a digest of what they run."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

from wall import __version__
from wall.resources import shared

log = logging.getLogger(__name__)

BUILD_ENV = "SOCIALWALL_BUILD"
_BUILD = re.compile(r"[A-Za-z0-9._-]{1,40}")
# What a screen runs or is rendered from: a change in any of these needs a reload.
TREES = ("static", "templates")
SUFFIXES = (".js", ".css", ".html", ".py", ".json", ".svg", ".woff2")


def code_digest(root: Path | None = None) -> str:
    """Return a short digest of the static files, templates and package code."""
    trees = [(root / tree, root) for tree in TREES] if root else []
    if root is None:
        share = shared()
        package = share.parent  # the installed (or checked-out) `wall` package
        trees = [(share / tree, share) for tree in TREES] + [(package, package.parent)]
    digest = hashlib.sha256()
    for base, relative_to in trees:
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                           and "share" not in p.relative_to(base).parts[:1]):
            digest.update(str(path.relative_to(relative_to)).encode())
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
