#!/usr/bin/env python3
"""A stand-in for MOSIP's auth manager, eSignet and the WebSub hub, for the daemon's credential tests.

usage: fake_mosip.py LOG SECRET
Listens on 127.0.0.1 (port 0) and prints the port on its first stdout line.
- POST /v1/authmanager/authenticate/clientidsecretkey: answers a token in the `authorization`
  header when the request's secretKey equals the expected secret, else an `errors` reply. Each
  token is new (token-1, token-2, ...) and lives 60 s (a JWT `exp`), so with a 60 s refresh
  margin every delivery fetches one.
- POST /control {"secret": "..."}: changes the expected secret (a rotation).
- Anything else (eSignet, the hub): answered like eSignet, and one JSON line per request is
  appended to LOG: method, path, Authorization and Cookie headers, body. An eSignet call whose
  body holds REJECT-ME is refused as eSignet refuses a bad redirect URI (HTTP 200, `errors`).
"""
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
state = {"secret": sys.argv[2], "tokens": 0}
lock = threading.Lock()


def jwt(number):
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
    return "%s.%s.c2ln" % (part({"alg": "none"}), part({"sub": "token-%d" % number, "exp": int(time.time()) + 60}))


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.path.startswith("/v1/authmanager/"):
            secret = json.loads(body)["request"]["secretKey"]
            with lock:
                if secret != state["secret"]:
                    return self.reply(200, '{"errors":[{"errorCode":"KER-ATH-401","message":"bad secret"}]}')
                state["tokens"] += 1
                token = jwt(state["tokens"])
            return self.reply(200, '{"errors":null}', [("authorization", token)])
        if self.path == "/control":
            with lock:
                state["secret"] = json.loads(body)["secret"]
            return self.reply(200, "{}")
        entry = {
            "method": self.command, "path": self.path, "auth": self.headers.get("Authorization"),
            "cookie": self.headers.get("Cookie"), "body": body,
        }
        with lock, open(LOG, "a") as log:
            log.write(json.dumps(entry) + "\n")
        if self.path.startswith("/v1/esignet/") and "REJECT-ME" in body:
            return self.reply(200, '{"response":null,"errors":[{"errorCode":"invalid_redirect_uri",'
                              '"errorMessage":"Invalid redirect URI"}]}')
        self.reply(200, '{"response":{},"errors":[]}')

    do_PUT = do_POST

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
