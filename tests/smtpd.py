#!/usr/bin/env python3
"""A small ESMTP server for the vger send tests, on 127.0.0.1 only.

usage: smtpd.py [options] DIR

Prints the port it listens on (an ephemeral one) as the first line of
stdout and records every accepted message in DIR:
  DIR/N.from   the envelope sender (MAIL FROM)
  DIR/N.rcpt   the envelope recipients (RCPT TO), one a line
  DIR/N.eml    the data, dot-unstuffed, line ends as received (CRLF)
  DIR/N.auth   the user that authenticated, when one did
N counts the accepted messages from 1 over every connection; the
fault modes count every message whose data was sent, accepted or not.  DIR/log has one line per
command received (AUTH credentials left out) and "connect" for each
connection, "tls" when a connection turns to TLS, "." for the end of a
message's data.

Fault modes, for the failures vger must handle:
  --auth USER:PASS       offer AUTH PLAIN LOGIN and require it before MAIL
  --reject-rcpt ADDR     answer 550 to RCPT TO:<ADDR> (repeatable)
  --fail-data N:CODE     answer CODE (e.g. 451, 554) to the Nth message's data
  --drop-after N         close the connection after the Nth message's 250
  --drop-in-data N       read the Nth message's data, close without answering
  --close-on-next N      after the Nth message's 250, close on the next
                         command without answering it (a server that
                         closed a kept connection as the client reused it)
  --hang greeting        never answer: not even the greeting
  --hang-mail N          never answer the Nth MAIL FROM
  --hang-data N          never answer the end of the Nth message's data
  --garble-mail N        answer the Nth MAIL FROM with a line that is not
                         SMTP (no code, an escape), then nothing
  --greet-554            greet with 554 and close
  --fault STAGE:KIND     at every STAGE (greeting, ehlo, starttls, auth,
                         mail, rcpt, data, eod: the end of the data),
                         KIND: drop (close without answering), hang
                         (never answer), garble (a line that is not
                         SMTP, then nothing) or a reply code (421, 454,
                         535, 554...: that reply instead of the command's
                         own; at the greeting the connection then
                         closes); repeatable
  --tls CERT KEY         implicit TLS (smtps) with this certificate
  --starttls CERT KEY    offer STARTTLS with this certificate
It exits as soon as its stdin is closed (the test holds the other end,
so the server dies with the test, whatever happens to it).
"""
import argparse
import base64
import os
import socket
import socketserver
import ssl
import sys
import threading
import time

LINE_MAX = 4096
LOCK = threading.Lock()
STATE = {"attempts": 0, "accepted": 0, "mails": 0}


def record(opts, name, data):
    path = os.path.join(opts.dir, name)
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


def log(opts, line):
    with LOCK:
        with open(os.path.join(opts.dir, "log"), "a") as f:
            f.write(line + "\n")


class Handler(socketserver.StreamRequestHandler):

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")
        self.wfile.flush()

    def readline(self):
        line = self.rfile.readline(LINE_MAX)
        if not line:
            raise EOFError
        return line.rstrip(b"\r\n").decode("utf-8", "replace")

    def hang(self):
        while True:
            time.sleep(3600)

    def fault(self, stage):
        """Apply --fault STAGE:KIND; True when a reply code was sent in
        place of the command's own (the caller answers nothing more)."""
        kind = self.server.opts.faults.get(stage)
        if kind is None:
            return False
        log(self.server.opts, "fault " + stage + " " + kind)
        if kind == "drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            raise EOFError
        if kind == "hang":
            self.hang()
        if kind == "garble":
            self.reply("I am not an SMTP server \x1b]0;pwned\x07")
            self.hang()
        self.reply("%s %s.0.0 the test server fails %s" %
                   (kind, kind[0], stage))
        return True

    def handle(self):
        opts = self.server.opts
        log(opts, "connect")
        if opts.tls:
            try:
                self.wrap()
            except (ssl.SSLError, OSError):
                log(opts, "tls failed")
                return
        if opts.hang == "greeting":
            self.hang()
        if opts.greet_554:
            self.reply("554 5.3.2 not accepting mail")
            return
        try:
            if self.fault("greeting"):
                return
        except EOFError:
            return
        self.reply("220 localhost ESMTP vger-test")
        self.sender = None
        self.rcpts = []
        self.user = None
        self.tls = bool(opts.tls)
        try:
            self.loop()
        except (EOFError, ConnectionError, ssl.SSLError):
            pass

    def wrap(self):
        sock = self.server.opts.context.wrap_socket(self.connection,
                                                    server_side=True)
        self.connection = self.request = sock
        self.rfile = sock.makefile("rb")
        self.wfile = sock.makefile("wb")
        log(self.server.opts, "tls")

    def starttls(self):
        self.reply("220 2.0.0 go ahead")
        self.wrap()
        self.tls = True

    def auth(self, args):
        opts = self.server.opts
        words = args.split()
        mech = words[0].upper() if words else ""
        if mech == "PLAIN":
            if len(words) > 1:
                blob = words[1]
            else:
                self.reply("334 ")
                blob = self.readline()
            try:
                parts = base64.b64decode(blob).split(b"\0")
                user, pw = parts[1].decode(), parts[2].decode()
            except Exception:
                self.reply("501 5.5.2 bad PLAIN")
                return
        elif mech == "LOGIN":
            self.reply("334 VXNlcm5hbWU6")
            user = base64.b64decode(self.readline()).decode()
            self.reply("334 UGFzc3dvcmQ6")
            pw = base64.b64decode(self.readline()).decode()
        else:
            self.reply("504 5.5.4 mechanism not supported")
            return
        if opts.auth and (user, pw) == tuple(opts.auth.split(":", 1)):
            self.user = user
            self.reply("235 2.7.0 authenticated")
        else:
            self.reply("535 5.7.8 authentication credentials invalid")

    def data(self):
        opts = self.server.opts
        self.reply("354 end data with <CR><LF>.<CR><LF>")
        chunks = []
        while True:
            line = self.rfile.readline(1 << 20)
            if not line:
                raise EOFError
            if line == b".\r\n":
                log(opts, ".")
                break
            if line.startswith(b"."):
                line = line[1:]
            chunks.append(line)
        if self.fault("eod"):
            with LOCK:
                STATE["attempts"] += 1
            return
        with LOCK:
            STATE["attempts"] += 1
            n = STATE["attempts"]
        if opts.hang_data == n:
            self.hang()
        if opts.drop_in_data == n:
            self.connection.shutdown(socket.SHUT_RDWR)
            raise EOFError
        fail = self.fails(n)
        if fail:
            self.reply("%s %s.0.0 rejected by the test server" %
                       (fail, fail[0]))
            return
        with LOCK:
            STATE["accepted"] += 1
            name = "%d" % STATE["accepted"]
        record(opts, name + ".from", self.sender.encode() + b"\n")
        record(opts, name + ".rcpt",
               "".join(r + "\n" for r in self.rcpts).encode())
        if self.user:
            record(opts, name + ".auth", self.user.encode() + b"\n")
        record(opts, name + ".eml", b"".join(chunks))
        self.reply("250 2.0.0 Ok: queued as %s" % name)
        if opts.drop_after == n:
            self.connection.shutdown(socket.SHUT_RDWR)
            raise EOFError
        if opts.close_on_next == n:
            self.close_next = True

    def fails(self, n):
        for spec in self.server.opts.fail_data:
            num, code = spec.split(":")
            if int(num) == n:
                return code
        return None

    def loop(self):
        opts = self.server.opts
        while True:
            line = self.readline()
            if getattr(self, "close_next", False):
                log(opts, "closed on " + line.split(" ")[0])
                self.connection.shutdown(socket.SHUT_RDWR)
                raise EOFError
            verb, _, args = line.partition(" ")
            verb = verb.upper()
            log(opts, "AUTH" if verb == "AUTH" else line)
            stage = {"EHLO": "ehlo", "STARTTLS": "starttls", "AUTH": "auth",
                     "MAIL": "mail", "RCPT": "rcpt",
                     "DATA": "data"}.get(verb)
            if stage and self.fault(stage):
                continue
            if verb in ("EHLO", "HELO"):
                self.sender = None
                self.rcpts = []
                if verb == "HELO":
                    self.reply("250 localhost")
                    continue
                ext = ["localhost", "8BITMIME", "SIZE 10485760"]
                if opts.auth:
                    ext.append("AUTH PLAIN LOGIN")
                if opts.starttls and not self.tls:
                    ext.append("STARTTLS")
                for e in ext[:-1]:
                    self.reply("250-" + e)
                self.reply("250 " + ext[-1])
            elif verb == "STARTTLS" and opts.starttls and not self.tls:
                self.starttls()
            elif verb == "AUTH":
                self.auth(args)
            elif verb == "MAIL":
                with LOCK:
                    STATE["mails"] += 1
                    n = STATE["mails"]
                if opts.hang_mail == n:
                    self.hang()
                if opts.garble_mail == n:
                    self.reply("I am not an SMTP server \x1b[2J")
                    self.hang()
                if opts.auth and not self.user:
                    self.reply("530 5.7.0 authentication required")
                    continue
                if not args.upper().startswith("FROM:"):
                    self.reply("501 5.5.4 syntax: MAIL FROM:<address>")
                    continue
                self.sender = args[5:].strip().split(" ")[0].strip("<>")
                self.rcpts = []
                self.reply("250 2.1.0 Ok")
            elif verb == "RCPT":
                if self.sender is None:
                    self.reply("503 5.5.1 need MAIL first")
                    continue
                if not args.upper().startswith("TO:"):
                    self.reply("501 5.5.4 syntax: RCPT TO:<address>")
                    continue
                addr = args[3:].strip().split(" ")[0].strip("<>")
                if addr.lower() in [r.lower() for r in opts.reject_rcpt]:
                    self.reply("550 5.1.1 <%s>: Recipient address "
                               "rejected: User unknown" % addr)
                    continue
                self.rcpts.append(addr)
                self.reply("250 2.1.5 Ok")
            elif verb == "DATA":
                if not self.rcpts:
                    self.reply("503 5.5.1 need RCPT first")
                    continue
                self.data()
                self.sender = None
                self.rcpts = []
            elif verb == "RSET":
                self.sender = None
                self.rcpts = []
                self.reply("250 2.0.0 Ok")
            elif verb == "NOOP":
                self.reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 command not recognized")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def watch_stdin():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--auth")
    ap.add_argument("--reject-rcpt", action="append", default=[])
    ap.add_argument("--fail-data", action="append", default=[])
    ap.add_argument("--drop-after", type=int)
    ap.add_argument("--drop-in-data", type=int)
    ap.add_argument("--close-on-next", type=int)
    ap.add_argument("--hang", choices=["greeting"])
    ap.add_argument("--hang-mail", type=int)
    ap.add_argument("--hang-data", type=int)
    ap.add_argument("--garble-mail", type=int)
    ap.add_argument("--greet-554", action="store_true")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--fault", action="append", default=[])
    opts = ap.parse_args()
    opts.faults = {}
    for spec in opts.fault:
        stage, _, kind = spec.partition(":")
        if stage not in ("greeting", "ehlo", "starttls", "auth", "mail",
                         "rcpt", "data", "eod") or not (
                kind in ("drop", "hang", "garble") or
                (len(kind) == 3 and kind.isdigit())):
            ap.error("--fault %s: not STAGE:KIND" % spec)
        opts.faults[stage] = kind
    cert = opts.tls or opts.starttls
    if cert:
        opts.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        opts.context.load_cert_chain(cert[0], cert[1])
    server = Server(("127.0.0.1", 0), Handler)
    server.opts = opts
    threading.Thread(target=watch_stdin, daemon=True).start()
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
