"""Keep the rules' ambassador snapshot current and watch the sources for proof phrases."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from wall.ambassadors.queries import approved_entries, last_post_id, scan_proofs
from wall.moderation.enrolled import Enrolled

if TYPE_CHECKING:
    from wall.runtime import Wall

log = logging.getLogger(__name__)

SCAN_SECONDS = 2.0
# Other server processes approve too; each re-reads the approved handles this often.
REFRESH_SECONDS = 15.0
# A restart looks back this many posts for phrases it may have missed while down.
LOOK_BACK = 5_000


def refresh(wall: Wall) -> None:
    """Rebuild the rules' snapshot of approved handles and confidential words."""
    section = wall.config.ambassadors
    entries = approved_entries(wall.store, section.verify)
    wall.rules = replace(wall.rules, enrolled=Enrolled.build(entries,
                                                             section.confidential_words))
    log.debug("ambassador snapshot: %d handles", len(entries))


def watch(wall: Wall) -> None:
    """Scan new posts for proof phrases and refresh the snapshot, until the wall stops."""
    section = wall.config.ambassadors
    if not section.enrolment:
        return
    after = max(0, last_post_id(wall.store) - LOOK_BACK)
    refreshed = time.monotonic()
    while not wall.stopping.is_set():
        try:
            if section.verify:
                after, marked = scan_proofs(wall.store, after)
                if marked:
                    log.info("%d ambassador handle(s) proven by a post", marked)
                    refresh(wall)
            if time.monotonic() - refreshed >= REFRESH_SECONDS:
                refresh(wall)
                refreshed = time.monotonic()
        except Exception:  # the next round tries again; the wall keeps running
            log.exception("ambassador watch failed")
        wall.sleep(SCAN_SECONDS)
