#!/usr/bin/env python3
"""A stand-in for eSignet and IDA's WebSub hub in the delivery tests.

Listens on 127.0.0.1 (port 0), prints the port on its first stdout line, and appends one JSON
line per request to LOG: method, path with query, the bearer header and the body. Each reply
waits DELAY seconds, so a test can kill the daemon while deliveries are in flight. Answers
eSignet-style `{"response": {}, "errors": []}` with 200. An auth manager login
(`/v1/authmanager/...`) is answered at once with an hour-long JWT in the `authorization` header
and is not logged, so a test with tokens on counts the same deliveries as one without.
"""
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
DELAY = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True

    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        if self.path.startswith("/v1/authmanager/"):
            claims = base64.urlsafe_b64encode(json.dumps({"exp": int(time.time()) + 3600}).encode())
            token = "eyJhbGciOiJub25lIn0.%s.c2ln" % claims.decode().rstrip("=")
            self.send_response(200)
            self.send_header("authorization", token)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
            return
        if body.startswith("hub.mode=register"):
            # A topic registration before the first publish (SPEC 7.1): answered, not a delivery.
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        time.sleep(DELAY)
        entry = {"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"),
                 "cookie": self.headers.get("Cookie"), "body": body}
        with lock, open(LOG, "a") as log:
            log.write(json.dumps(entry) + "\n")
        reply = b'{"response":{},"errors":[]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_POST = handle_one
    do_PUT = handle_one

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
