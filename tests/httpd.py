#!/usr/bin/env python3
"""A small HTTP server for the calendar tests, on 127.0.0.1 only.

usage: httpd.py DIR [LOG]

Prints the port it listens on (an ephemeral one) as the first line of
stdout, then serves the files in DIR, plus special paths:
  /hang           accepts the request and never answers
  /500            HTTP 500
  /redirect       302 to /releases.json
  /redirect-loop  302 to itself, for ever
  /big            2 MiB of text
  /big-header     a 10 MiB header line
and /fault/MODE (anything under it too: /fault/MODE/_/text/config/raw
for the lore probe), the fault matrix of tests/FAULTS.md:
  404, 429, 500   that status (429 with Retry-After: 120)
  loop            302 to itself, for ever
  hang            accepts the request and never answers
  slow            a 200 of 64 bytes, one byte every half second
  cut             a 200 that promises 64 KiB, sends 100 bytes, closes
  big             a 200 of 64 MiB (Content-Length said)
  huge            a 200 of 64 MiB, no Content-Length (the end of the
                  connection ends it)
  bomb            a 200 with Content-Encoding: gzip whose body (about
                  2 MiB) inflates to 2 GiB of zeros (made once, at the first
                  request)
With LOG, the bytes of a slow, cut, big, huge or bomb body actually written
are appended to it as "sent N" once the client stops reading.
There is also a recorded patchwork REST API under /pw/SET (base URL
http://127.0.0.1:PORT/pw/SET): /pw/SET/api/1.3/LIST/?...&page=N serves
DIR/SET/LIST-N.json (N is 1 without page=) with patchwork's Link header
(rel="next" while DIR/SET/LIST-(N+1).json exists, and first/last/prev).
SET may also name a fault, answered for every list: any MODE of
/fault/MODE above, or
  truncated      pw1's page cut in the middle of its JSON
  malformed      a body that is not JSON
  notlist        a JSON object where a list belongs
  endless        a 200 whose body never ends
  selfnext       pw1's first page, its next link pointing at itself
  lastmod        pw1's pages with Last-Modified; 304 to If-Modified-Since
With LOG, every request's path and query is appended to it, a line each.
It exits as soon as its stdin is closed (the test holds the other end,
so the server dies with the test, whatever happens to it).
"""
import http.server
import os
import struct
import sys
import threading
import time
import urllib.parse
import zlib

FAULTS = ("404", "429", "500", "loop", "hang", "slow", "cut", "big",
          "huge", "bomb")
BOMB = []
BOMB_LOCK = threading.Lock()


def bomb():
    """gzip of 2 GiB of zeros: about 2 MiB, made once.  Compressing 2 GiB
    takes seconds; after a full flush every MiB of zeros compresses to
    the same bytes, so one MiB's block is repeated instead.  The CRC-32
    of 2 GiB of zeros is a constant (zlib.crc32 over them)."""
    with BOMB_LOCK:
        if not BOMB:
            z = zlib.compressobj(9, zlib.DEFLATED, -15)
            mib = bytes(1 << 20)
            first = z.compress(mib) + z.flush(zlib.Z_FULL_FLUSH)
            block = z.compress(mib) + z.flush(zlib.Z_FULL_FLUSH)
            end = z.flush()
            header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
            trailer = struct.pack("<II", 0x4dbdf21c, (2048 << 20) % (1 << 32))
            BOMB.append(header + first + block * 2047 + end + trailer)
        return BOMB[0]


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

    def send_body(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def note(self, line):
        if len(sys.argv) > 2:
            with open(sys.argv[2], "a") as log:
                log.write(line + "\n")

    def stream(self, chunks, headers):
        """A 200 with headers, then each chunk until the client goes."""
        self.send_response(200)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        sent = 0
        try:
            for c in chunks:
                self.wfile.write(c)
                sent += len(c)
            self.wfile.flush()
        except OSError:
            pass
        self.note("sent %d" % sent)
        self.close_connection = True

    def fault(self, mode):
        """The faults shared by every fetch (see /fault/MODE above)."""
        if mode in ("404", "500"):
            return self.send_body(int(mode), b'{"detail": "Not found."}')
        if mode == "429":
            return self.send_body(429, b'{"detail": "Request was '
                                  b'throttled."}', [("Retry-After", "120")])
        if mode == "loop":
            return self.redirect(self.path)
        if mode == "hang":
            time.sleep(3600)
        if mode == "slow":
            def drip():
                for _ in range(64):
                    yield b"x"
                    self.wfile.flush()
                    time.sleep(0.5)
            return self.stream(drip(), [("Content-Length", "64")])
        if mode == "cut":
            return self.stream([b"[" + b" " * 99],
                               [("Content-Length", "65536")])
        if mode in ("big", "huge"):
            size = 64 << 20
            length = [("Content-Length", str(size))] if mode == "big" else []
            return self.stream((b"x" * 1023 + b"\n"
                                for _ in range(size // 1024)), length)
        if mode == "bomb":
            body = bomb()
            return self.stream((body[i:i + 65536]
                                for i in range(0, len(body), 65536)),
                               [("Content-Encoding", "gzip"),
                                ("Content-Type", "application/json"),
                                ("Content-Length", str(len(body)))])
        return self.send_error(404)

    def pw_page(self, dataset, listname, query, page):
        return os.path.join(sys.argv[1], dataset,
                            "%s-%d.json" % (listname, page))

    def pw_link(self, base, query, page, last):
        def at(n):
            q = [kv for kv in query if kv[0] != "page"] + [("page", str(n))]
            return "<http://%s%s?%s>" % (self.headers["Host"], base,
                                         urllib.parse.urlencode(q))
        links = []
        if page < last:
            links.append('%s; rel="next"' % at(page + 1))
        if page > 1:
            links.append('%s; rel="prev"' % at(page - 1))
        links.append('%s; rel="first"' % at(1))
        links.append('%s; rel="last"' % at(last))
        return ", ".join(links)

    def patchwork(self, path, qs):
        parts = path.split("/")
        # ['', 'pw', SET, 'api', '1.3', LIST, '']
        if len(parts) < 6 or parts[3] != "api":
            return self.send_error(404)
        dataset, listname = parts[2], parts[5]
        query = urllib.parse.parse_qsl(qs)
        page = int(dict(query).get("page", "1"))
        fault = dataset
        if fault in FAULTS:
            return self.fault(fault)
        if fault == "malformed":
            return self.send_body(200, b'[{"id": 1, "msgid": }')
        if fault == "notlist":
            return self.send_body(200, b'{"detail": "Invalid page."}')
        if fault == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"[")
            while True:
                self.wfile.write(b'{"id": 1, "msgid": "<x@y>"},' * 64)
                self.wfile.flush()
                time.sleep(0.01)
        if fault in ("truncated", "selfnext", "lastmod"):
            dataset = "pw1"
        base = path
        name = self.pw_page(dataset, listname, query, page)
        if not os.path.exists(name):
            return self.send_body(404, b'{"detail": "Invalid page."}')
        last = page
        while os.path.exists(self.pw_page(dataset, listname, query,
                                          last + 1)):
            last += 1
        with open(name, "rb") as f:
            body = f.read()
        headers = [("Link", self.pw_link(base, query, page, last)),
                   ("Allow", "GET, HEAD, OPTIONS"),
                   ("Vary", "Accept, Cookie")]
        if fault == "truncated":
            body = body[:len(body) // 2]
        if fault == "selfnext":
            headers = [("Link", "<http://%s%s>; rel=\"next\"" %
                        (self.headers["Host"], self.path))]
        if fault == "lastmod":
            if self.headers.get("If-Modified-Since"):
                self.send_response(304)
                self.end_headers()
                return
            headers.append(("Last-Modified",
                            "Mon, 09 Jun 2025 12:00:00 GMT"))
        self.send_body(200, body, headers)

    def do_GET(self):
        path, _, qs = self.path.partition("?")
        if len(sys.argv) > 2:
            with open(sys.argv[2], "a") as log:
                log.write(self.path + "\n")
        if path.startswith("/pw/"):
            self.patchwork(path, qs)
        elif path.startswith("/fault/"):
            self.fault(path.split("/")[2])
        elif path == "/hang":
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
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: httpd.py DIR [LOG]\n")
        sys.exit(2)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
