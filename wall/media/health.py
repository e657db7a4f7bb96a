"""Whether images can be saved and downloaded: a write probe on the cache and a failure count.

The worker only learns that the cache is unwritable when a post brings an image; a probe
(a few bytes written and removed, at most every PROBE_EVERY seconds) tells moderators at
once, and tells them again as soon as the operator has fixed the disk.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PROBE_EVERY = 5.0  # seconds a probe's outcome is reused (/healthz may be polled often)
FAILING_AFTER = 3  # posts whose images failed in a row before moderators hear of it

# What moderators read for the usual causes; the label keys are in wall/i18n.py.
_PROBLEMS = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "no_permission",
    errno.EPERM: "no_permission",
    errno.ENOTDIR: "not_a_folder",
    errno.EEXIST: "not_a_folder",
}


@dataclass(frozen=True)
class Problem:
    """Why images cannot be saved or downloaded: a code for the label, and the detail."""

    code: str  # disk_full, read_only, no_permission, not_a_folder, cache_error, fetch_failing
    detail: str  # for moderators: the folder and the system's words, or the last fetch error


class CacheProbe:
    """Write and remove a small file in the cache folder; remember the outcome a while."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._at = float("-inf")
        self._found: Problem | None = None

    def check(self) -> Problem | None:
        """Return why the cache cannot be written, or None when it can (cached PROBE_EVERY)."""
        now = time.monotonic()
        with self._lock:
            if now - self._at < PROBE_EVERY:
                return self._found
        found = self._probe()
        with self._lock:
            self._at, self._found = now, found
        return found

    def forget(self) -> None:
        """Probe again on the next check (after a write failed or succeeded for real)."""
        with self._lock:
            self._at = float("-inf")

    def _probe(self) -> Problem | None:
        path = self.root / f".probe-{os.getpid()}-{threading.get_ident()}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(b"socialwall media cache probe\n")
        except OSError as exc:
            return cache_problem(self.root, exc)
        finally:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass  # the folder itself is the problem; already reported
        return None


def cache_problem(root: Path, exc: OSError) -> Problem:
    """Describe an error writing the cache for moderators."""
    code = _PROBLEMS.get(exc.errno or 0, "cache_error")
    return Problem(code, f"{root}: {exc.strerror or exc}")


def public_state(found: Problem | None) -> str:
    """Return what the public /healthz says: ok or degraded, no path or host."""
    return "degraded" if found is not None else "ok"
