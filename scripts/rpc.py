#!/usr/bin/env python3
"""Send one JSON-RPC call over the daemon's Unix socket and print the result.

    scripts/rpc.py SOCKET METHOD [PARAMS_JSON] [-f FIELD] [-t TIMEOUT_S] [--time]

Prints the result as compact JSON (or, with -f, one top-level member of the result: strings
raw, anything else as JSON); with --time, preceded by the round trip in ms and a tab. An error reply is printed on stderr and the exit code is 1;
a transport problem exits 2. Used by scripts/bench.sh for set-up calls.
"""
import argparse
import json
import signal
import socket
import sys
import time


def call(sock_path, method, params, timeout=30.0):
    """One request, one reply line; returns the decoded reply object."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(sock_path)
        req = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        s.sendall(json.dumps(req, separators=(",", ":")).encode() + b"\n")
        buf = b""
        while b"\n" not in buf:
            chunk = s.recv(1 << 16)
            if not chunk:
                raise ConnectionError("connection closed before a reply")
            buf += chunk
        return json.loads(buf.split(b"\n", 1)[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("socket")
    ap.add_argument("method")
    ap.add_argument("params", nargs="?", default="{}")
    ap.add_argument("-f", "--field", help="print only this member of the result")
    ap.add_argument("-t", "--timeout", type=float, default=300.0)
    ap.add_argument("--time", action="store_true",
                    help="print the round trip in ms (connect to reply), a tab, then the output")
    a = ap.parse_args()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        params = json.loads(a.params)
    except ValueError as e:
        print(f"rpc.py: PARAMS is not JSON: {e}", file=sys.stderr)
        return 2
    try:
        t0 = time.monotonic()
        reply = call(a.socket, a.method, params, a.timeout)
        elapsed_ms = (time.monotonic() - t0) * 1e3
    except (OSError, ValueError) as e:
        print(f"rpc.py: {a.method} on {a.socket}: {e}", file=sys.stderr)
        return 2
    if "error" in reply:
        print(f"rpc.py: {a.method} failed: {json.dumps(reply['error'])}", file=sys.stderr)
        return 1
    result = reply.get("result")
    if a.field is not None:
        value = result.get(a.field) if isinstance(result, dict) else None
        out = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    else:
        out = json.dumps(result, separators=(",", ":"))
    print(f"{elapsed_ms:.1f}\t{out}" if a.time else out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
