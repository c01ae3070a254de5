"""scripts/trials: reliability trials R1-R6 for copypt (issue 6), loopback only, bounded.

    scripts/trials [--short] [--only R1,R3] [--trials N] [--verbose] [--keep] [--release]

R1 kill -9 at random instants, R2 overlapping sweeps, R3 injected faults, R4 bad input,
R5 secrets, R6 source changed between planning and copy. Each prints one line of figures;
the exit status is 1 when any figure misses its goal. --short runs a quick version of each
(scripts/test). Every trial starts its own servers (moto, the Globus emulator and fault proxies
on free loopback ports) and stops them, and every copypt run has a time limit.

R5 is woven through all the others: every trial runs with recognisable fake secrets, every
byte copypt prints is kept, and every state and config dir is scanned before it is removed.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import stat
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import copypt_harness as h  # noqa: E402

KiB, MiB = 1 << 10, 1 << 20
RUN_TIMEOUT = 300

# Recognisable fake secrets (R5): any of these in output or under a state/config dir is a leak.
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAR5TRIALKEYID0001",
    "AWS_SECRET_ACCESS_KEY": "R5secretAWSkey+TRIAL/leakcheck0000000001",
    "AWS_SESSION_TOKEN": "R5sessionTOKEN-trial-leakcheck-000000000000000000002",
    "COPYPT_GLOBUS_CLIENT_ID": "r5-trial-service-account",
    "COPYPT_GLOBUS_CLIENT_SECRET": "R5clientSECRET-trial-leakcheck-0003",
}
h.DEFAULT_SECRETS.update({k: v for k, v in SECRETS.items() if k != "AWS_SESSION_TOKEN"})
SECRET_VALUES = [SECRETS["AWS_SECRET_ACCESS_KEY"], SECRETS["AWS_SESSION_TOKEN"], SECRETS["COPYPT_GLOBUS_CLIENT_SECRET"]]
# Tokens the emulator issues: "AT"/"RT" + secrets.token_urlsafe(24) (32 characters).
AUTH_RE = re.compile(r"(?:Bearer|Basic)\s+[A-Za-z0-9+/=_-]{16,}")
TOKEN_RE = re.compile(r"(?<![A-Za-z0-9_-])(?:AT|RT)[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])")


class Scanner:
    """Collects everything copypt printed and wrote; counts secret occurrences (R5)."""

    def __init__(self):
        self.outputs = 0
        self.bytes = 0
        self.files = 0
        self.leaks = []
        self.perm_problems = []
        self.extra_secrets = set()

    def text(self, data, where):
        if isinstance(data, bytes):
            data = data.decode("utf-8", "replace")
        self.outputs += 1
        self.bytes += len(data)
        for s in SECRET_VALUES + sorted(self.extra_secrets):
            if s and s in data:
                self.leaks.append("%s: %s…" % (where, s[:6]))
        for m in TOKEN_RE.finditer(data):
            self.leaks.append("%s: Globus token %s…" % (where, m.group(0)[:4]))
        if AUTH_RE.search(data):
            self.leaks.append("%s: an Authorization header value" % where)

    def tree(self, root, token_file_ok=True):
        if not os.path.exists(root):
            return
        for dirpath, _, filenames in os.walk(root):
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                self.files += 1
                self.bytes += len(data)
                text = data.decode("utf-8", "replace")
                if name == "globus-tokens.json" and token_file_ok:
                    # The token file is where Globus tokens belong; nothing else secret may be in it.
                    mode = stat.S_IMODE(os.stat(path).st_mode)
                    if mode != 0o600:
                        self.perm_problems.append("%s is %o, not 600" % (path, mode))
                    for s in SECRET_VALUES:
                        if s in text:
                            self.leaks.append("%s: %s…" % (path, s[:6]))
                    continue
                self.text(text, path)
                self.outputs -= 1

    def state_dir(self, path):
        if os.path.isdir(path):
            mode = stat.S_IMODE(os.stat(path).st_mode)
            if mode != 0o700:
                self.perm_problems.append("state dir %s is %o, not 700" % (path, mode))


SCAN = Scanner()


class Context:
    """One trial's world: servers, a work dir, copypt binaries, and helpers to run copypt."""

    def __init__(self, args, srv, work):
        self.args, self.srv, self.work = args, srv, work
        self.bin = args.bin
        self.ident = srv.globus.register_client(SECRETS["COPYPT_GLOBUS_CLIENT_ID"], SECRETS["COPYPT_GLOBUS_CLIENT_SECRET"])
        self.s3 = srv.s3()
        self.n = 0

    def exe(self, name):
        return os.path.join(self.bin, name)

    def new_dirs(self, tag):
        self.n += 1
        base = os.path.join(self.work, "%s-%03d" % (tag, self.n))
        os.makedirs(base)
        return os.path.join(base, "state"), os.path.join(base, "config")

    def env(self, state, config, **extra):
        env = self.srv.env(state, config, secrets=SECRETS)
        env.update({k: v for k, v in extra.items() if v is not None})
        for k in [k for k, v in extra.items() if v is None]:
            env.pop(k, None)
        return env

    def run(self, argv, env, timeout=RUN_TIMEOUT, stdin=None, tag=""):
        r = h.run(argv, env=env, timeout=timeout, stdin=stdin)
        SCAN.text(r.out, "stdout of %s %s" % (os.path.basename(argv[0]), tag))
        SCAN.text(r.err, "stderr of %s %s" % (os.path.basename(argv[0]), tag))
        if self.args.verbose > 1:
            print("    $ %s -> %s (%.2fs)" % (" ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(argv)),
                                            r.rc, r.wall))
        return r

    def finish(self, proc, tag="", timeout=RUN_TIMEOUT):
        r = h.finish(proc, timeout=timeout)
        SCAN.text(r.out, "stdout %s" % tag)
        SCAN.text(r.err, "stderr %s" % tag)
        return r

    def add(self, env, task, src, dst, *more):
        r = self.run([self.exe("copypt-add"), "--no-check", "--task", task, "--from", src, "--to", dst] + list(more), env)
        if r.rc != 0:
            raise RuntimeError("copypt-add failed (%d): %s" % (r.rc, r.err.strip()[:300]))
        return r.out.strip().split()[-1] if r.out.strip() else None

    def sweep_argv(self, *more):
        return [self.exe("copypt-sweep"), "--once"] + self.args.sweep_flags + list(more)

    def sweep_until_done(self, env, limit=12, tag=""):
        """Undisturbed sweeps until no record is waiting/copying; returns the list of results."""
        runs = []
        for _ in range(limit):
            r = self.run(self.sweep_argv(), env, tag=tag)
            runs.append(r)
            states = h.verify_records(env["COPYPT_STATE_DIR"])["states"]
            if not states.get("waiting") and not states.get("copying"):
                break
        return runs

    def staging(self, bucket, prefix, count, big=0, big_size=None, salt=b""):
        """count small objects (+ big ones above the multipart threshold) under bucket/prefix."""
        h.create_buckets(self.s3, bucket)
        objects = {}
        for i in range(count):
            key = "%sd%02d/obj-%04d ü+%d.dat" % (prefix, i % 7, i, i) if i % 10 == 3 else "%sd%02d/obj-%04d.dat" % (prefix, i % 7, i)
            objects[key] = h.object_body(key, 100 + (i * 37) % 3000, salt)
        for i in range(big):
            key = "%sbig/part-%02d.bin" % (prefix, i)
            objects[key] = h.object_body(key, big_size or self.args.big_size, salt)
        h.put_objects(self.s3, bucket, objects)
        return objects

    def task_for(self, objects, bucket, status="SUCCEEDED"):
        return self.srv.globus.create_task(self.ident, {k: len(v) for k, v in objects.items()}, bucket, status=status)

    def scan_dirs(self, state, config):
        SCAN.state_dir(state)
        SCAN.tree(state)
        SCAN.tree(config)


def crashed(r):
    return r.crashed or r.timed_out


# MARK: - R1 kill -9

def r1(ctx, trials):
    objects = ctx.staging("r1-stg", "run/", ctx.args.r1_objects, big=ctx.args.r1_big)
    task = ctx.task_for(objects, "r1-stg")
    # Calibrate: how long does one undisturbed sweep take?
    h.create_buckets(ctx.s3, "r1-cal")
    state, config = ctx.new_dirs("r1cal")
    env = ctx.env(state, config)
    ctx.add(env, task, "s3://r1-stg/run/", "s3://r1-cal/out/")
    t0 = time.monotonic()
    cal = ctx.sweep_until_done(env, tag="R1 calibration")
    duration = max(0.3, time.monotonic() - t0)
    figures = dict(trials=0, lost=0, wrong=0, corrupt=0, finished=0, kills=0, crashed=0, orphans=0, extra=0)
    notes = []
    if cal[-1].rc != 0:
        notes.append("calibration sweep rc=%d: %s" % (cal[-1].rc, cal[-1].err.strip()[-200:]))
    rng = random.Random(ctx.args.seed)
    deadline = time.monotonic() + ctx.args.time_limit
    for t in range(trials):
        if time.monotonic() > deadline:
            notes.append("time limit reached after %d trials" % t)
            break
        figures["trials"] += 1
        bucket = "r1-dst-%04d" % t
        h.create_buckets(ctx.s3, bucket)
        state, config = ctx.new_dirs("r1")
        env = ctx.env(state, config)
        ctx.add(env, task, "s3://r1-stg/run/", "s3://%s/out/" % bucket)
        for _ in range(rng.randint(2, ctx.args.r1_kills)):
            proc = h.start(ctx.sweep_argv(), env=env)
            time.sleep(rng.uniform(0.0, duration * 1.1))
            try:
                os.killpg(proc.pid, signal.SIGKILL)
                figures["kills"] += 1
            except ProcessLookupError:
                pass
            r = ctx.finish(proc, tag="R1 killed sweep")
            if r.rc not in (-9, 0, 75) and r.rc != 137:
                notes.append("trial %d: a killed sweep exited %d: %s" % (t, r.rc, r.err.strip()[-200:]))
            if r.rc > 0 and crashed(r):
                figures["crashed"] += 1
            check = h.verify_records(state, "done")
            figures["corrupt"] += len(check["corrupt"])
        runs = ctx.sweep_until_done(env, tag="R1 resume")
        figures["crashed"] += sum(1 for r in runs if crashed(r))
        result = h.verify_copy(ctx.s3, "r1-stg", "run/", bucket, "out/")
        rec = h.verify_records(state, "done")
        figures["lost"] += len(result["lost"])
        figures["wrong"] += len(result["wrong"])
        figures["extra"] += len(result["extra"])
        figures["orphans"] += len(result["orphans"])
        figures["corrupt"] += len(rec["corrupt"])
        done = not rec["not_expected"] and not rec["corrupt"] and rec["records"] == 1
        figures["finished"] += 1 if done and not result["lost"] and not result["wrong"] else 0
        if not done and len(notes) < 5:
            notes.append("trial %d: records %s, last sweep rc=%d %s" % (
                t, rec["states"], runs[-1].rc, runs[-1].err.strip()[-200:]))
        ctx.scan_dirs(state, config)
    ok = (figures["trials"] > 0 and figures["lost"] == figures["wrong"] == figures["corrupt"] == 0
          and figures["finished"] == figures["trials"] and figures["orphans"] == figures["extra"] == 0
          and figures["crashed"] == 0)
    line = ("R1 kill-9: %(trials)d trials, %(kills)d kills, %(lost)d lost, %(wrong)d wrong, %(corrupt)d corrupt records, "
            "%(extra)d extra keys, %(orphans)d orphan uploads, %(finished)d finished" % figures)
    line += " (%d objects, %d multipart; one sweep %.1f s)" % (len(objects), ctx.args.r1_big, duration)
    return ok, line, notes


# MARK: - R2 overlapping sweeps

def r2(ctx, reps):
    objects = ctx.staging("r2-stg", "run/", ctx.args.r2_objects, big=2)
    task = ctx.task_for(objects, "r2-stg")
    proxy = ctx.srv.s3_proxy
    figures = dict(reps=0, copied=0, expected=0, dup=0, dup_parts=0, corrupt=0, unfinished=0, crashed=0)
    notes = []
    for rep in range(reps):
        figures["reps"] += 1
        state, config = ctx.new_dirs("r2")
        env = ctx.env(state, config)
        buckets = ["r2-dst-%03d-%d" % (rep, i) for i in range(3)]
        for b in buckets:
            h.create_buckets(ctx.s3, b)
            ctx.add(env, task, "s3://r2-stg/run/", "s3://%s/out/" % b)
        proxy.reset()
        procs = [h.start(ctx.sweep_argv(), env=env) for _ in range(4)]
        results = [ctx.finish(p, tag="R2 sweep") for p in procs]
        figures["crashed"] += sum(1 for r in results if crashed(r))
        bad = [r for r in results if r.rc not in (0,)]
        if bad and len(notes) < 4:
            notes.append("rep %d: sweep exit codes %s: %s" % (rep, [r.rc for r in results], bad[0].err.strip()[-200:]))
        stats = proxy.stats()
        figures["dup"] += stats["duplicate_copies"]
        figures["dup_parts"] += stats["duplicate_part_copies"]
        if stats["duplicate_copies"] and len(notes) < 4:
            dups = sorted(k for k, n in stats["copies"].items() if n > 1)
            notes.append("rep %d: %d keys copied more than once, e.g. %s" % (rep, len(dups), dups[:2]))
        ctx.sweep_until_done(env, tag="R2 finish")   # anything skipped as busy gets done now
        rec = h.verify_records(state, "done")
        figures["corrupt"] += len(rec["corrupt"])
        figures["unfinished"] += len(rec["not_expected"])
        for b in buckets:
            res = h.verify_copy(ctx.s3, "r2-stg", "run/", b, "out/", content=(rep == 0))
            figures["expected"] += res["objects"]
            figures["copied"] += res["objects"] - len(res["lost"]) - len(res["wrong"])
        ctx.scan_dirs(state, config)
    ok = (figures["copied"] == figures["expected"] and figures["dup"] == figures["dup_parts"] == 0
          and figures["corrupt"] == figures["unfinished"] == figures["crashed"] == 0 and figures["reps"] > 0)
    line = ("R2 overlapping: %(reps)d x 4 sweeps on 3 records, %(copied)d/%(expected)d objects copied, "
            "%(dup)d duplicate CopyObject, %(dup_parts)d duplicate UploadPartCopy, %(corrupt)d corrupt records, "
            "%(unfinished)d unfinished" % figures)
    return ok, line, notes


# MARK: - R3 faults

def r3(ctx, reps):
    s3p, gp = ctx.srv.s3_proxy, ctx.srv.globus_proxy
    objects = ctx.staging("r3-stg", "run/", ctx.args.r3_objects, big=2)
    task = ctx.task_for(objects, "r3-stg")
    figures = dict(reps=0, complete=0, lost=0, wrong=0, sweeps=0, faults=0, crashed=0)
    notes = []
    # 10 % faults on every S3 and Globus request.
    for rep in range(reps):
        figures["reps"] += 1
        state, config = ctx.new_dirs("r3")
        env = ctx.env(state, config)
        bucket = "r3-dst-%03d" % rep
        h.create_buckets(ctx.s3, bucket)
        ctx.add(env, task, "s3://r3-stg/run/", "s3://%s/out/" % bucket)
        for p in (s3p, gp):
            p.configure(reset=True, rate=ctx.args.fault_rate, slow_seconds=0.3, retry_after=1)
            p.reset()
        runs = ctx.sweep_until_done(env, limit=15, tag="R3 10%")
        figures["sweeps"] += len(runs)
        figures["crashed"] += sum(1 for r in runs if crashed(r))
        figures["faults"] += sum(sum(p.stats()["faults"].values()) for p in (s3p, gp))
        for p in (s3p, gp):
            p.configure(reset=True)
        res = h.verify_copy(ctx.s3, "r3-stg", "run/", bucket, "out/")
        rec = h.verify_records(state, "done")
        figures["lost"] += len(res["lost"])
        figures["wrong"] += len(res["wrong"])
        if not rec["not_expected"] and not rec["corrupt"] and not res["lost"] and not res["wrong"] and not res["orphans"]:
            figures["complete"] += 1
        elif len(notes) < 4:
            notes.append("10%% rep %d: records %s, orphans %d, last rc %d: %s" % (
                rep, rec["states"], len(res["orphans"]), runs[-1].rc, runs[-1].err.strip()[-200:]))
        ctx.scan_dirs(state, config)
    # 100 % faults: exit 75, nothing lost or failed; then faults stop and it completes.
    state, config = ctx.new_dirs("r3all")
    env = ctx.env(state, config)
    h.create_buckets(ctx.s3, "r3-dst-all")
    ctx.add(env, task, "s3://r3-stg/run/", "s3://r3-dst-all/out/")
    all_rcs = []
    for target in ("globus", "s3"):
        # Globus all faulty first (the task cannot be read), then S3 all faulty (nothing can be copied).
        # Every request fails (no "slow" faults here: a slow answer is still an answer).
        gp.configure(reset=True, **(dict(rate_429=0.5, rate_502=0.5) if target == "globus" else {}))
        s3p.configure(reset=True, **(dict(rate_500=0.34, rate_503=0.33, rate_drop=0.33) if target == "s3" else {}))
        r = ctx.run(ctx.sweep_argv(), env, tag="R3 100%% %s" % target)
        all_rcs.append(r.rc)
        if crashed(r):
            figures["crashed"] += 1
        rec = h.verify_records(state, "done")
        if rec["corrupt"] or rec["states"].get("failed") or r.rc != 75:
            notes.append("100%% %s: rc=%d records %s: %s" % (target, r.rc, rec["states"], r.err.strip()[-200:]))
    for p in (s3p, gp):
        p.configure(reset=True)
    runs = ctx.sweep_until_done(env, tag="R3 after faults")
    res = h.verify_copy(ctx.s3, "r3-stg", "run/", "r3-dst-all", "out/")
    rec = h.verify_records(state, "done")
    recovered = not rec["not_expected"] and not rec["corrupt"] and not res["lost"] and not res["wrong"] and not res["orphans"]
    ctx.scan_dirs(state, config)
    ok = (figures["complete"] == figures["reps"] > 0 and all(rc == 75 for rc in all_rcs) and recovered
          and figures["crashed"] == 0)
    line = ("R3 faults: %d%% faults: %d/%d transfers complete in %d sweeps (%d faults injected), %d lost, %d wrong; "
            "100%% faults: exit %s, %s" % (
                round(ctx.args.fault_rate * 100), figures["complete"], figures["reps"], figures["sweeps"],
                figures["faults"], figures["lost"], figures["wrong"], "/".join(map(str, all_rcs)),
                "completes after faults stop" if recovered else "NOT complete after faults stop (%s, last rc %d)" % (
                    rec["states"], runs[-1].rc)))
    return ok, line, notes


# MARK: - R6 source changed

def r6(ctx, reps):
    proxy = ctx.srv.s3_proxy
    figures = dict(trials=0, detected=0, mixed=0, reported=0, crashed=0)
    notes = []
    variants = [("all copies after the change", dict(copy_delay=1.5)),
                ("multipart: part 2+ after the change", dict(copy_delay=1.5, copy_delay_query_contains="partNumber=2")),
                ("half the copies after the change", dict(copy_delay=1.5, copy_delay_every=2))]
    for rep in range(reps):
        for name, delay in variants:
            figures["trials"] += 1
            tag = "r6-%02d-%d" % (rep, figures["trials"])
            old = ctx.staging(tag + "-stg", "run/", 12, big=2)
            task = ctx.task_for(old, tag + "-stg")
            state, config = ctx.new_dirs("r6")
            env = ctx.env(state, config)
            h.create_buckets(ctx.s3, tag + "-dst")
            ctx.add(env, task, "s3://%s-stg/run/" % tag, "s3://%s-dst/out/" % tag)
            proxy.configure(reset=True, **delay)
            proxy.reset()
            proc = h.start(ctx.sweep_argv(), env=env)
            t0 = time.monotonic()
            while time.monotonic() - t0 < 60 and h.alive(proc):
                st = proxy.stats()["requests"]
                if st.get("CopyObject", 0) + st.get("UploadPartCopy", 0) > 0:
                    break
                time.sleep(0.02)
            new = {k: h.object_body(k, len(v), b"new") for k, v in old.items()}
            h.put_objects(ctx.s3, tag + "-stg", new)
            r = ctx.finish(proc, tag="R6 sweep")
            proxy.configure(reset=True)
            if crashed(r):
                figures["crashed"] += 1
            old_h = {k[len("run/"):]: hashlib.sha256(v).hexdigest() for k, v in old.items()}
            new_h = {k[len("run/"):]: hashlib.sha256(v).hexdigest() for k, v in new.items()}
            dst = h.list_all(ctx.s3, tag + "-dst", "out/")
            mixed = []
            for key in dst:
                rel = key[len("out/"):]
                got = h.sha256_of(ctx.s3, tag + "-dst", key)
                if got not in (old_h.get(rel), new_h.get(rel)):
                    mixed.append(rel)
            figures["mixed"] += len(mixed)
            docs, _ = h.read_records(state)
            doc = next(iter(docs.values()), None) or {}
            text = json.dumps(doc.get("last_error")) + " " + " ".join(doc.get("notes") or []) + " " + r.err + r.out
            changed = any(w in text.lower() for w in ("changed", "precondition", "412", "if-match"))
            if changed:
                figures["detected"] += 1
            if r.rc == 1 and doc.get("state") == "failed":
                figures["reported"] += 1
            elif len(notes) < 5:
                notes.append("%s: rc=%d state=%s error=%s" % (name, r.rc, doc.get("state"),
                                                            (json.dumps(doc.get("last_error")) or "")[:200]))
            if mixed and len(notes) < 5:
                notes.append("%s: destination mixes old and new: %s" % (name, mixed[:3]))
            ctx.scan_dirs(state, config)
    ok = figures["mixed"] == 0 and figures["detected"] == figures["reported"] == figures["trials"] and not figures["crashed"]
    line = ("R6 source changed: %(trials)d trials, %(detected)d detected, %(reported)d reported (failed, exit 1), "
            "%(mixed)d destinations mixing old and new" % figures)
    return ok, line, notes


# MARK: - R5 secrets (its own login flow, then the scan of everything the other trials did)

def r5(ctx, _reps):
    notes = []
    state, config = ctx.new_dirs("r5")
    # Native-app login: copypt prints the URL, the emulator auto-approves, we paste the code.
    env = ctx.env(state, config, COPYPT_GLOBUS_CLIENT_SECRET=None)
    proc = h.subprocess.Popen([ctx.exe("copypt"), "login", "--no-browser"], env=env, stdin=h.subprocess.PIPE,
                              stdout=h.subprocess.PIPE, stderr=h.subprocess.PIPE, start_new_session=True)
    logged_in = False
    try:
        url = proc.stdout.readline().decode().strip()
        code = urllib.request.urlopen(url, timeout=10).read().decode().strip() if url.startswith("http") else ""
        out, err = proc.communicate(code.encode() + b"\n", timeout=60)
        SCAN.text(url.encode() + out, "stdout of copypt login")
        SCAN.text(err, "stderr of copypt login")
        logged_in = proc.returncode == 0
        if not logged_in:
            notes.append("copypt login exit %s: %s" % (proc.returncode, err.decode()[-200:]))
    except Exception as e:  # noqa: BLE001
        notes.append("login flow: %s" % e)
        proc.kill()
        proc.wait()
    token_file = os.path.join(config, "copypt", "globus-tokens.json")
    if os.path.exists(token_file):
        with open(token_file) as f:
            doc = json.load(f)

        def walk(v):
            if isinstance(v, dict):
                for k, x in v.items():
                    if isinstance(x, str) and "token" in k and len(x) > 16:
                        SCAN.extra_secrets.add(x)
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
        walk(doc)
    elif logged_in:
        notes.append("no token file at %s" % token_file)
    # A transfer end to end with the user's tokens (no client secret), verbose and JSON.
    objects = ctx.staging("r5-stg", "run/", 20, big=1)
    task = ctx.srv.globus.create_task(ctx.ident, {k: len(v) for k, v in objects.items()}, "r5-stg",
                                      status="SUCCEEDED")
    h.create_buckets(ctx.s3, "r5-dst")
    ctx.add(env, task, "s3://r5-stg/run/", "s3://r5-dst/out/", "--label", "r5")
    for flags in (["--verbose"], ["--json"], []):
        ctx.run(ctx.sweep_argv(*flags), env, tag="R5 sweep %s" % flags)
    for argv in (["status"], ["status", "--json"], ["status", "--verbose"]):
        ctx.run([ctx.exe("copypt")] + argv, env, tag="R5")
    ctx.run([ctx.exe("copypt"), "copy", "--recursive", "--verbose", "--json", "s3://r5-stg/run/", "s3://r5-dst/copy/"],
            env, tag="R5 copy")
    # Wrong secrets must be refused without being echoed.
    ctx.run(ctx.sweep_argv("--verbose"), ctx.env(state, config, COPYPT_GLOBUS_CLIENT_SECRET=SECRETS["COPYPT_GLOBUS_CLIENT_SECRET"]),
            tag="R5 service account")
    expired = ctx.srv.globus.request("POST", "/_emulator/expire_tokens", {})
    del expired
    ctx.run(ctx.sweep_argv("--verbose"), env, tag="R5 after token expiry")
    ctx.run([ctx.exe("copypt"), "logout"], env, tag="R5 logout")
    rec = h.verify_records(state, "done")
    if rec["not_expected"] or rec["corrupt"]:
        notes.append("R5 transfer ended %s" % rec["states"])
    ctx.scan_dirs(state, config)
    return True, None, notes


def r5_line(notes):
    leaks = SCAN.leaks
    ok = not leaks and not SCAN.perm_problems
    line = ("R5 secrets: %d outputs and %d files scanned (%.1f MiB), %d occurrences of %d secrets, %d permission problems"
            % (SCAN.outputs, SCAN.files, SCAN.bytes / MiB, len(leaks), len(SECRET_VALUES) + len(SCAN.extra_secrets),
               len(SCAN.perm_problems)))
    notes = list(notes) + leaks[:5] + SCAN.perm_problems[:5]
    return ok, line, notes


# MARK: - main

def detect_sweep_flags(args, srv):
    """Pass --multipart-threshold/--min-part-size/--batch-size when this copypt-sweep has them, and
    --quiet-transient-for 0: the trials judge what each sweep says, so transient trouble is reported
    at once instead of after cron's quiet hour (which the Swift tests cover)."""
    flags = []
    work = tempfile.mkdtemp(prefix="copypt-trials-probe.")
    env = srv.env(os.path.join(work, "state"), os.path.join(work, "config"), secrets=SECRETS)
    candidates = [["--multipart-threshold", str(args.threshold)], ["--min-part-size", str(args.min_part)],
                  ["--batch-size", str(args.batch_size)], ["--quiet-transient-for", "0"]]
    for cand in candidates:
        r = h.run([os.path.join(args.bin, "copypt-sweep"), "--once", "--dry-run"] + cand, env=env, timeout=30)
        if r.rc != 2 or "nknown option" not in r.err:
            flags += cand
    shutil.rmtree(work, ignore_errors=True)
    return flags


TRIALS = {"R1": r1, "R2": r2, "R3": r3, "R4": None, "R5": r5, "R6": r6}


def main(argv=None):
    p = argparse.ArgumentParser(prog="scripts/trials", description=__doc__.split("\n\n")[0])
    p.add_argument("--short", action="store_true", help="a quick version of each trial (scripts/test)")
    p.add_argument("--only", default="R1,R2,R3,R4,R5,R6")
    p.add_argument("--trials", type=int, default=None, help="trials (repetitions) per trial kind")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--release", action="store_true", help="use a release build")
    p.add_argument("--time-limit", type=float, default=None, help="seconds for the R1 loop (default 3600, short 120)")
    p.add_argument("--fault-rate", type=float, default=0.10)
    p.add_argument("--verbose", "-v", action="count", default=0)
    p.add_argument("--keep", action="store_true", help="keep the work dir and server logs")
    args = p.parse_args(argv)
    args.seed = args.seed if args.seed is not None else int(time.time())
    default_n = {"R1": 100, "R2": 20, "R3": 5, "R6": 3} if not args.short else {"R1": 3, "R2": 2, "R3": 1, "R6": 1}
    args.time_limit = args.time_limit or (120 if args.short else 3600)
    args.r1_objects, args.r1_big, args.r1_kills = (300, 6, 6) if not args.short else (120, 3, 3)
    args.r2_objects = 200 if not args.short else 60
    args.r3_objects = 150 if not args.short else 60
    args.threshold, args.min_part, args.big_size, args.batch_size = 1 * MiB, 256 * KiB, 1536 * KiB, 50
    h.install_signal_handlers()
    only = [x.strip().upper() for x in args.only.split(",") if x.strip()]
    print("copypt trials (%s, seed %d)" % ("short" if args.short else "full", args.seed), flush=True)
    args.bin = h.build_copypt(release=args.release)
    work = tempfile.mkdtemp(prefix="copypt-trials.")
    all_ok = True
    started = time.time()
    try:
        for name in [n for n in ("R1", "R2", "R3", "R4", "R6", "R5") if n in only]:
            t0 = time.time()
            n = args.trials or default_n.get(name, 1)
            notes = []
            try:
                with h.Servers(log_dir=os.path.join(work, "logs-" + name), part_min_size=args.min_part,
                               proxies=True, seed=args.seed) as srv:
                    if not hasattr(args, "sweep_flags"):
                        args.sweep_flags = detect_sweep_flags(args, srv)
                        if args.verbose:
                            print("  copypt-sweep flags: %s" % " ".join(args.sweep_flags), flush=True)
                    ctx = Context(args, srv, os.path.join(work, name))
                    os.makedirs(ctx.work)
                    if name == "R4":
                        import trials_r4
                        ok, line, notes = trials_r4.run(ctx, SCAN)
                    else:
                        ok, line, notes = TRIALS[name](ctx, n)
                    if name == "R5":
                        ok, line, notes = r5_line(notes)
            except Exception as e:  # noqa: BLE001 — a trial that cannot run misses its goal
                ok, line = False, "%s ERROR: %s: %s" % (name, type(e).__name__, str(e)[:300])
                if args.verbose:
                    import traceback
                    traceback.print_exc()
            all_ok &= ok
            print("%s  [%s, %.0f s]" % (line, "ok" if ok else "MISSED", time.time() - t0), flush=True)
            for note in notes[: (200 if args.verbose else 8)]:
                print("    - %s" % note)
    finally:
        if args.keep:
            print("work dir kept: %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("trials %s in %.0f s" % ("passed" if all_ok else "FAILED", time.time() - started))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
