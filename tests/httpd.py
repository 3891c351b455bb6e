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
and a recorded patchwork REST API under /pw/SET (base URL
http://127.0.0.1:PORT/pw/SET): /pw/SET/api/1.3/LIST/?...&page=N serves
DIR/SET/LIST-N.json (N is 1 without page=) with patchwork's Link header
(rel="next" while DIR/SET/LIST-(N+1).json exists, and first/last/prev).
SET may also name a fault, answered for every list:
  404, 500       that status, with patchwork's JSON detail
  429            HTTP 429 with Retry-After: 120
  loop           302 to the same URL, for ever
  truncated      pw1's page cut in the middle of its JSON
  malformed      a body that is not JSON
  notlist        a JSON object where a list belongs
  endless        a 200 whose body never ends
  hang           accepts the request and never answers
  selfnext       pw1's first page, its next link pointing at itself
  lastmod        pw1's pages with Last-Modified; 304 to If-Modified-Since
With LOG, every request's path and query is appended to it, a line each.
It exits as soon as its stdin is closed (the test holds the other end,
so the server dies with the test, whatever happens to it).
"""
import http.server
import os
import sys
import threading
import time
import urllib.parse


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
        if fault in ("404", "500"):
            return self.send_body(int(fault), b'{"detail": "Not found."}')
        if fault == "429":
            return self.send_body(429, b'{"detail": "Request was '
                                  b'throttled."}', [("Retry-After", "120")])
        if fault == "loop":
            return self.redirect(self.path)
        if fault == "malformed":
            return self.send_body(200, b'[{"id": 1, "msgid": }')
        if fault == "notlist":
            return self.send_body(200, b'{"detail": "Invalid page."}')
        if fault == "hang":
            time.sleep(3600)
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
