"""Runs a command in a new pseudo-terminal, as a terminal emulator would, for e2e tests.

usage: python3 pty-run.py <command> [args...]

The command gets the pty as its controlling terminal (stdin, stdout, stderr; 120x40). What it
prints is relayed to our stdout. Our stdin takes one instruction per line:
  ctrl-c   type Ctrl-C: the byte 0x03 goes to the pty, whose line discipline sends SIGINT
  ctrl-backslash  type Ctrl-\: the byte 0x1c, which the line discipline turns into SIGQUIT
  hangup   close the terminal (the pty master): the kernel sends SIGHUP, later writes fail (EIO)
  ctrl-s   type Ctrl-S (XOFF): the line discipline stops the command's output, its writes wait
  ctrl-q   type Ctrl-Q (XON): the output flows again
  enter    press Enter (a shell's `read` in the terminal returns)
When the command ends, the last line on our stderr is `pty-run: exit <code>` or
`pty-run: signal <number>`.

Python's pty module (standard library) rather than util-linux `script` or node-pty: it needs
nothing installed, and it can close the terminal and still report the command's exit status.
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios

# PTY_COLS: a narrower terminal (terminal.test.ts reads the summary wrapped to it).
ROWS, COLS = 40, int(os.environ.get("PTY_COLS", "120"))
KEYS = {b"ctrl-c": b"\x03", b"ctrl-backslash": b"\x1c", b"ctrl-s": b"\x13", b"ctrl-q": b"\x11", b"enter": b"\r"}

pid, master = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    os.execvp(sys.argv[1], sys.argv[1:])

stdin = sys.stdin.fileno()
pending = b""
status = None
while status is None:
    watched = [fd for fd in (master, stdin) if fd is not None]
    ready, _, _ = select.select(watched, [], [], 0.05)
    if master is not None and master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command closed the terminal (it exited)
            data = b""
        if data:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    if stdin is not None and stdin in ready:
        chunk = os.read(stdin, 1024)
        if not chunk:
            stdin = None
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            if line.strip() in KEYS and master is not None:
                os.write(master, KEYS[line.strip()])
            elif line.strip() == b"hangup" and master is not None:
                os.close(master)
                master = None
    done, code = os.waitpid(pid, os.WNOHANG)
    if done:
        status = code

if master is not None:
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()

if os.WIFEXITED(status):
    sys.stderr.write(f"pty-run: exit {os.WEXITSTATUS(status)}\n")
    sys.exit(0)
sys.stderr.write(f"pty-run: signal {os.WTERMSIG(status)}\n")
