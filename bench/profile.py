"""Profile socialwall with py-spy while screens receive a steady stream of posts.

Usage: python -m bench.profile [--screens 500] [--mode gevent] [--seconds 20] [--top 25]
Prints where the server's samples fall: the functions with the most samples
anywhere on the stack ("inclusive") and at the top of it ("self").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

from bench import driver, machine
from bench.figures import render
from bench.fleet import fleet
from bench.servers import socialwall


def summarise(collapsed: str, top: int) -> tuple[list[list[str]], list[list[str]], int]:
    """Read py-spy's collapsed stacks; return inclusive and self rows and the sample total."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
                  + ")" if " (" in f else f for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count

    def rows(counter: Counter[str]) -> list[list[str]]:
        return [[name, f"{100 * n / max(total, 1):.1f}%"] for name, n in counter.most_common(top)]

    return rows(inclusive), rows(own), total


def main(argv: list[str] | None = None) -> int:
    """Run the load, sample the server, print the top functions."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--screens", type=int, default=500)
    parser.add_argument("--mode", default="gevent")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    say = print  # a command-line tool: it prints its report
    say(machine.describe()[0])
    with tempfile.TemporaryDirectory(prefix="wall-profile-") as folder:
        server = socialwall(Path(folder), args.mode)
        server.start()
        try:
            with fleet(server.url, args.screens) as group:
                join_s, joined = group.join(90)
                say(f"{joined} screens joined in {join_s} s; sampling {args.seconds} s "
                    f"at {args.rate} posts/s, plus joins of 50 more screens")
                out = Path(folder) / "profile.txt"
                record = subprocess.Popen(
                    [spy, "record", "--format", "raw", "--rate", "100", "--nonblocking",
                     "-d", str(args.seconds), "-o", str(out), "-p", str(server.pid)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                late = threading.Thread(target=_late_joins, args=(server.url,))
                late.start()
                driver.steady(server.url, "p", args.rate, args.seconds - 1)
                late.join()
                record.wait(args.seconds + 60)
                text = out.read_text() if out.exists() else ""
        finally:
            server.stop()
    inclusive, own, total = summarise(text, args.top)
    say(f"{total} samples")
    say(render(["function (file), inclusive", "samples"], inclusive))
    say("")
    say(render(["function (file), self", "samples"], own))
    return 0


def _late_joins(url: str) -> None:
    """Join 50 more screens while sampling: joins are part of the load."""
    with fleet(url, 50, procs=1) as group:
        group.join(60)


if __name__ == "__main__":
    sys.exit(main())
