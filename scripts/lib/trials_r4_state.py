"""R4 bad-input cases for the state directory, records and locks: depth, overflow, permissions, links (issue 14).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.
"""

import os
import subprocess
import sys
import time

# A holder of a record's lock, as another copypt would be: takes the flock, writes copypt's owner
# line ("<pid> <since>"), holds it until its stdin closes.
HOLDER = """
import fcntl, os, sys
f = open(sys.argv[1], "a+")
fcntl.flock(f, fcntl.LOCK_EX)
f.truncate(0)
f.write("%d %s\\n" % (os.getpid(), sys.argv[2]))
f.flush()
sys.stdin.read()
"""
LONG_AGO = "2026-01-01T00:00:00Z"
OUTSIDE_TEXT = "outside the state directory; copypt must not touch this\n"

_holders = {}  # case dir -> the lock-holding process


def _transfers(case_dir):
    return os.path.join(case_dir, "state", "transfers")


def _record_path(case_dir, record_id):
    return os.path.join(_transfers(case_dir), record_id + ".json")


def _outside(case_dir):
    return os.path.join(case_dir, "outside.txt")


def _plant_link(suffix):
    """setup: <id><suffix> becomes a symbolic link to a file outside the state directory."""
    def setup(ctx, case_dir, env, record_id):
        with open(_outside(case_dir), "w") as f:
            f.write(OUTSIDE_TEXT)
        os.symlink(_outside(case_dir), os.path.join(_transfers(case_dir), record_id + suffix))
    return setup


def _outside_untouched(ctx, case_dir, state_dir, result):
    with open(_outside(case_dir)) as f:
        text = f.read()
    return [] if text == OUTSIDE_TEXT else ["the file outside the state directory changed (%d bytes)" % len(text)]


def _both(*checks):
    def check(ctx, case_dir, state_dir, result):
        return [p for c in checks for p in c(ctx, case_dir, state_dir, result)]
    return check


def _chmod_state(mode):
    def setup(ctx, case_dir, env, record_id):
        os.chmod(os.path.join(case_dir, "state"), mode)
    return setup


def _chown_state(ctx, case_dir, env, record_id):
    os.chown(os.path.join(case_dir, "state"), 4242, 4242)


def _hold_lock(ctx, case_dir, env, record_id):
    lock = os.path.join(_transfers(case_dir), record_id + ".lock")
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, lock, LONG_AGO], stdin=subprocess.PIPE)
    _holders[case_dir] = proc
    deadline = time.time() + 20
    while time.time() < deadline:
        if os.path.exists(lock) and os.path.getsize(lock) > 0:
            return
        time.sleep(0.05)
    raise RuntimeError("the lock holder did not take %s" % lock)


def _busy_reported(ctx, case_dir, state_dir, result):
    problems = []
    proc = _holders.pop(case_dir)
    try:
        expected = "busy since %s (pid %d)" % (LONG_AGO, proc.pid)
        if expected not in result.err:
            problems.append("the sweep did not warn %r" % expected)
        status = ctx.run([ctx.exe("copypt"), "status"], ctx.env(state_dir, os.path.join(case_dir, "config")),
                         tag="R4 status of a held record")
        if status.rc != 0 or "copying, " + expected not in status.out:
            problems.append("status (exit %d) does not show %r" % (status.rc, expected))
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
    return problems


def cases():
    from trials_r4 import Case, says  # imported here: trials_r4 imports this module
    sweep = ["copypt-sweep", "--once"]
    huge = 9223372036854775000
    progress = {"objects_total": 3, "objects_done": 1, "bytes_total": 300, "bytes_done": 100}
    c = [
        # Counters near Int64.max: the record is named with the field, skipped and left as it is.
        Case("record: bytes_done near Int64.max", sweep, state="record",
             files={"RECORD": {"state": "copying", "progress": dict(progress, bytes_done=huge)}},
             check=says("progress.bytes_done out of range")),
        Case("record: attempts at Int64.max", sweep, state="record", files={"RECORD": {"attempts": 9223372036854775807}},
             check=says("field attempts out of range")),
        Case("record: objects_done negative", ["copypt", "status"], state="record",
             files={"RECORD": {"progress": dict(progress, objects_done=-1)}},
             check=says("progress.objects_done out of range")),
        Case("status: bytes_total past 2^53", ["copypt", "status"], state="record",
             files={"RECORD": {"progress": dict(progress, bytes_total=2 ** 53)}},
             check=says("progress.bytes_total out of range")),
        # State directories others could tamper with.
        Case("state dir: group-writable", ["copypt", "status"], state="record", setup=_chmod_state(0o770),
             check=says("chmod go-w")),
        Case("state dir: world-writable (sweep)", sweep, state="record", setup=_chmod_state(0o777),
             check=says("chmod go-w")),
        # Planted links: never followed, the outside file untouched.
        Case("journal: planted symbolic link", sweep, state="succeeded", files={"RECORD": {"state": "copying"}},
             setup=_plant_link(".journal"), check=_both(_outside_untouched, says("symbolic link"))),
        Case("lock: planted symbolic link", ["copypt", "cancel", "RECORD_ID"], state="record",
             setup=_plant_link(".lock"), check=_both(_outside_untouched, says("symbolic link"))),
        # A record another process has held for long: the sweep warns, status says who and since when.
        Case("lock: held by another process since long ago", sweep + ["--busy-warn-after", "1h"], state="succeeded",
             rcs=(0,), files={"RECORD": {"state": "copying"}}, setup=_hold_lock, check=_busy_reported),
    ]
    if os.geteuid() == 0:
        c.append(Case("state dir: owned by another user", ["copypt", "status"], state="record", setup=_chown_state,
                      check=says("belongs to uid 4242")))
    return c
