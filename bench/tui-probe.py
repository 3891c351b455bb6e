#!/usr/bin/env python3
"""Time a terminal program under tmux: until text is on its screen, and
how long each key takes to change the screen.

    bench/tui-probe.py [options] SOCKET -- COMMAND [ARG...]

SOCKET is a tmux server (tmux -L SOCKET) with a session "bench" whose
one pane runs a placeholder; bench/tui-bench.sh starts it.  The probe
attaches in control mode (tmux -C), respawns the pane with COMMAND, and
reads the screen with capture-pane over that one connection each time
tmux reports output from the pane (%output), and at least every 50 ms.
No shell loop, no fork per look: one capture costs a round trip to the
tmux server (the "rtt" line says how long; it is the resolution), and
the probe sleeps in select() in between, leaving the CPU to the program.

Options:
  --pattern NAME=REGEX   report when REGEX (Python, multiline) first
                         matches the screen, in seconds from the respawn;
                         several allowed, each reported once
  --timeout SECONDS      for the patterns together (default 120)
  --idle                 then wait until the program's CPU time stops
                         growing (0.5 s without a tick; at most
                         --timeout, then a "note") before reading its
                         memory
  --keys FILE            then play a key script (below)

A key script has one step a line (# comments):
  wait REGEX                  until REGEX is on the screen (not timed)
  type TEXT                   tmux send-keys -l TEXT, until the screen
                              changes (timed as "type")
  key LABEL KEY [REGEX]       send-keys KEY, time until the screen
                              changes (and REGEX matches) for the last
                              time before 30 ms without output
  repeat LABEL KEY REGEX [N]  key LABEL KEY, again until REGEX is on the
                              screen (at most N times, default 500)

Output, one fact a line:
  pattern NAME SECONDS | step LABEL NKEYS SECONDS | hwm KB | rss KB
  | rtt MEDIAN_MS MAX_MS | looks N | note TEXT | error TEXT
The memory lines are /proc/PID/status VmHWM and VmRSS of the pane's
process, read after the patterns (and --idle) and again after the keys.
The pane is killed at the end; exit status 1 on a timeout or when the
program died, with the last screen on stderr.
"""
import argparse
import os
import re
import select
import shlex
import subprocess
import sys
import tempfile
import time

TARGET = "bench"
POLL = 0.05
QUIET = 0.03


class Died(Exception):
    pass


class Control:
    """One control-mode connection to the tmux server."""

    def __init__(self, socket):
        self.proc = subprocess.Popen(
            ["tmux", "-L", socket, "-C", "attach-session", "-t", TARGET],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.fd = self.proc.stdout.fileno()
        self.buf = b""
        self.dirty = False
        self.rtts = []
        self.command("display-message -p vger-probe-sync")

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()

    def _line(self, timeout):
        while b"\n" not in self.buf:
            r, _, _ = select.select([self.fd], [], [], timeout)
            if not r:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                raise Died("the tmux control client ended")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def _notice(self, line):
        if line.startswith(b"%output "):
            self.dirty = True
        elif line.startswith(b"%exit"):
            raise Died("tmux ended")

    def command(self, cmd):
        """Send one command; its output lines."""
        t = time.monotonic()
        self.proc.stdin.write(cmd.encode() + b"\n")
        self.proc.stdin.flush()
        out = None
        while True:
            line = self._line(None)
            if out is None:
                # Flags 1: the answer to this client's command (0: what
                # attaching printed).
                if line.startswith(b"%begin ") and line.endswith(b" 1"):
                    out = []
                else:
                    self._notice(line)
                continue
            if line.startswith(b"%end ") or line.startswith(b"%error "):
                self.rtts.append(time.monotonic() - t)
                if line.startswith(b"%error "):
                    raise Died("tmux: %s: %s" % (
                        cmd, b" ".join(out).decode(errors="replace")))
                return [x.decode("utf-8", "replace") for x in out]
            out.append(line)

    def wait_output(self, timeout):
        """Until the pane wrote something, or timeout; True if it did."""
        end = time.monotonic() + timeout
        while not self.dirty:
            left = end - time.monotonic()
            if left <= 0:
                return False
            line = self._line(left)
            if line is None:
                return False
            self._notice(line)
        return True

    def screen(self):
        self.dirty = False
        return "\n".join(self.command("capture-pane -p -t " + TARGET))

    def pane(self, fmt):
        return self.command("display-message -p -t %s '%s'" %
                            (TARGET, fmt))[0]


def proc_status(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


class Probe:
    def __init__(self, ctl, out):
        self.ctl = ctl
        self.out = out
        self.last = ""
        self.looks = 0
        self.pid = None
        self.next_check = 0

    def say(self, *words):
        print(*words, file=self.out, flush=True)

    def look(self):
        self.last = self.ctl.screen()
        self.looks += 1
        now = time.monotonic()
        if now >= self.next_check:
            self.next_check = now + 0.2
            if self.ctl.pane("#{pane_dead}") == "1":
                raise Died("the program ended (status %s)" %
                           self.ctl.pane("#{pane_dead_status}"))
        return self.last, now

    def until(self, test, timeout):
        """Look at each output until test(screen) holds; the time."""
        end = time.monotonic() + timeout
        while True:
            screen, t = self.look()
            if test(screen):
                return t
            if t > end:
                return None
            self.ctl.wait_output(min(POLL, max(end - t, 0.001)))

    def launch(self, argv, tmp):
        script = os.path.join(tmp, "run.sh")
        with open(script, "w") as f:
            f.write("exec " + " ".join(shlex.quote(a) for a in argv) + "\n")
        self.ctl.screen()
        t0 = time.monotonic()
        self.ctl.command("respawn-pane -k -t %s 'sh %s'" % (TARGET, script))
        self.pid = int(self.ctl.pane("#{pane_pid}"))
        return t0

    def patterns(self, pats, t0, timeout):
        left = dict(pats)
        end = t0 + timeout
        while left:
            screen, t = self.look()
            for name, rx in list(left.items()):
                if rx.search(screen):
                    self.say("pattern", name, "%.4f" % (t - t0))
                    del left[name]
            if not left:
                return True
            if t > end:
                self.say("error", "timeout waiting for " +
                         ", ".join(left))
                return False
            self.ctl.wait_output(min(POLL, max(end - t, 0.001)))
        return True

    def idle(self, timeout):
        end = time.monotonic() + timeout
        ticks, since = cpu_ticks(self.pid), time.monotonic()
        while time.monotonic() < end:
            self.ctl.wait_output(0.1)
            self.ctl.dirty = False
            now, t = cpu_ticks(self.pid), time.monotonic()
            if now != ticks:
                ticks, since = now, t
            elif t - since >= 0.5:
                return True
        self.say("note", "still busy after %g s: memory read then" %
                 timeout)
        return True

    def memory(self):
        self.say("hwm", proc_status(self.pid, "VmHWM"))
        self.say("rss", proc_status(self.pid, "VmRSS"))

    def send(self, args):
        before = self.last
        t = time.monotonic()
        self.ctl.command("send-keys -t %s %s" % (TARGET, args))
        return before, t

    def settle(self):
        """Until the pane is quiet for QUIET s; when the screen last
        changed, so a repaint written in pieces counts whole and the
        next key is not sent in the middle of it."""
        changed = None
        while self.ctl.wait_output(QUIET):
            before = self.last
            if self.look()[0] != before:
                changed = time.monotonic()
        return changed

    def step(self, label, nkeys, args, rx, timeout=30):
        before, t = self.send(args)
        done = self.until(lambda s: s != before and
                          (rx is None or rx.search(s)), timeout)
        if done is None:
            self.say("error", "timeout after %s (%s)" % (label, args))
            return False
        later = self.settle()
        if rx is not None and not rx.search(self.last):
            self.say("error", "after %s (%s) the screen no longer "
                     "matches" % (label, args))
            return False
        self.say("step", label, nkeys, "%.4f" % ((later or done) - t))
        return True

    def keys(self, path):
        with open(path) as f:
            lines = [ln.rstrip("\n") for ln in f]
        for n, line in enumerate(lines, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            op, _, rest = line.strip().partition(" ")
            if op == "wait":
                if self.until(lambda s: re.search(rest, s, re.M),
                              600) is None:
                    self.say("error", "%s:%d: timeout: %s" %
                             (path, n, line))
                    return False
            elif op == "type":
                if not self.step("type", len(rest), "-l " +
                                 shlex.quote(rest), None):
                    return False
            elif op == "key":
                a = rest.split(" ", 2)
                rx = re.compile(a[2], re.M) if len(a) > 2 else None
                if not self.step(a[0], 1, a[1], rx):
                    return False
            elif op == "repeat":
                a = rest.split(" ", 3)
                rx = re.compile(a[2], re.M)
                for _ in range(int(a[3]) if len(a) > 3 else 500):
                    if rx.search(self.last):
                        break
                    if not self.step(a[0], 1, a[1], None):
                        return False
                else:
                    self.say("error", "%s:%d: %s never matched" %
                             (path, n, a[2]))
                    return False
            else:
                self.say("error", "%s:%d: no step '%s'" % (path, n, op))
                return False
        return True

    def kill(self):
        pid = self.pid
        self.ctl.command("respawn-pane -k -t %s 'exec sleep 2147483647'"
                         % TARGET)
        # The next launch must not share the CPU with this one's exit.
        end = time.monotonic() + 30
        while pid and os.path.exists("/proc/%d" % pid) and \
                time.monotonic() < end:
            time.sleep(0.01)


def main():
    ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1].strip())
    ap.add_argument("--pattern", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--idle", action="store_true")
    ap.add_argument("--keys")
    ap.add_argument("socket")
    ap.add_argument("argv", nargs="+")
    o = ap.parse_args()
    pats = []
    for p in o.pattern:
        name, sep, rx = p.partition("=")
        if not sep:
            ap.error("--pattern NAME=REGEX: no = in " + p)
        pats.append((name, re.compile(rx, re.M)))

    ctl = Control(o.socket)
    probe = Probe(ctl, sys.stdout)
    ok = False
    with tempfile.TemporaryDirectory(prefix="vger-probe.") as tmp:
        try:
            t0 = probe.launch(o.argv, tmp)
            ok = probe.patterns(pats, t0, o.timeout)
            if ok and o.idle:
                ok = probe.idle(o.timeout)
            if ok:
                probe.memory()
            if ok and o.keys:
                ok = probe.keys(o.keys)
                if ok:
                    probe.memory()
        except Died as e:
            probe.say("error", str(e))
        finally:
            r = sorted(ctl.rtts)
            if r:
                probe.say("rtt", "%.3f" % (r[len(r) // 2] * 1000),
                          "%.3f" % (r[-1] * 1000))
            probe.say("looks", probe.looks)
            if not ok:
                print(probe.last, file=sys.stderr)
            try:
                probe.kill()
            except Died:
                pass
            ctl.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
