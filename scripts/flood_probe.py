#!/usr/bin/env python3
"""The flood of issue 9, measured from a well-behaved peer's side.

usage: flood_probe.py SOCKET [--seconds S] [--flooders N] [--burst LINES]

N flooder processes (default 4) each loop: connect, write BURST (default 2000) pipelined
`system.health` lines, close without reading. Meanwhile a victim connection asks one
`system.health` at a time and records each round trip. Printed as one JSON object (ms):
quiet p50/p99 (the victim alone, before the flood), p50/p99/max during the flood, and the
first round trip after every flooder has stopped. Loops are bounded by --seconds.
"""
import argparse
import json
import multiprocessing
import socket
import time

LINE = b'{"jsonrpc":"2.0","id":1,"method":"system.health"}\n'
ASK = b'{"jsonrpc":"2.0","id":7,"method":"system.health"}\n'


def flood(path, burst, stop_at):
    payload = LINE * burst
    while time.monotonic() < stop_at:
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect(path)
                s.sendall(payload)
            except OSError:
                pass


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("socket")
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--flooders", type=int, default=4)
    parser.add_argument("--burst", type=int, default=2000)
    args = parser.parse_args()

    victim = socket.socket(socket.AF_UNIX)
    victim.connect(args.socket)
    victim.settimeout(30)
    replies = victim.makefile("rb")

    def ask():
        start = time.monotonic()
        victim.sendall(ASK)
        if not replies.readline():
            raise SystemExit("the daemon closed the victim's connection")
        return (time.monotonic() - start) * 1000

    quiet = [ask() for _ in range(500)]
    stop_at = time.monotonic() + args.seconds
    flooders = [
        multiprocessing.Process(target=flood, args=(args.socket, args.burst, stop_at))
        for _ in range(args.flooders)
    ]
    for process in flooders:
        process.start()
    time.sleep(0.2)
    during = []
    while time.monotonic() < stop_at:
        during.append(ask())
    for process in flooders:
        process.join()
    after = ask()
    print(json.dumps({
        "quietP50": round(percentile(quiet, 0.5), 3), "quietP99": round(percentile(quiet, 0.99), 3),
        "answers": len(during), "p50": round(percentile(during, 0.5), 3),
        "p99": round(percentile(during, 0.99), 3), "max": round(max(during), 3), "after": round(after, 3),
    }))


if __name__ == "__main__":
    main()
