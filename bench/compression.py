"""Compare [server] compression on and off: small frames to many screens.

Usage: python -m bench.compression [--screens 300] [--modes gevent,threading] [--quick]
"on" is what the libraries do by default: permessage-deflate on every WebSocket
that offers it (browsers and socket.io-client do) and gzip on long-polling
responses over 1 KiB; "off" turns both off.
"""

from __future__ import annotations

import argparse
import sys

from bench import machine
from bench.fanout import Plan, run_fanout
from bench.run import QUICK, fanout_table


def main(argv: list[str] | None = None) -> int:
    """Run the fan-out scenario with compression on, then off, per mode."""
    parser = argparse.ArgumentParser(prog="python -m bench.compression", description=__doc__)
    parser.add_argument("--screens", type=int, default=300)
    parser.add_argument("--modes", default="gevent")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan(steady_s=5, saturate_s=3, approvals=10)
    say = print  # a command-line tool: it prints its report
    for line in machine.describe():
        say(line)
    results = []
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        for on in (True, False):
            label = f"{mode}, compression {'on' if on else 'off'}"
            say(f"... {label}, {args.screens} screens (load {machine.load()})", flush=True)
            results.append(run_fanout(mode, args.screens, plan, label=label,
                                      server_extra=f"compression = {str(on).lower()}"))
    say(fanout_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
