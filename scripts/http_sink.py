#!/usr/bin/env python3
"""A local stand-in for eSignet and IDA's WebSub hub that answers every request at once.

Used by `make bench` for the end-to-end delivery rate. Listens on 127.0.0.1 (port 0), prints the
port on its first stdout line, keeps connections alive (HTTP/1.1), and answers eSignet's shape
`{"response": {}, "errors": []}` with 200. Counts requests; prints the count on SIGTERM.
"""
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY = b'{"response":{},"errors":[]}'
count = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the second waits for a delayed ACK
    # (40 ms), which would measure the sink's TCP stack instead of the daemon.
    disable_nagle_algorithm = True

    def answer(self):
        global count
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        count += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(REPLY)))
        self.end_headers()
        self.wfile.write(REPLY)

    do_POST = answer
    do_PUT = answer

    def log_message(self, *args):
        pass


def stop(*_):
    print(f"requests {count}", file=sys.stderr, flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
