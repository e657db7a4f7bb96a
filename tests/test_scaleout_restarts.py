"""Faults in a scale-out wall: PostgreSQL restarted, a server process killed, mid-run.

Two `socialwall run --no-sources` processes and one `socialwall ingest` on a private
PostgreSQL cluster and Redis; feed-like screens on both servers; posts from the
webhook and the ingest process's demo source; a moderator approving throughout.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import TOKEN, WallServer, write_config
from tests.scaleout_cluster import PrivatePostgres, Screen, unavailable, wall_order
from tests.standins import wait_for

log = logging.getLogger(__name__)

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    """A running PostgreSQL cluster of this test alone."""
    cluster = PrivatePostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def wall_config(tmp_path: Path, postgres: PrivatePostgres) -> Path:
    """A pre-moderated wall on the private cluster and Redis, with a demo source for ingest."""
    if shutil.which("redis-server") is None:
        unavailable("Redis is not installed (apt-get install redis-server)")
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure: no Redis to run this test on
        unavailable(f"Redis is not reachable on 127.0.0.1:6379 ({exc})")
    path = write_config(tmp_path, mode="pre", extra="""
        [[sources]]
        type = "demo"
        rate = 1
        backlog = 0
        """)
    text = path.read_text(encoding="utf-8").replace(
        "[server]\n", f'[server]\ndatabase = "{postgres.url}"\nmessage_queue = "{REDIS}"\n'
        f'channel = "socialwall-faults-{uuid.uuid4().hex[:8]}"\n', 1)
    path.write_text(text, encoding="utf-8")
    return path


class Cluster:
    """The processes of one test, a moderator, and the webhook sender's bookkeeping."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.servers = [self.start("run", "--no-sources"), self.start("run", "--no-sources")]
        self.ingest: WallServer | None = self.start("ingest")
        self.moderator = self.servers[0].session()
        self.acked: dict[str, int] = {}  # webhook external id -> id answered with 202
        self.unsent: list[str] = []  # refused (503, connection lost): sent again later
        self.statuses: set[int] = set()

    def start(self, command: str, *args: str) -> WallServer:
        """Start one process of the wall."""
        server = WallServer(self.config, command=command, args=args)
        server.start()
        return server

    def up(self) -> list[WallServer]:
        """Return the server processes still running."""
        return [s for s in self.servers if s.proc is not None and s.proc.poll() is None]

    def send(self, external_id: str) -> None:
        """Send a webhook post as a sender that retries does: any live server, until 202."""
        for server in self.up():
            try:
                reply = requests.post(
                    f"{server.url}/api/ingest", timeout=10,
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    json={"posts": [{"id": external_id, "author": "Guest",
                                     "text": f"through the faults {external_id}"}]})
            except requests.ConnectionError:
                continue
            self.statuses.add(reply.status_code)
            if reply.status_code == 202:
                post_id = reply.json()["ids"][0]
                assert self.acked.setdefault(external_id, post_id) == post_id, \
                    f"{external_id} sent again got another id"
                return
        self.unsent.append(external_id)

    def moderate(self, round_: int) -> None:
        """Approve the pending posts oldest first (every seventh is rejected); now and then
        take an approved post off the wall. A failed call is tried again next round."""
        for server in self.up():
            try:
                pending = self._posts(server, "pending")
                for n, post in enumerate(sorted(pending, key=lambda p: p["id"])):
                    action = "reject" if (post["id"] + n) % 7 == 0 else "approve"
                    self._decide(server, post["id"], action)
                if round_ % 6 == 5:
                    shown = self._posts(server, "approved")
                    if shown:
                        self._decide(server, shown[len(shown) // 2]["id"], "hide")
                return
            except (requests.ConnectionError, requests.HTTPError) as exc:
                self.statuses.add(getattr(exc.response, "status_code", 0) or 0)
                continue

    def _posts(self, server: WallServer, status: str) -> list[dict[str, Any]]:
        reply = self.moderator.get(f"{server.url}/api/posts", timeout=10,
                                   params={"status": status, "limit": "500"})
        reply.raise_for_status()
        return list(reply.json()["posts"])

    def _decide(self, server: WallServer, post_id: int, action: str) -> None:
        reply = self.moderator.post(f"{server.url}/api/posts/{post_id}/{action}", timeout=10)
        if reply.status_code != 409:  # decided meanwhile through the other server
            reply.raise_for_status()

    def settle(self, screens: list[Screen]) -> list[int]:
        """Stop ingest, send what was refused, decide everything; return the approved ids
        in the order they went on the wall, newest first."""
        if self.ingest is not None:
            self.ingest.stop()
            self.ingest = None
        for external_id in self.unsent[:]:
            self.unsent.remove(external_id)
            self.send(external_id)
        assert not self.unsent
        def decided() -> bool:
            self.moderate(1)
            return not self._posts(self.up()[0], "pending")

        wait_for(decided, timeout=60, what="every pending post to be decided")
        approved = wall_order(self.up()[0].url)
        assert sorted(approved) == sorted(p["id"] for p in self._posts(self.up()[0],
                                                                      "approved"))
        try:
            wait_for(lambda: all(s.shown == approved for s in screens), timeout=60,
                     what="every screen to show the approved posts")
        except AssertionError:
            log.error("approved: %s", approved)
            for s in screens:
                log.error("shown: %s", s.shown)
                log.error("%s on %s: last seq %s, %d joins, missing %s, extra %s, order ok %s",
                          s.name, s.servers_used, s.last_seq, s.joins,
                          sorted(set(approved) - set(s.shown)),
                          sorted(set(s.shown) - set(approved)),
                          [i for i in s.shown if i in approved] == approved)
            for server in self.servers:
                log.error("server %s said:\n%s", server.url, "".join(server.output[-80:]))
            raise
        return approved

    def everything(self) -> list[dict[str, Any]]:
        """Return every stored post, whatever its status."""
        server = self.up()[0]
        return [p for status in ("approved", "pending", "rejected")
                for p in self._posts(server, status)]

    def stop(self) -> None:
        """Stop every process still running."""
        for proc in ([self.ingest] if self.ingest else []) + self.servers:
            proc.stop()


def health(server: WallServer) -> tuple[int, dict[str, Any]]:
    """Return /healthz's status and body."""
    reply = requests.get(f"{server.url}/healthz", timeout=10)
    return reply.status_code, reply.json()


def run_rounds(cluster: Cluster, rounds: range, tag: str,
               between: Callable[[int], None] = lambda n: None) -> None:
    """Send a webhook post and moderate, a few times a second."""
    for n in rounds:
        between(n)
        cluster.send(f"{tag}-{n}")
        cluster.moderate(n)
        time.sleep(0.25)


def assert_nothing_lost(cluster: Cluster, screens: list[Screen], approved: list[int]) -> None:
    """Every screen shows exactly the approved posts once, in order; no acked post is lost;
    the demo source's posts have no hole (its cursor never moved past a post not stored)."""
    for screen in screens:
        assert screen.shown == approved, f"{screen.name} on {screen.servers_used}"
        assert screen.applied == sorted(set(screen.applied)), f"{screen.name} reordered"
    stored = cluster.everything()
    ids = {p["id"] for p in stored}
    assert set(cluster.acked.values()) <= ids
    keys = [p["external_id"] for p in stored]
    assert len(keys) == len(set(keys)), "a post was stored twice"
    demo = sorted(int(k.removeprefix("demo-")) for k in keys if re.fullmatch(r"demo-\d+", k))
    assert demo and demo == list(range(demo[0], demo[0] + len(demo))), \
        f"demo posts lost: {sorted(set(range(demo[0], demo[-1])) - set(demo))}"


@pytest.mark.slow
@pytest.mark.timeout(600)  # initdb, three processes and a restart on a shared 2-core machine
def test_a_postgresql_restart_loses_nothing_on_any_screen(wall_config: Path,
                                                          postgres: PrivatePostgres) -> None:
    cluster = Cluster(wall_config)
    screens: list[Screen] = []
    try:
        a, b = cluster.servers
        screens = [Screen([a.url, b.url], f"a{i}") for i in range(2)]
        screens += [Screen([b.url, a.url], f"b{i}") for i in range(2)]
        run_rounds(cluster, range(12), "before")
        demo_before = sum(p["source"] == "demo" for p in cluster.everything())
        postgres.stop("fast")
        for server in (a, b):
            wait_for(lambda s=server: health(s)[0] == 503, timeout=15,  # type: ignore[misc]
                     what="/healthz to answer 503 with PostgreSQL down")
            assert health(server)[1]["database"] == "down"
        run_rounds(cluster, range(12), "down")  # refused: the sender keeps them
        assert 503 in cluster.statuses
        postgres.start()
        run_rounds(cluster, range(16), "after")
        for server in (a, b):
            wait_for(lambda s=server: health(s)[0] == 200, timeout=60,  # type: ignore[misc]
                     what="/healthz to answer 200 after PostgreSQL is back")
        # The ingest process's source posts again after the restart.
        wait_for(lambda: sum(p["source"] == "demo" for p in cluster.everything())
                 > demo_before + 3, timeout=60, what="the ingest process to post again")
        approved = cluster.settle(screens)
        assert_nothing_lost(cluster, screens, approved)
        assert 500 not in cluster.statuses, "a request answered 500 while PostgreSQL was away"
    finally:
        for screen in screens:
            screen.close()
        cluster.stop()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_killed_server_and_ingest_process_lose_nothing(wall_config: Path) -> None:
    cluster = Cluster(wall_config)
    screens: list[Screen] = []
    try:
        a, b = cluster.servers
        screens = [Screen([a.url, b.url], f"a{i}") for i in range(2)]
        screens += [Screen([b.url, a.url], f"b{i}") for i in range(2)]

        def kill_a(n: int) -> None:
            if n == 10:
                assert a.proc is not None
                a.proc.kill()  # SIGKILL: no flush, no goodbye to its screens
                a.stop()  # reaps it and closes its output
            if n == 16:  # the ingest process too: its source resumes from its cursor
                assert cluster.ingest is not None and cluster.ingest.proc is not None
                cluster.ingest.proc.kill()
                cluster.ingest.stop()  # reaps it and closes its output
                cluster.ingest = cluster.start("ingest")

        run_rounds(cluster, range(24), "kill", kill_a)
        approved = cluster.settle(screens)
        assert_nothing_lost(cluster, screens, approved)
        for screen in screens[:2]:
            # It moved from the killed server to the other one.
            assert screen.servers_used == [a.url, b.url]
    finally:
        for screen in screens:
            screen.close()
        cluster.stop()


def test_requests_answer_503_not_500_while_the_database_is_unreachable(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from tests.conftest import PASSWORD
    from wall import create_app
    from wall.config import load_config
    from wall.runtime import get_wall

    app = create_app(load_config(write_config(tmp_path, mode="post", async_mode="threading")),
                     {"TESTING": True})
    moderator = app.test_client()
    assert moderator.post("/moderate/login", data={"password": PASSWORD}).status_code == 302
    store = get_wall(app).store
    store.engine.dispose()
    # The database goes away: an engine whose every connection is refused, as PostgreSQL's
    # while it restarts (a file that cannot be opened raises the same OperationalError).
    store.engine = create_engine(f"sqlite:///{tmp_path / 'gone' / 'wall.db'}")
    reply = app.test_client().get("/api/posts")
    assert reply.status_code == 503 and reply.headers["Retry-After"] == "5"
    assert "database is unavailable" in reply.get_json()["error"]
    page = moderator.get("/api/posts?status=pending")
    assert page.status_code == 503 and "Traceback" not in page.get_data(as_text=True)
    store.engine.dispose()
