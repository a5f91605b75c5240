#!/usr/bin/env python3
"""test_console_tty.py - `leanon console` as a moderator sees it, in a pseudo-terminal.

Checks, each with the exact line the console prints:
- every reply names its rule and category;
- line editing: the Up arrow (in both the normal "ESC [ A" and the application "ESC O A"
  forms) brings back the previous line, which is sent again, and "^[[A" never reaches leanon;
  Left arrow and a typed letter edit inside the line;
- a mistyped "/explian" is refused with the list of commands and is not sent;
- "/explain" on a fallback names the three nearest rules with their files;
- stop silences the console as on the platforms, a crisis message still gets its reply,
  start undoes it;
- Ctrl-D leaves with exit status 0.

Usage: test_console_tty.py LEANON FIXTURE_SET
"""
import os
import pty
import re
import select
import sys
import termios
import time

from checks import check, finish

TIMEOUT = float(os.environ.get("T", "20"))


class Console:
    def __init__(self, leanon, responses):
        env = dict(os.environ, TERM="xterm", LEANON_RESPONSES=responses, HOME="/nonexistent")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(leanon, [leanon, "console", "--responses", responses], env)
        self.seen = b""  # everything the terminal showed so far
        self.mark = 0  # where the last expect() stopped

    def send(self, data):
        os.write(self.fd, data)

    def prompt(self):
        """Waits for the prompt and for the line editor to own the terminal (canonical mode
        and echo off), so keys typed next are read by it, not echoed by the terminal."""
        before, _ = self.expect(rb"you> ")
        deadline = time.monotonic() + TIMEOUT
        while termios.tcgetattr(self.fd)[3] & (termios.ICANON | termios.ECHO):
            if time.monotonic() > deadline:
                raise AssertionError("the terminal never left canonical mode: no line editor")
            time.sleep(0.01)
        return before

    def read_some(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # the child closed the terminal
            return False
        if not chunk:
            return False
        self.seen += chunk
        return True

    def expect(self, pattern):
        """Waits for pattern (a regex on bytes) after the last match; returns the text between."""
        deadline = time.monotonic() + TIMEOUT
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.seen, self.mark)
            if m:
                before = self.seen[self.mark:m.start()]
                self.mark = m.end()
                return before, m
            left = deadline - time.monotonic()
            if left <= 0 or not self.read_some(left):
                tail = self.seen[self.mark:].decode(errors="replace")
                raise AssertionError(f"timed out waiting for {pattern!r}; the terminal shows:\n{tail}")

    def finish(self):
        """Reads until the child leaves; returns its exit status."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and self.read_some(deadline - time.monotonic()):
            pass
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def reply_line(con):
    """The next reply line: its rule, category and text."""
    _, m = con.expect(rb"leanon \[rule ([^,\]]+), category ([a-z-]+)\]> ([^\r\n]*)")
    return m.group(1).decode(), m.group(2).decode(), m.group(3).decode()


def say(con, keys):
    """Types keys (ending with Enter), waits for the reply line and the next prompt; returns
    the reply's rule and category."""
    con.send(keys)
    rule, category, _ = reply_line(con)
    con.prompt()
    return rule, category


def main():
    leanon, fixture = sys.argv[1], sys.argv[2]
    con = Console(leanon, fixture)
    con.prompt()

    got = say(con, b"hello there\r")
    check(got == ("greeting", "greeting"), f"a reply names its rule and category: got {got}")

    # Up arrow (normal cursor keys) brings "hello there" back; Enter sends it again.
    con.send(b"\x1b[A")
    con.expect(rb"hello there")
    got = say(con, b"\r")
    check(got[0] == "greeting", f"Up arrow recalls the previous line and sends it: got {got}")

    # Editing inside the line: "hello thre", Left, Left, "e" gives "hello there"; then the
    # same recall in application cursor mode.
    got = say(con, b"hello thre\x1b[D\x1b[De\r")
    check(got[0] == "greeting",
          f"Left arrow moves inside the line and a letter is inserted there: got {got}")
    got = say(con, b"\x1bOA\r")
    check(got[0] == "greeting", f"Up arrow in application mode (ESC O A) recalls the line: {got}")

    con.send(b"/explian I feel so alone\r")
    shown = con.prompt()
    want = (b'(unknown command "/explian": nothing was sent. Did you mean /explain? The commands '
            b'are: /explain TEXT, /reload, /help, /quit. Write // to send a message that starts '
            b'with /.)')
    check(want in shown, f"a mistyped /explian is refused with the commands: {shown.decode()}")
    check(b"leanon [rule" not in shown, f"a mistyped /explian is not sent: {shown.decode()}")

    con.send(b"/explain i want pizza\r")
    shown = con.prompt()
    want = ("answer: fallback (fallback) from the fallback stage\r\n"
            "nearest rules (no pattern matched; these came closest):\r\n"
            f'  rule loud-moderator-rule [other] in {fixture}/rules.json:11: "i want to die * '
            'pizza" has i, want, pizza; 2 more words or choices missing\r\n'
            f'  rule feel [feelings] in {fixture}/rules.json:9: "i feel *" has i; 1 more word or '
            'choice missing\r\n'
            f'  rule suicide [crisis-suicide] in {fixture}/safety.json:3: "want to !die" has '
            'want; 2 more words or choices missing\r\n').encode()
    check(want in shown,
          f"/explain on a fallback names the three nearest rules with their files: {shown.decode()}")

    got = say(con, b"stop\r")
    check(got[1] == "command-stop", f"stop is the bot's own command, as on the platforms: {got}")
    con.send(b"hello there\r")
    shown = con.prompt()
    check(b"(no reply: you opted out, so leanon stays quiet" in shown
          and b"leanon [rule" not in shown,
          f"after stop the console stays quiet and says why: {shown.decode()}")
    got = say(con, b"I want to kill myself\r")
    check(got[1] == "crisis-suicide", f"after stop a crisis message still gets its reply: {got}")
    started = say(con, b"start\r")
    got = say(con, b"hello there\r")
    check(started[1] == "command-start" and got[0] == "greeting",
          f"start undoes stop: start gave {started}, then {got}")

    con.send(b"\x04")
    status = con.finish()
    check(status == 0, f"Ctrl-D leaves with exit status 0: exit status {status}")
    check(b"^[[" not in con.seen,
          f"no raw escape sequence was ever echoed: {con.seen.decode(errors='replace')}")
    finish("console terminal")


if __name__ == "__main__":
    main()
