#!/usr/bin/env python3
"""A port on 127.0.0.1 for the vger init / vger sync tests.

usage: pi-httpd.py [--port N] -- COMMAND [ARGS...]
       pi-httpd.py [--port N] --fail MODE [--upstream PORT]

Binds 127.0.0.1:N (an ephemeral port without --port), prints the port
on the first line of stdout, then either
  - execs COMMAND (public-inbox-httpd) with the socket as systemd's
    socket activation hands it over (fd 3, LISTEN_FDS=1), so the real
    server listens on a port chosen without a race; or
  - serves a faulty public-inbox itself (--fail):
      404      every request: 404
      500      searches (?x=m): 500
      hang     searches: the request is read, never answered
      429      searches: 429 Too Many Requests, Retry-After: 1
      partial  searches: the first half of what the upstream
               public-inbox-httpd (--upstream PORT) answers, then
               nothing more
      redirect searches: 302 to the same URL (a redirect loop)
      bomb     searches: a gzip answer of 1 MiB that inflates to
               1 GiB of "zero" lines (no message in it)
    Other requests (URL/_/text/config/raw) get the inbox's
    configuration (from upstream when given, else made up).
The test stops it by its pid.
"""
import http.client
import http.server
import os
import socket
import sys
import time
import zlib


def parse(argv):
    opts = {"port": 0, "fail": None, "upstream": None, "command": None}
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            opts["command"] = argv[i + 1:]
            break
        if a in ("--port", "--fail", "--upstream") and i + 1 < len(argv):
            opts[a[2:]] = argv[i + 1]
            i += 2
            continue
        sys.stderr.write("usage: pi-httpd.py [--port N] -- COMMAND...\n"
                         "       pi-httpd.py [--port N] --fail MODE "
                         "[--upstream PORT]\n")
        sys.exit(2)
    if not opts["command"] and not opts["fail"]:
        sys.stderr.write("pi-httpd.py: give -- COMMAND or --fail MODE\n")
        sys.exit(2)
    return opts


def bomb():
    """1 GiB of lines, gzipped in 1 MiB chunks (made once)."""
    if Faulty.bomb_data is None:
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b"zero\n" * ((1 << 20) // 5)
        out = [z.compress(chunk) for _ in range((1 << 30) // len(chunk))]
        out.append(z.flush())
        Faulty.bomb_data = b"".join(out)
    return Faulty.bomb_data


class Faulty(http.server.BaseHTTPRequestHandler):
    mode = None
    upstream = None
    bomb_data = None

    def log_message(self, *args):
        pass

    def inbox(self):
        parts = [p for p in self.path.split("?", 1)[0].split("/") if p]
        return parts[0] if parts else "inbox"

    def upstream_get(self, method):
        conn = http.client.HTTPConnection("127.0.0.1", int(self.upstream),
                                          timeout=30)
        body = None
        if method == "POST":
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
        conn.request(method, self.path, body=body)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp, data

    def answer(self, code, ctype, data):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def hang(self):
        self.wfile.flush()
        while True:
            time.sleep(3600)

    def handle_any(self, method):
        search = "x=m" in self.path
        # The test polls this log to know where the client is.
        sys.stderr.write("%s %s\n" % (method, self.path))
        sys.stderr.flush()
        if self.mode == "404":
            return self.answer(404, "text/plain", b"Not Found\n")
        if not search:
            if self.upstream:
                resp, data = self.upstream_get(method)
                return self.answer(resp.status,
                                   resp.getheader("Content-Type",
                                                  "text/plain"), data)
            name = self.inbox()
            conf = ('[publicinbox "%s"]\n\taddress = %s@vger.kernel.org\n'
                    % (name, name))
            return self.answer(200, "text/plain", conf.encode())
        if self.mode == "500":
            return self.answer(500, "text/plain",
                               b"Internal Server Error\n")
        if self.mode == "hang":
            return self.hang()
        if self.mode == "429":
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if self.mode == "partial":
            resp, data = self.upstream_get(method)
            self.send_response(resp.status)
            self.send_header("Content-Type",
                             resp.getheader("Content-Type", "text/plain"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            sys.stderr.write("sent half of %d bytes\n" % len(data))
            sys.stderr.flush()
            return self.hang()
        if self.mode == "redirect":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if self.mode == "bomb":
            return self.answer(200, "application/gzip", bomb())
        return self.answer(500, "text/plain", b"unknown mode\n")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")


def main():
    opts = parse(sys.argv)
    if opts["fail"] == "bomb":
        bomb()      # before the port is said: the test waits for it
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(opts["port"])))
    s.listen(64)
    sys.stdout.write("%d\n" % s.getsockname()[1])
    sys.stdout.flush()
    if opts["command"]:
        s.setblocking(False)
        if s.fileno() != 3:
            os.dup2(s.fileno(), 3)
        os.set_inheritable(3, True)
        os.environ["LISTEN_FDS"] = "1"
        os.environ["LISTEN_PID"] = str(os.getpid())
        os.execvp(opts["command"][0], opts["command"])
    Faulty.mode = opts["fail"]
    Faulty.upstream = opts["upstream"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Faulty,
                                             bind_and_activate=False)
    server.socket.close()
    server.socket = s
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
