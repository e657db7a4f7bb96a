"""Time sequential requests on one kept-alive HTTP connection, per async mode.

Usage: python -m bench.keepalive [--requests 200] [--modes gevent,eventlet,threading,node]
Without TCP_NODELAY on accepted sockets, a response written in two pieces
(headers, then body) waits for the client's delayed ACK: about 40 ms each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import machine
from bench.fanout import keepalive_times
from bench.figures import ms, percentile, render
from bench.servers import node_reference, socialwall

DELAYED_ACK_MS = 38  # Linux's delayed ACK is 40 ms; a response stuck behind it takes longer


def main(argv: list[str] | None = None) -> int:
    """Print the mean time per GET /healthz on one connection for each server."""
    parser = argparse.ArgumentParser(prog="python -m bench.keepalive", description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--modes", default="gevent,eventlet,threading,node")
    parser.add_argument("--path", default="/healthz", help="what to GET (default /healthz)")
    args = parser.parse_args(argv)
    rows = []
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        with tempfile.TemporaryDirectory(prefix="wall-keepalive-") as folder:
            server = node_reference() if mode == "node" else socialwall(Path(folder), mode)
            server.start()
            try:
                times = keepalive_times(server.url, args.requests, args.path)
            finally:
                server.stop()
        rows.append([mode, str(args.requests), ms(percentile(times, 50)),
                     ms(percentile(times, 90)), str(sum(t >= DELAYED_ACK_MS for t in times))])
    print(machine.describe()[0])  # a command-line tool: it prints its report
    print(render(["server", "requests", "median ms", "p90 ms",
                  f"requests >= {DELAYED_ACK_MS} ms"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
