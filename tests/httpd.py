#!/usr/bin/env python3
"""A small HTTP server for the calendar tests, on 127.0.0.1 only.

usage: httpd.py DIR

Prints the port it listens on (an ephemeral one) as the first line of
stdout, then serves the files in DIR, plus special paths:
  /hang           accepts the request and never answers
  /500            HTTP 500
  /redirect       302 to /releases.json
  /redirect-loop  302 to itself, for ever
  /big            2 MiB of text
  /big-header     a 10 MiB header line
It exits as soon as its stdin is closed (the test holds the other end,
so the server dies with the test, whatever happens to it).
"""
import http.server
import os
import sys
import threading
import time


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=sys.argv[1], **kwargs)

    def log_message(self, *args):
        pass

    def redirect(self, where):
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/hang":
            time.sleep(3600)
        elif path == "/500":
            self.send_error(500, "Internal Server Error")
        elif path == "/redirect":
            self.redirect("/releases.json")
        elif path == "/redirect-loop":
            self.redirect("/redirect-loop")
        elif path == "/big-header":
            self.send_response(200)
            self.send_header("X-Big", "a" * (10 * 1024 * 1024))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/big":
            body = b"open\n" * (2 * 1024 * 1024 // 5)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()


def watch_stdin():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: httpd.py DIR\n")
        sys.exit(2)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
