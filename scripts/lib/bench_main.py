"""scripts/bench: copypt side by side with the AWS CLI, rclone and a minimal floor client on one moto.

Run through scripts/bench (which installs awscli and rclone when missing). Options: --only P1,P3,
--rounds N (measured rounds after one discarded warm-up; default 5), --p1-rounds N (P1's rounds;
default 9: its walls swing by a fifth from run to run on a shared VM), --light (P4 with 10,000
objects instead of 100,000), --json FILE (all figures), --keep (keep the work dir), --debug-build.

Honesty rules: every tool copies the same objects from the same moto (one moto_server, auth off)
on the same machine, each sending the same canned ACL (copypt's default); each round runs every
tool once, in turn (each round starting one tool later), into a fresh destination bucket;
round 0 is a warm-up and is discarded; figures are medians. Wall and CPU are measured straight
against moto; S3 request counts come from one extra run of each tool through scripts/fault-proxy
with no faults (the proxy counts what it forwards). CPU is user+sys of the client process as
reported by wait4 (children it waited for included), i.e. the client's own, never moto's.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import copypt_harness as h  # noqa: E402

CONCURRENCY = 16
# Every tool sends the canned ACL copypt sends by default (for a destination in another
# account): moto spends 1-2 ms of its CPU on an ACL, so a comparison where only copypt set one
# measured moto, not the clients (copypt's P1 wall was 1.07-1.23x an ACL-less floor's).
ACL = "bucket-owner-full-control"
MiB = 1 << 20
GiB = 1 << 30


def ceil_div(a, b):
    return -(-a // b)


# MARK: - documented request arithmetic (for a real 10 GiB object)

def aws_cli_requests(size, chunk=8 * MiB, threshold=8 * MiB):
    """aws s3 cp s3→s3: HeadObject, then CopyObject, or Create + parts + Complete (s3transfer)."""
    if size < threshold:
        return 2
    return 1 + 1 + ceil_div(size, chunk) + 1


def copypt_parts(size, concurrency=CONCURRENCY, min_part=5 * MiB, max_part=5 * GiB, max_count=10000):
    """PartPlan (Sources/CopyPTS3/PartPlan.swift): max(⌈size/max part⌉, min(concurrency, ⌊size/min part⌋))."""
    needed = ceil_div(size, max_part)
    wanted = min(max(concurrency, 1), max(size // min_part, 1))
    return min(max(needed, wanted), max_count)


def copypt_requests(size, threshold=5 * GiB):
    """copypt copy of one object: HeadObject (plan) + CopyObject, or, in parts (S3Copier+Multipart.swift):
    HeadObject (plan) + HeadObject (metadata) + Create + parts + HeadObject (source unchanged) + Complete
    + HeadObject (destination size) — the stand-in's measured 22 for 16 parts."""
    if size <= threshold:
        return 2
    return 2 + 1 + copypt_parts(size) + 1 + 1 + 1


# MARK: - tools

class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="copypt-bench.")
        self.results = {}
        self.goals = []   # (measure, text, met)
        self.bin = None

    def copypt(self, name):
        return os.path.join(self.bin, name)

    def goal(self, measure, text, met):
        self.goals.append((measure, text, met))

    # MARK: environments

    def aws_env(self, endpoint, extra_config=""):
        cfg = os.path.join(self.work, "aws-config-%d" % abs(hash(extra_config)))
        with open(cfg, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n    max_concurrent_requests = %d\n%s" % (
                CONCURRENCY, extra_config))
        return {"PATH": os.environ["PATH"], "HOME": self.work, "LANG": "C.UTF-8",
                "AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.work, "none"),
                "AWS_ACCESS_KEY_ID": h.DEFAULT_SECRETS["AWS_ACCESS_KEY_ID"],
                "AWS_SECRET_ACCESS_KEY": h.DEFAULT_SECRETS["AWS_SECRET_ACCESS_KEY"],
                "AWS_ENDPOINT_URL_S3": endpoint, "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_PAGER": ""}

    def rclone_env(self, endpoint):
        return {"PATH": os.environ["PATH"], "HOME": self.work, "LANG": "C.UTF-8",
                "RCLONE_CONFIG": os.path.join(self.work, "rclone.conf"),
                "RCLONE_CONFIG_BENCH_TYPE": "s3", "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
                "RCLONE_CONFIG_BENCH_ENDPOINT": endpoint, "RCLONE_CONFIG_BENCH_REGION": "us-east-1",
                "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": h.DEFAULT_SECRETS["AWS_ACCESS_KEY_ID"],
                "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": h.DEFAULT_SECRETS["AWS_SECRET_ACCESS_KEY"],
                "RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE": "true", "RCLONE_CONFIG_BENCH_ACL": ACL}

    # MARK: P1

    def p1(self, srv):
        n, size = 1000, 1024
        s3 = srv.s3()
        h.create_buckets(s3, "p1-stg")
        keys = {"p1/obj-%04d.dat" % i: size for i in range(n)}
        h.put_objects(s3, "p1-stg", {k: h.object_body(k, size) for k in keys})
        keys_file = os.path.join(self.work, "p1-keys")
        with open(keys_file, "w") as f:
            f.write("".join(k + "\n" for k in sorted(keys)))
        ident = srv.globus.register_client()
        task = srv.globus.create_task(ident, keys, "p1-stg", status="SUCCEEDED", label="p1")
        open(os.path.join(self.work, "rclone.conf"), "w").close()
        fresh_bucket = bucket_maker(s3, "p1-dst")

        def tool_copypt_copy(endpoint, dst):
            env = srv.env(os.path.join(self.work, "state-copy"), extra={"AWS_ENDPOINT_URL_S3": endpoint})
            return h.start([self.copypt("copypt"), "copy", "--recursive", "--json", "--concurrency", str(CONCURRENCY),
                            "s3://p1-stg/p1/", "s3://%s/p1/" % dst], env=env)

        def tool_copypt_sweep(endpoint, dst):
            state = os.path.join(self.work, "state-sweep-" + dst)
            env = srv.env(state, extra={"AWS_ENDPOINT_URL_S3": endpoint}, direct=True)
            add = h.run([self.copypt("copypt-add"), "--no-check", "--task", task, "--from", "s3://p1-stg/p1/",
                         "--to", "s3://%s/p1/" % dst, "--label", "p1"], env=env, timeout=60)
            if add.rc != 0:
                raise RuntimeError("copypt-add failed: %s" % add.err.strip()[:300])
            return h.start([self.copypt("copypt-sweep"), "--once", "--concurrency", str(CONCURRENCY)], env=env, rss=True)

        def tool_aws(endpoint, dst):
            return h.start(["aws", "s3", "cp", "--recursive", "--only-show-errors", "--no-progress", "--acl", ACL,
                            "s3://p1-stg/p1/", "s3://%s/p1/" % dst], env=self.aws_env(endpoint), rss=True)

        def tool_rclone(endpoint, dst):
            return h.start(["rclone", "copy", "-q", "--s3-no-check-bucket", "--transfers", str(CONCURRENCY),
                            "--checkers", str(CONCURRENCY), "bench:p1-stg/p1", "bench:%s/p1" % dst],
                           env=self.rclone_env(endpoint), rss=True)

        def tool_floor(endpoint, dst):
            return h.start([sys.executable, os.path.join(h.SCRIPTS, "lib", "floor_copy.py"), endpoint,
                            "p1-stg", "p1/", dst, "p1/", "--keys-file", keys_file, "--acl", ACL,
                            "--concurrency", str(CONCURRENCY)], env=dict(os.environ), rss=True)

        tools = [("copypt copy", tool_copypt_copy), ("copypt-sweep", tool_copypt_sweep),
                 ("aws s3 cp", tool_aws), ("rclone copy", tool_rclone), ("floor", tool_floor)]
        def problem(r, dst, rnd):
            check = h.verify_copy(s3, "p1-stg", "p1/", dst, "p1/", content=False)
            if r.rc != 0 or check["lost"] or check["wrong"] or check["extra"]:
                return "rc=%s lost=%d %s" % (r.rc, len(check["lost"]), r.err.strip()[-200:])
            return None

        rounds = self.args.p1_rounds
        runs, failures = measure_rounds(srv, s3, tools, fresh_bucket, rounds, problem)
        requests = count_requests(srv, s3, tools, fresh_bucket, "p1-count")
        rows = {}
        for name, _ in tools:
            rs = runs[name]
            rows[name] = {
                "wall": h.median([r.wall for r in rs]) if rs else None,
                "cpu": h.median([r.cpu for r in rs]) if rs else None,
                "rss_kib": h.median([r.maxrss for r in rs]) if rs else None,
                "walls": [round(r.wall, 3) for r in rs],
                "runs": len(rs), "failures": failures[name], "requests": requests.get(name, {}).get("total"),
                "requests_by_kind": requests.get(name, {}).get("by_kind")}
        self.results["P1"] = rows
        floor, aws = rows["floor"], rows["aws s3 cp"]
        print("\nP1  1,000 x 1 KiB objects, concurrency %d, %d rounds (+1 warm-up), medians" % (
            CONCURRENCY, rounds))
        print("  %-14s %8s %8s %9s %9s %9s %8s %9s" % ("tool", "wall s", "CPU s", "wall/flr", "wall/aws",
                                                     "CPU/aws", "requests", "RSS MiB"))
        for name, row in rows.items():
            print("  %-14s %8s %8s %9s %9s %9s %8s %9s%s" % (
                name, fmt(row["wall"]), fmt(row["cpu"]), ratio(row["wall"], floor["wall"]),
                ratio(row["wall"], aws["wall"]), ratio(row["cpu"], aws["cpu"]),
                row["requests"] if row["requests"] is not None else "-",
                fmt(row["rss_kib"] / 1024 if row["rss_kib"] else None, 1),
                ("  FAILED x%d: %s" % (len(row["failures"]), row["failures"][0])) if row["failures"] else ""))
        print("  wall, slowest and fastest round: %s" % ", ".join(
            "%s %s-%s s" % (name, fmt(min(row["walls"]), 2), fmt(max(row["walls"]), 2))
            for name, row in rows.items() if row["walls"]))
        for name, row in rows.items():
            if row["requests_by_kind"]:
                print("  %-14s requests: %s" % (name, ", ".join("%s %d" % kv for kv in sorted(row["requests_by_kind"].items()))))
        # ListObjectsV2 pages for 1,000 keys: two, as copypt's first page is short (100 keys)
        # so copying starts sooner.
        listing_pages = 2
        for name in ("copypt copy", "copypt-sweep"):
            row = rows[name]
            self.goal("P1", "%s wall <= 1.05x floor" % name, le(row["wall"], 1.05, floor["wall"]))
            self.goal("P1", "%s wall <= 0.9x aws" % name, le(row["wall"], 0.9, aws["wall"]))
            self.goal("P1", "%s CPU <= 0.1x aws" % name, le(row["cpu"], 0.1, aws["cpu"]))
            s3_requests = row["requests"]
            self.goal("P1", "%s S3 requests <= %d (1/object + %d listing)" % (name, n + listing_pages, listing_pages),
                      s3_requests is not None and s3_requests <= n + listing_pages)

    # MARK: P2

    def p2(self, srv):
        size = self.args.p2_size * MiB
        threshold = "%dMiB" % (self.args.p2_size // 2)
        s3 = srv.s3()
        h.create_buckets(s3, "p2-stg")
        s3.put_object(Bucket="p2-stg", Key="big/one.bin", Body=h.object_body("big", size))
        fresh_bucket = bucket_maker(s3, "p2-dst")

        def tool_copypt(endpoint, dst):
            env = srv.env(os.path.join(self.work, "state-p2"), extra={"AWS_ENDPOINT_URL_S3": endpoint})
            return h.start([self.copypt("copypt"), "copy", "--json", "--multipart-threshold", threshold,
                            "--concurrency", str(CONCURRENCY), "s3://p2-stg/big/one.bin", "s3://%s/big/one.bin" % dst],
                           env=env, rss=True)

        def tool_aws(endpoint, dst):
            extra = "    multipart_threshold = %dMB\n    multipart_chunksize = 8MB\n" % (self.args.p2_size // 2)
            return h.start(["aws", "s3", "cp", "--only-show-errors", "--no-progress", "--acl", ACL, "s3://p2-stg/big/one.bin",
                            "s3://%s/big/one.bin" % dst], env=self.aws_env(endpoint, extra), rss=True)

        tools = [("copypt copy", tool_copypt), ("aws s3 cp", tool_aws)]
        def problem(r, dst, rnd):
            check = h.verify_copy(s3, "p2-stg", "big/", dst, "big/", content=(rnd == 1))
            if r.rc != 0 or check["lost"] or check["wrong"] or check["orphans"]:
                return "rc=%s %s %s" % (r.rc, check, r.err.strip()[-200:])
            return None

        runs, failures = measure_rounds(srv, s3, tools, fresh_bucket, self.args.rounds, problem)
        requests = count_requests(srv, s3, tools, fresh_bucket, "p2-count")
        rows = {name: {"wall": h.median([r.wall for r in runs[name]]) if runs[name] else None,
                       "cpu": h.median([r.cpu for r in runs[name]]) if runs[name] else None,
                       "requests": requests.get(name, {}).get("total"),
                       "requests_by_kind": requests.get(name, {}).get("by_kind"),
                       "failures": failures[name]} for name, _ in tools}
        real = 10 * GiB
        projected = {"copypt copy": copypt_requests(real), "aws s3 cp": aws_cli_requests(real)}
        self.results["P2"] = {"stand_in_bytes": size, "rows": rows, "projected_10GiB": projected}
        print("\nP2  one %d MiB object, multipart above %s (moto S3_UPLOAD_PART_MIN_SIZE lowered), medians" % (
            self.args.p2_size, threshold))
        print("  %-14s %8s %8s %9s %10s %s" % ("tool", "wall s", "CPU s", "wall/aws", "requests", "10 GiB object (computed)"))
        for name, row in rows.items():
            print("  %-14s %8s %8s %9s %10s %s%s" % (
                name, fmt(row["wall"]), fmt(row["cpu"]), ratio(row["wall"], rows["aws s3 cp"]["wall"]),
                row["requests"] if row["requests"] is not None else "-", projected[name],
                ("  FAILED: %s" % row["failures"][0]) if row["failures"] else ""))
        for name, row in rows.items():
            if isinstance(row["requests_by_kind"], dict):
                print("  %-14s requests: %s" % (name, ", ".join("%s %d" % kv for kv in sorted(row["requests_by_kind"].items()))))
        print("  10 GiB: aws = HeadObject + Create + %d UploadPartCopy (8 MiB) + Complete; copypt = 2 HeadObject + "
              "Create + %d parts (PartPlan, concurrency %d) + HeadObject + Complete + HeadObject" % (
                  ceil_div(real, 8 * MiB), copypt_parts(real), CONCURRENCY))
        self.goal("P2", "copypt requests for 10 GiB <= 1/20 of aws (%d vs %d)" % (
            projected["copypt copy"], projected["aws s3 cp"]), projected["copypt copy"] * 20 <= projected["aws s3 cp"])
        self.goal("P2", "copypt wall <= aws wall (stand-in)", le(rows["copypt copy"]["wall"], 1.0, rows["aws s3 cp"]["wall"]))

    # MARK: P3

    def p3(self, srv):
        n = self.args.p3_records
        s3 = srv.s3()
        h.create_buckets(s3, "p3-stg", "p3-dst")
        ident = srv.globus.register_client()
        tasks = []
        while len(tasks) < n:
            tasks += srv.globus.create_tasks(ident, min(1000, n - len(tasks)), status="ACTIVE")
        state = os.path.join(self.work, "state-p3")
        env = srv.env(state, direct=True)
        schema_problem = check_record_schema(self, env, tasks[0])
        for i, task in enumerate(tasks):
            h.write_record(state, h.make_record("20261125-%06x" % i, task, "s3://p3-stg/r%05d/" % i,
                                                "s3://p3-dst/r%05d/" % i, "/p3-stg/r%05d/" % i))
        sweep = [self.copypt("copypt-sweep"), "--once"]

        def measure():
            srv.globus.clear_requests()
            r = h.run(sweep, env=env, timeout=600, rss=True)
            log = srv.globus.requests_log()
            kinds = {}
            for q in log:
                kind = "token" if q["path"].startswith("/v2/oauth2") else (
                    "successful_transfers" if q["path"].endswith("successful_transfers") else
                    "task_list" if q["path"].startswith("/v0.10/task_list") else "task" if "/task/" in q["path"]
                    else q["path"])
                kinds[kind] = kinds.get(kind, 0) + 1
            return r, len(log), kinds

        h.run(sweep, env=env, timeout=600)   # warm-up (page cache, token)
        idle = [measure() for _ in range(max(1, min(3, self.args.rounds)))]
        r_idle = min(idle, key=lambda x: x[0].wall)
        walls = [x[0].wall for x in idle]
        finished = tasks[: max(1, n // 100)]
        for task in finished:
            srv.globus.set_task(task, status="SUCCEEDED")
        r_fin, fin_count, fin_kinds = measure()
        rows = {"idle": {"rc": r_idle[0].rc, "requests": r_idle[1], "by_kind": r_idle[2], "wall": h.median(walls),
                         "rss_kib": r_idle[0].maxrss, "err": r_idle[0].err[-300:]},
                "1% finished": {"rc": r_fin.rc, "requests": fin_count, "by_kind": fin_kinds, "wall": r_fin.wall,
                                "rss_kib": r_fin.maxrss, "err": r_fin.err[-300:]}}
        states = h.verify_records(state)["states"]
        self.results["P3"] = dict(rows, records=n, finished=len(finished), states_after=states,
                                  schema_problem=schema_problem)
        print("\nP3  %d waiting records, tasks ACTIVE (Transfer/Auth requests from the emulator's log)" % n)
        if schema_problem:
            print("  NOTE record schema: %s" % schema_problem)
        for name, row in rows.items():
            print("  %-12s rc=%s requests=%s %s wall=%ss RSS=%s MiB%s" % (
                name, row["rc"], row["requests"], row["by_kind"], fmt(row["wall"]), fmt(row["rss_kib"] / 1024, 1),
                ("  stderr: " + row["err"].strip().splitlines()[-1]) if row["rc"] not in (0,) and row["err"].strip() else ""))
        print("  after: %s" % states)
        idle_row, fin_row = rows["idle"], rows["1% finished"]
        # Offset paging stops at 1,000 results, as globus-sdk's does (issue 14); the rest are looked
        # up by id, about 200 a request (as many UUIDs as fit in an 8 KiB URL).
        pages, by_id = ceil_div(min(n, 1000), 1000), ceil_div(max(0, n - 1000), 200)
        self.goal("P3", "idle: <= %d requests (token, %d page, %d by-id lookups)" % (1 + pages + by_id, pages, by_id),
                  idle_row["rc"] == 0 and idle_row["requests"] <= 1 + pages + by_id)
        self.goal("P3", "idle: <= 1 s", idle_row["rc"] == 0 and idle_row["wall"] <= 1.0)
        self.goal("P3", "idle: <= 50 MiB", idle_row["rss_kib"] <= 50 * 1024)
        extra = fin_row["requests"] - idle_row["requests"]
        extra_wo_st = extra - fin_kinds.get("successful_transfers", 0)
        self.goal("P3", "1%% finished: <= 2 more requests (measured %d more, %d besides one successful_transfers "
                  "page per finished task)" % (extra, extra_wo_st), fin_row["rc"] == 0 and extra_wo_st <= 2)

    # MARK: P4

    def p4(self, srv):
        n = 10_000 if self.args.light else 100_000
        s3 = srv.s3()
        h.create_buckets(s3, "p4-stg", "p4-dst")
        keys = {"p4/d%03d/o%06d" % (i // 1000, i): 64 for i in range(n)}
        t0 = time.monotonic()
        h.put_objects(s3, "p4-stg", {k: h.object_body(k, 64) for k in keys}, threads=32)
        print("\nP4  %d objects staged in %.0f s" % (n, time.monotonic() - t0))
        ident = srv.globus.register_client()
        task = srv.globus.create_task(ident, keys, "p4-stg", status="SUCCEEDED")
        state = os.path.join(self.work, "state-p4")
        with h.FaultProxy(srv.moto, log_dir=srv.log_dir, name="p4-count") as proxy:
            env = srv.env(state, extra={"AWS_ENDPOINT_URL_S3": proxy.url}, direct=True)
            add = h.run([self.copypt("copypt-add"), "--no-check", "--task", task, "--from", "s3://p4-stg/p4/", "--to",
                         "s3://p4-dst/p4/"], env=env)
            sweep = [self.copypt("copypt-sweep"), "--once"]
            proc = h.start(sweep, env=env, rss=True)
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline and h.alive(proc):
                if proxy.stats()["requests"].get("CopyObject", 0) >= n // 2:
                    break
                time.sleep(0.2)
            killed_at = proxy.stats()["requests"].get("CopyObject", 0)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            first = h.finish(proc, timeout=60)
            runs = [first]
            for _ in range(5):
                r = h.run(sweep, env=env, timeout=3600, rss=True)
                runs.append(r)
                if h.verify_records(state)["states"].get("done") == 1:
                    break
            st = proxy.stats()
        check = h.verify_copy(s3, "p4-stg", "p4/", "p4-dst", "p4/", content=False)
        recopied = st["duplicate_copies"]
        rss = max(r.maxrss for r in runs)
        self.results["P4"] = {"objects": n, "killed_after_copies": killed_at, "recopied": recopied,
                              "peak_rss_kib": rss, "runs": [(r.rc, round(r.wall, 2), r.maxrss) for r in runs],
                              "lost": len(check["lost"]), "wrong": len(check["wrong"]), "add_rc": add.rc}
        print("  killed after %d copies; resumed in %d run(s): re-copied %d, lost %d, wrong %d, peak RSS %s MiB, "
              "runs (rc, wall s, RSS KiB) %s" % (killed_at, len(runs) - 1, recopied, len(check["lost"]),
                                                  len(check["wrong"]), fmt(rss / 1024, 1),
                                                  self.results["P4"]["runs"]))
        self.goal("P4", "peak RSS <= 100 MiB", rss <= 100 * 1024)
        self.goal("P4", "kill-and-resume re-copies <= one batch (1,000)", recopied <= 1000 and not check["lost"])

    # MARK: P5

    def p5(self, srv):
        state = os.path.join(self.work, "state-p5-empty")
        env = srv.env(state, direct=True)
        sweep = [self.copypt("copypt-sweep"), "--once"]
        h.run(sweep, env=env)
        runs = [h.run(sweep, env=env) for _ in range(max(20, self.args.rounds * 4))]
        wall = h.median([r.wall for r in runs])
        rss = h.median([h.run(sweep, env=env, rss=True).maxrss for _ in range(3)])
        self.results["P5"] = {"wall": wall, "rc": [r.rc for r in runs][:3], "rss_kib": rss}
        print("\nP5  copypt-sweep --once on an empty state dir: median %.1f ms over %d runs (rc %s), RSS %s MiB" % (
            wall * 1000, len(runs), runs[0].rc, fmt(self.results["P5"]["rss_kib"] / 1024, 1)))
        self.goal("P5", "start-up <= 30 ms", runs[0].rc == 0 and wall <= 0.030)

    # MARK: P7 (scripts/lib/bench_p7.py; only with --only P7)

    def p7(self, srv):
        import bench_p7
        bench_p7.P7(self, srv).run()


def bucket_maker(s3, prefix):
    """A function that creates and names a new bucket on each call: PREFIX-0001, PREFIX-0002, …"""
    counter = [0]

    def fresh_bucket():
        counter[0] += 1
        name = "%s-%04d" % (prefix, counter[0])
        s3.create_bucket(Bucket=name)
        return name
    return fresh_bucket


def measure_rounds(srv, s3, tools, fresh_bucket, rounds, problem):
    """Runs every tool once per round, interleaved, each into a fresh bucket that is deleted
    after; round 0 is the discarded warm-up. problem(result, bucket, round) returns why a run
    does not count (None when it copied correctly). Returns ({tool: [results]}, {tool: [why]})."""
    runs = {name: [] for name, _ in tools}
    failures = {name: [] for name, _ in tools}
    for rnd in range(rounds + 1):
        # Each round starts with the next tool, so no tool always runs in the same place in the
        # round (moto's pace drifts with what ran before it: the last tool had been the floor).
        shift = rnd % len(tools)
        for name, tool in tools[shift:] + tools[:shift]:
            dst = fresh_bucket()
            try:
                r = h.finish(tool(srv.moto.url, dst), timeout=600)
            except Exception as e:  # noqa: BLE001 — a tool that cannot start is a result too
                failures[name].append(str(e)[:200])
                continue
            why = problem(r, dst, rnd)
            if why:
                failures[name].append(why)
            elif rnd > 0:
                runs[name].append(r)
            s3_delete_bucket(s3, dst)
    return runs, failures


def count_requests(srv, s3, tools, fresh_bucket, name):
    """One run of each tool through a counting proxy in front of moto (no faults): S3 requests
    in total and by kind, per tool; total is None when the run failed."""
    requests = {}
    with h.FaultProxy(srv.moto, log_dir=srv.log_dir, name=name) as proxy:
        for tool_name, tool in tools:
            dst = fresh_bucket()
            proxy.reset()
            try:
                r = h.finish(tool(proxy.url, dst), timeout=600)
                st = proxy.stats()
                requests[tool_name] = {"total": st["total"] if r.rc == 0 else None, "by_kind": st["requests"],
                                       "rc": r.rc}
            except Exception as e:  # noqa: BLE001 — a tool that cannot start is a result too
                requests[tool_name] = {"total": None, "by_kind": None, "error": str(e)[:200]}
            s3_delete_bucket(s3, dst)
    return requests


def check_record_schema(bench, env, task):
    """Compare the keys of a record made by copypt-add with make_record's; None when they agree."""
    state = env["COPYPT_STATE_DIR"] + "-schema"
    e = dict(env, COPYPT_STATE_DIR=state)
    r = h.run([bench.copypt("copypt-add"), "--no-check", "--task", task, "--from", "s3://p3-stg/x/", "--to", "s3://p3-dst/x/"], env=e)
    records, _ = h.read_records(state)
    if r.rc != 0 or not records:
        return "copypt-add failed (%s): %s" % (r.rc, r.err.strip()[:200])
    real = next(iter(records.values()))
    mine = h.make_record("x", task, "s3://a/", "s3://b/", "/a/")
    if set(real) != set(mine) or set(real.get("options") or {}) != set(mine["options"]) or \
            set(real.get("progress") or {}) != set(mine["progress"]):
        return "keys differ: copypt-add %s vs harness %s" % (sorted(real), sorted(mine))
    return None


def s3_delete_bucket(s3, bucket):
    """Empty and delete a bucket so moto's memory stays flat across rounds."""
    try:
        keys = list(h.list_all(s3, bucket))
        for i in range(0, len(keys), 1000):
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]], "Quiet": True})
        for u in h.list_multipart_uploads(s3, bucket):
            s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])
        s3.delete_bucket(Bucket=bucket)
    except Exception:  # noqa: BLE001 — housekeeping only
        pass


def fmt(x, digits=3):
    return "-" if x is None else ("%.*f" % (digits, x))


def ratio(a, b):
    return "-" if a is None or not b else "%.2fx" % (a / b)


def le(a, factor, b):
    return a is not None and b is not None and a <= factor * b


def main(argv=None):
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--only", default="P1,P2,P3,P4,P5")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--p1-rounds", type=int, default=9, help="P1's measured rounds (default 9)")
    p.add_argument("--light", action="store_true", help="P4 with 10,000 objects instead of 100,000")
    p.add_argument("--p2-size", type=int, default=128, help="P2 stand-in object size in MiB (default 128)")
    p.add_argument("--p3-records", type=int, default=10_000)
    p.add_argument("--json", dest="json_out", default=None)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--debug-build", action="store_true", help="use a debug build (quicker to build; not for figures)")
    import bench_p7  # P7's options (scripts/lib/bench_p7.py)
    bench_p7.add_arguments(p)
    args = p.parse_args(argv)
    h.install_signal_handlers()
    only = {x.strip().upper() for x in args.only.split(",") if x.strip()}
    bench = Bench(args)
    started = time.time()
    print("copypt bench — %s, %s, %d CPUs" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                              os.uname().nodename, os.cpu_count()))
    try:
        print("building copypt (%s)…" % ("debug" if args.debug_build else "release"), flush=True)
        bench.bin = h.build_copypt(release=not args.debug_build)
        with h.Servers(log_dir=os.path.join(bench.work, "logs"), part_min_size=5 * MiB) as srv:
            os.makedirs(srv.log_dir, exist_ok=True)
            for name in ("P1", "P2", "P3", "P4", "P5", "P7"):
                if name in only:
                    try:
                        getattr(bench, name.lower())(srv)
                    except Exception as e:  # noqa: BLE001 — report and go on with the next measure
                        print("\n%s  ERROR: %s: %s" % (name, type(e).__name__, e))
                        bench.goal(name, "ran to the end", False)
                    sys.stdout.flush()
    finally:
        if not args.keep:
            shutil.rmtree(bench.work, ignore_errors=True)
    print("\nGoals")
    for measure, text, met in bench.goals:
        print("  %-3s %-4s %s" % (measure, "met" if met else "MISS", text))
    print("(%.0f s)" % (time.time() - started))
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"results": bench.results, "goals": bench.goals}, f, indent=2, default=str)
    return 0 if all(met for _, _, met in bench.goals) else 1


if __name__ == "__main__":
    sys.exit(main())
