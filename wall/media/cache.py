"""A content-addressed file cache under instance/media/cache, with a size cap and eviction."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)

URL_PREFIX = "/media/cache/"
EVICT_TO = 0.9  # after eviction the cache holds at most 90% of its cap


class MediaCache:
    """Files named by the SHA-256 of their bytes; the least recently written go first."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.lock = threading.Lock()
        root.mkdir(parents=True, exist_ok=True)
        self.total = sum(p.stat().st_size for p in self._files())

    def _files(self) -> list[Path]:
        return [p for p in self.root.glob("*/*") if p.is_file() and not p.name.startswith(".")]

    def path_for(self, data: bytes, suffix: str) -> Path:
        """Return where bytes with this content are (or would be) kept."""
        digest = hashlib.sha256(data).hexdigest()
        return self.root / digest[:2] / f"{digest}{suffix}"

    def url_for(self, path: Path) -> str:
        """Return the URL a cached file is served at."""
        return URL_PREFIX + path.relative_to(self.root).as_posix()

    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes once (same content, same file) and return their URL."""
        path = self.path_for(data, suffix)
        if path.exists():
            os.utime(path)  # a hit counts as recent use
            return self.url_for(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        with self.lock:
            self.total += len(data)
            over = self.total > self.max_bytes
        if over:
            self.evict()
        return self.url_for(path)

    def evict(self) -> int:
        """Delete the oldest files until the cache is under its cap; return how many."""
        with self.lock:
            files = sorted(self._files(), key=lambda p: p.stat().st_mtime)
            total = sum(p.stat().st_size for p in files)
            removed = 0
            for path in files:
                if total <= self.max_bytes * EVICT_TO:
                    break
                size = path.stat().st_size
                path.unlink(missing_ok=True)
                total -= size
                removed += 1
            self.total = total
        if removed:
            log.info("media cache: evicted %d files, %d bytes kept", removed, total)
        return removed
