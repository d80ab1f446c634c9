#!/usr/bin/env python3
"""client.create load with a fresh RSA key per request (rpcload's one template cannot do that).

    scripts/create_load.py SOCKET --partner ID --policy ID [-c CLIENTS] [-k PIPELINE]
                           [-d SECONDS | -n COUNT] [-j PROCESSES] [--max-rate R] [--json]

CLIENTS Unix-socket connections (default 16), each keeping PIPELINE requests in flight
(default 1), send client.create until SECONDS have passed (default 3) or COUNT creates were
sent in total. Every request carries a distinct RSA JWK: the daemon checks only the shape of
the public key (n odd, at least 2048 bits with the top bit set; e odd, >= 3 and < n), so a
random odd 2048-bit integer with the top bit set is a valid modulus for it; the key hash, and
so the clientId, is new each time.

Every request line is built before the clock starts (at most --max-rate per second of the
run, default 40,000), so making keys is not what is measured. With -j the connections are
split over that many processes, which start together; one Python process cannot keep a daemon
on many cores busy.

Prints a summary like rpcload's (with --json, its last line is one JSON object: ok, errors,
rps, p50_ms, p99_ms, seconds). Exit 1 when any reply is an error or is lost.
"""
import argparse
import asyncio
import base64
import json
import multiprocessing
import secrets
import sys
import time


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def random_modulus() -> str:
    n = secrets.randbits(2048) | (1 << 2047) | 1
    return b64url(n.to_bytes(256, "big"))


class Load:
    def __init__(self, a, count):
        self.a = a
        self.count = count
        self.lines = []
        self.sent = 0
        self.ok = 0
        self.errors = 0
        self.sample = None
        self.lat = []
        self.stop_at = None
        # Everything but the key and the request id is the same in every request.
        common = {
            "name": "bench client",
            "policyId": a.policy,
            "authPartnerId": a.partner,
            "logoUri": "https://rp.example.org/logo.png",
            "redirectUris": ["https://rp.example.org/cb"],
            "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"],
        }
        tail = "," + json.dumps(common, separators=(",", ":"))[1:] + "}\n"
        self.lines = [('{"jsonrpc":"2.0","id":%d,"method":"client.create","params":'
                       '{"publicKey":{"kty":"RSA","e":"AQAB","n":"%s"}' % (i + 1, random_modulus())
                       + tail).encode() for i in range(count)]

    def request(self) -> bytes | None:
        if self.sent >= len(self.lines):
            return None
        if self.stop_at is not None and time.monotonic() >= self.stop_at:
            return None
        self.sent += 1
        return self.lines[self.sent - 1]

    async def conn(self):
        reader, writer = await asyncio.open_unix_connection(self.a.socket, limit=1 << 20)
        inflight = []  # send times, oldest first (replies come back in order)
        try:
            while True:
                batch = []
                while len(inflight) < self.a.pipeline:
                    req = self.request()
                    if req is None:
                        break
                    batch.append(req)
                    inflight.append(time.monotonic())
                if batch:
                    writer.write(b"".join(batch))
                    await writer.drain()
                if not inflight:
                    return
                line = await asyncio.wait_for(reader.readline(), self.a.timeout)
                if not line:
                    raise ConnectionError("connection closed with requests outstanding")
                t0 = inflight.pop(0)
                self.lat.append(time.monotonic() - t0)
                reply = json.loads(line)
                if "result" in reply:
                    self.ok += 1
                else:
                    self.errors += 1
                    if self.sample is None:
                        self.sample = line.decode(errors="replace").strip()[:300]
        finally:
            writer.close()

    async def run(self, clients, start_at):
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        t0 = time.monotonic()
        if self.a.count is None:
            self.stop_at = t0 + self.a.duration
        results = await asyncio.gather(*(self.conn() for _ in range(clients)),
                                       return_exceptions=True)
        el = time.monotonic() - t0
        lost = self.sent - self.ok - self.errors
        problems = [repr(r) for r in results if isinstance(r, BaseException)]
        return el, lost, problems


def worker(a, clients, count, ready, start, results):
    """One process: builds its lines, reports ready, waits for the common start, runs."""
    load = Load(a, count)
    ready.put(True)
    start_at = start.get()
    el, lost, problems = asyncio.run(load.run(clients, start_at))
    results.put({"ok": load.ok, "errors": load.errors, "lost": lost, "seconds": el,
                 "lat": load.lat, "sample": load.sample, "problems": problems[:3]})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("socket")
    ap.add_argument("--partner", required=True, help="an ACTIVE Auth_Partner")
    ap.add_argument("--policy", required=True, help="an Auth policy mapped to it (approved)")
    ap.add_argument("-c", "--clients", type=int, default=16)
    ap.add_argument("-k", "--pipeline", type=int, default=1)
    ap.add_argument("-d", "--duration", type=float, default=3.0)
    ap.add_argument("-n", "--count", type=int, default=None)
    ap.add_argument("-j", "--processes", type=int, default=1)
    ap.add_argument("--max-rate", type=float, default=40000.0,
                    help="requests per second built ahead for a timed run")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    procs = max(1, min(a.processes, a.clients))
    total = a.count if a.count is not None else int(a.max_rate * a.duration) + a.clients * a.pipeline
    context = multiprocessing.get_context("fork")
    ready, start, results = context.Queue(), context.Queue(), context.Queue()
    workers = []
    for i in range(procs):
        clients = a.clients // procs + (1 if i < a.clients % procs else 0)
        count = total // procs + (1 if i < total % procs else 0)
        w = context.Process(target=worker, args=(a, clients, count, ready, start, results))
        w.start()
        workers.append(w)
    for _ in workers:
        ready.get()
    start_at = time.monotonic() + 0.05
    for _ in workers:
        start.put(start_at)
    parts = [results.get() for _ in workers]
    for w in workers:
        w.join()

    ok = sum(p["ok"] for p in parts)
    errors = sum(p["errors"] for p in parts)
    sample = next((p["sample"] for p in parts if p["sample"]), None)
    lost = sum(p["lost"] for p in parts)
    problems = [q for p in parts for q in p["problems"]]
    el = max(p["seconds"] for p in parts)
    lat = sorted(x for p in parts for x in p["lat"])

    def pct(p):
        return lat[min(len(lat) - 1, int(len(lat) * p))] * 1e3 if lat else 0.0

    rps = ok / el if el > 0 else 0.0
    print(f"target={a.socket} clients={a.clients} pipeline={a.pipeline} method=client.create")
    print(f"responses: ok={ok} error={errors} lost={lost}")
    print(f"throughput: {rps:.0f} req/s over {el:.2f}s")
    print(f"latency ms: p50={pct(.5):.3f} p90={pct(.9):.3f} p99={pct(.99):.3f} max={pct(1.0):.3f}")
    if sample:
        print(f"  sample problem: {sample}")
    for p in problems[:3]:
        print(f"  connection problem: {p}")
    if a.json:
        print(json.dumps({"clients": a.clients, "pipeline": a.pipeline, "ok": ok,
                          "errors": errors, "lost": lost, "seconds": round(el, 3),
                          "rps": round(rps), "p50_ms": round(pct(.5), 4),
                          "p99_ms": round(pct(.99), 4)}, separators=(",", ":")))
    return 1 if (errors or lost or problems) else 0


if __name__ == "__main__":
    sys.exit(main())
