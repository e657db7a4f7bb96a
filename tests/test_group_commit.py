"""Group commit: concurrent single posts share transactions; each caller gets its own outcome."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import event

from tests.conftest import TOKEN, make_post, write_config
from tests.test_batch_ingest import REFUSED, refuse_marked_posts
from wall.config import load_config
from wall.store import Change

WRITERS = 8
POSTS_EACH = 12


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """A wall on SQLite, its pipeline driven straight from threads (threading mode)."""
    from wall import create_app

    app = create_app(load_config(write_config(tmp_path, mode="post", async_mode="threading")),
                     {"TESTING": True})
    yield app
    app.extensions["socialwall"].store.close()


def commits(app: Any) -> list[int]:
    """Count the store's commits with a real SQLAlchemy event listener."""
    seen: list[int] = []
    event.listen(app.extensions["socialwall"].store.engine, "commit",
                 lambda _conn: seen.append(1))
    return seen


def test_concurrent_single_posts_share_commits_and_each_gets_its_own_id(app: Any) -> None:
    pipeline = app.extensions["socialwall"].pipeline
    counted = commits(app)
    ids: dict[str, int] = {}
    start = threading.Barrier(WRITERS)

    def write(writer: int) -> None:
        start.wait()
        for k in range(POSTS_EACH):
            key = f"g-{writer}-{k}"
            ids[key] = pipeline.submit(make_post(external_id=key, text=f"{key} #TestDays")
                                       ).post["id"]

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    total = WRITERS * POSTS_EACH
    assert len(ids) == total and len(set(ids.values())) == total
    store = app.extensions["socialwall"].store
    for key, post_id in ids.items():
        assert store.get(post_id)["external_id"] == key  # each caller got its own post's id
    assert len(counted) < total  # posts of concurrent callers were committed together
    again = pipeline.submit(make_post(external_id="g-0-0", text="g-0-0 #TestDays"))
    assert not again.created and again.post["id"] == ids["g-0-0"]


def test_a_task_run_alone_sees_no_commit_and_the_writers_go_on_after_it(app: Any) -> None:
    """GroupCommit.alone (the SQLite checkpoint): writers queue while it runs, none is lost."""
    pipeline = app.extensions["socialwall"].pipeline
    counted = commits(app)
    during: list[tuple[int, int]] = []
    stored: list[int] = []
    start = threading.Barrier(WRITERS + 1)

    def task() -> None:
        before = len(counted)
        time.sleep(0.3)  # the writers below arrive meanwhile
        during.append((before, len(counted)))

    def write(writer: int) -> None:
        start.wait()
        for k in range(POSTS_EACH):
            key = f"a-{writer}-{k}"
            stored.append(pipeline.submit(make_post(external_id=key, text=key)).post["id"])

    with ThreadPoolExecutor(WRITERS) as pool:
        writers = [pool.submit(write, w) for w in range(WRITERS)]
        start.wait()
        time.sleep(0.02)  # some groups are under way
        assert pipeline.writer.alone(task) is None
        for writer in writers:
            writer.result(60)
    [(before, after)] = during
    assert before == after  # no group committed while the task ran
    assert len(set(stored)) == WRITERS * POSTS_EACH
    with pytest.raises(ZeroDivisionError):
        pipeline.writer.alone(lambda: 1 / 0)
    assert pipeline.submit(make_post(external_id="a-after", text="after")).created


def test_a_post_the_database_refuses_fails_only_its_own_caller(app: Any) -> None:
    client = app.test_client()
    refuse_marked_posts(client)
    pipeline = app.extensions["socialwall"].pipeline
    outcomes: dict[int, Any] = {}
    start = threading.Barrier(WRITERS)

    def write(writer: int) -> None:
        text = f"writer {writer} " + (REFUSED if writer == 3 else "fine #TestDays")
        start.wait()
        outcomes[writer] = pipeline.submit_each([make_post(external_id=f"r-{writer}",
                                                           text=text)])[0]

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert isinstance(outcomes[3], Exception)
    assert "breaks a rule of the database" in str(outcomes[3])
    stored = {w for w, o in outcomes.items() if isinstance(o, Change)}
    assert stored == set(range(WRITERS)) - {3}


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet"])
def test_webhook_calls_on_kept_alive_connections_share_transactions(
        wall_server_factory: Any, async_mode: str) -> None:
    """Under gevent and eventlet a commit does not yield: the leader must let others in.

    Before, every group held the one post of its leader (as many commits as posts).
    """
    server = wall_server_factory(mode="post", async_mode=async_mode)
    connections, each = 4, 30

    def send(worker: int) -> list[int]:
        http = requests.Session()  # kept alive, as a client posting in a loop does
        ids = []
        for k in range(each):
            reply = http.post(f"{server.url}/api/ingest",
                              json={"id": f"k-{worker}-{k}", "author": f"Guest {worker}",
                                    "text": f"post {k} from connection {worker} #TestDays"},
                              headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
            assert reply.status_code == 202, reply.text
            ids += reply.json()["ids"]
        return ids

    with ThreadPoolExecutor(connections) as pool:
        ids = [i for got in pool.map(send, range(connections)) for i in got]
    total = connections * each
    assert len(set(ids)) == total  # each caller got its own post
    assert server.metric("socialwall_ingest_committed_posts_total") == total
    commits = server.metric("socialwall_ingest_commits_total")
    assert commits < total  # concurrent callers shared transactions
    listed = requests.get(f"{server.url}/api/posts", params={"limit": 500}, timeout=10).json()
    assert {p["id"] for p in listed["posts"]} == set(ids)
