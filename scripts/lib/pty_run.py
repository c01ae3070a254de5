#!/usr/bin/env python3
"""Run a command on a pseudo-terminal, as a person at a terminal would, and report what it showed.

    pty_run.py [--columns N] [--interrupt-on REGEX] [--timeout S] -- COMMAND [ARG...]

The command's stdin, stdout and stderr are the terminal (COLUMNS x 24); it is the terminal's
foreground process, so --interrupt-on types Ctrl-C (a SIGINT from the terminal driver) once
REGEX first appears in its output. Prints one JSON object: {"status": exit status (128+N when
killed by signal N, -1 on timeout), "output": everything written to the terminal}.
Used by the Swift tests of copypt's terminal behaviour (progress line, Ctrl-C, column widths).
"""
import argparse, fcntl, json, os, re, select, signal, struct, subprocess, sys, termios, time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--columns", type=int, default=100)
    p.add_argument("--interrupt-on", default=None)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("command", nargs=argparse.REMAINDER)
    a = p.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, a.columns, 0, 0))

    def become_terminal_owner():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = dict(os.environ, TERM=os.environ.get("TERM") or "xterm", COLUMNS=str(a.columns))
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env,
                            preexec_fn=become_terminal_owner, close_fds=True)
    os.close(slave)
    out = b""
    pattern = re.compile(a.interrupt_on.encode()) if a.interrupt_on else None
    deadline = time.monotonic() + a.timeout
    status = None
    while True:
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            status = -1
            break
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer of the terminal has gone
                chunk = b""
            if not chunk and proc.poll() is not None:
                break
            out += chunk
            if pattern and pattern.search(out):
                pattern = None
                os.write(master, b"\x03")
        elif proc.poll() is not None:
            # Drain what is left, then stop.
            while select.select([master], [], [], 0.05)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            break
    if status is None:
        rc = proc.wait()
        status = 128 - rc if rc < 0 else rc
    os.close(master)
    json.dump({"status": status, "output": out.decode("utf-8", "replace")}, sys.stdout)


if __name__ == "__main__":
    main()
