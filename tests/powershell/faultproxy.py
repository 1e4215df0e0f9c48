#!/usr/bin/python3
"""Fault-injecting HTTP pass-through in front of the real artifact server.

Used by the Pester tests of Deploy-AgentBundle.ps1. Streams every GET to the upstream server and
can: answer 503 to the first N requests, flip one byte in the body of one file, or hold one
file's body back (headers sent, no data) to exercise stall and deadline handling. Prints one JSON
line {"event":"ready","url":...} on stdout once listening and appends one JSON line per request
({"path","name","status"}) to the --log file.
"""
import argparse
import http.client
import http.server
import json
import sys
import threading
import time
import urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True, help="http://host:port of the artifact server")
    ap.add_argument("--log", required=True)
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--corrupt", default=None, help="bundle file name whose body gets one byte flipped")
    ap.add_argument("--hold", default=None, help="bundle file name whose body is held back")
    ap.add_argument("--hold-seconds", type=float, default=120.0)
    args = ap.parse_args()

    upstream = urllib.parse.urlsplit(args.upstream)
    counter = {"n": 0}
    lock = threading.Lock()

    def log(path, name, status):
        with lock:
            with open(args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"path": path, "name": name, "status": status}) + "\n")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):  # keep stderr quiet
            pass

        def do_GET(self):
            with lock:
                counter["n"] += 1
                n = counter["n"]
            name = urllib.parse.unquote(self.path.rsplit("/", 1)[-1])
            if n <= args.fail_first:
                body = b"injected failure\n"
                self.send_response(503)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(body)
                log(self.path, name, 503)
                return
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            conn.request("GET", self.path)
            resp = conn.getresponse()
            log(self.path, name, resp.status)
            self.send_response(resp.status)
            for key in ("Content-Length", "Content-Type", "ETag", "Last-Modified"):
                value = resp.getheader(key)
                if value is not None:
                    self.send_header(key, value)
            self.end_headers()
            if name == args.hold:
                self.wfile.flush()
                time.sleep(args.hold_seconds)
                self.close_connection = True
                conn.close()
                return
            sent = 0
            flipped = False
            while True:
                chunk = resp.read(65536)
                if not chunk:
                    break
                if name == args.corrupt and not flipped:
                    b = bytearray(chunk)
                    b[len(b) // 2] ^= 0x5A
                    chunk = bytes(b)
                    flipped = True
                try:
                    self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(chunk)
            conn.close()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    sys.stdout.write(json.dumps({"event": "ready", "url": "http://127.0.0.1:%d/agent" % port}) + "\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
