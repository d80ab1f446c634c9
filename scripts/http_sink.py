#!/usr/bin/env python3
"""A local stand-in for eSignet and IDA's WebSub hub that answers every request at once.

Used by `make bench` for the end-to-end delivery rate. Listens on 127.0.0.1 (port 0), prints the
port on its first stdout line, keeps connections alive (HTTP/1.1), and answers eSignet's shape
`{"response": {}, "errors": []}` with 200. Stands in for MOSIP's auth manager too: a POST to
`/v1/authmanager/...` gets an hour-long JWT in the `authorization` header. Counts deliveries, token
fetches and topic registrations (`hub.mode=register`); `GET /stats` answers the counts as JSON
and SIGTERM prints them.
"""
import base64
import json
import signal
import threading
import time
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY = b'{"response":{},"errors":[]}'
counts = {"requests": 0, "tokens": 0, "registrations": 0}
lock = threading.Lock()


def token():
    claims = base64.urlsafe_b64encode(json.dumps({"exp": int(time.time()) + 3600}).encode()).decode()
    return "eyJhbGciOiJub25lIn0.%s.c2ln" % claims.rstrip("=")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the second waits for a delayed ACK
    # (40 ms), which would measure the sink's TCP stack instead of the daemon.
    disable_nagle_algorithm = True

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = []
        if self.path.startswith("/v1/authmanager/"):
            kind = "tokens"
            headers.append(("authorization", token()))
        elif body.startswith(b"hub.mode=register"):
            kind = "registrations"
        else:
            kind = "requests"
        with lock:
            counts[kind] += 1
        self.reply(REPLY, headers)

    def reply(self, data, headers=()):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            self.reply(json.dumps(counts, separators=(",", ":")).encode())

    do_POST = answer
    do_PUT = answer

    def log_message(self, *args):
        pass


def stop(*_):
    print(json.dumps(counts), file=sys.stderr, flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
