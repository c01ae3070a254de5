"""scripts/bench P7: a 1,000,000-object transfer through S3 Batch Operations (issue 20), on stand-ins.

S3 is scripts/s3-standin (objects seeded as size + ETag, so a million cost one admin call; plain
HTTP; run by bench_p7_s3.py, which keeps multipart bytes so the manifest can be read back), S3 Control is scripts/s3control-standin copying against that same S3 stand-in with real
CopyObject requests (not record-only: the sweep verifies the destination by listing it), Globus is
the emulator with one SUCCEEDED task that delivered every object. copypt-add queues the transfer
with --engine batch; copypt-sweep --once runs until the record is done (the first run writes the
manifest and creates the job; later runs describe it, and the last reads the report, verifies and
cleans up), waiting for the job between runs as cron would.

The sweep's S3 requests are counted by scripts/fault-proxy between copypt and the S3 stand-in (no
faults); the stand-in's own copies go straight to S3 and are not the sweep's. Goals (issue 20):
  - the sweep's S3 requests <= 20 + manifest parts (UploadPart) + verification listing pages
    (ListObjectsV2 of the run that verified, the last; a listing in an earlier run counts among
    the 20), and those listing pages <= 2 x ceil(n / 1000) + 2 (staging and destination once each);
  - peak RSS <= 150 MiB in every sweep run (wait4's ru_maxrss);
  - every object at the destination, the record done, one S3 Control job.
Options: --p7-objects N (default 1,000,000; --light: 100,000), --p7-workers (the stand-in's copy
threads, default 8).
"""

import math
import os
import sys
import time

import copypt_harness as h

ROLE = "arn:aws:iam::111111111111:role/copypt-p7-batch"
STG, DST, PREFIX = "p7-stg", "p7-dst", "p7/"


def add_arguments(p):
    p.add_argument("--p7-objects", type=int, default=None, help="P7's object count (default 1,000,000; --light 100,000)")
    p.add_argument("--p7-workers", type=int, default=8, help="P7: the S3 Control stand-in's copy threads (default 8)")


class P7:
    def __init__(self, bench, srv):
        self.bench, self.srv, self.args = bench, srv, bench.args
        self.n = self.args.p7_objects or (100_000 if self.args.light else 1_000_000)

    def run(self):
        from standin_harness import StandIn  # scripts/s3-standin's launcher (issue 16)
        bench, srv, n = self.bench, self.srv, self.n
        logs = srv.log_dir
        s3 = StandIn(https=False, log_dir=logs)
        # the same stand-in, keeping multipart bytes: the manifest is uploaded in parts and read back
        s3.argv = [sys.executable, os.path.join(h.SCRIPTS, "lib", "bench_p7_s3.py")] + s3.argv[1:]
        with s3, h.FaultProxy(s3, log_dir=logs, name="p7-count") as proxy:
            ctl_port = h.free_port()
            ctl = h.Server("s3control-standin", [sys.executable, os.path.join(h.SCRIPTS, "s3control-standin"),
                                                 "--port", str(ctl_port), "--upstream", s3.url,
                                                 "--workers", str(self.args.p7_workers)], ctl_port, log_dir=logs)
            with ctl:
                t0 = time.monotonic()
                s3.seed(STG, PREFIX + "o", n, 64)
                s3.seed(DST)
                keys = {PREFIX + "o%06d" % i: 64 for i in range(n)} if n <= 1_000_000 else None
                if keys is None:
                    raise RuntimeError("P7 names keys with 6 digits: at most 1,000,000 objects")
                ident = srv.globus.register_client()
                task = srv.globus.create_task(ident, keys, STG, status="SUCCEEDED", label="p7")
                del keys
                print("\nP7  %d objects seeded and delivered in the emulator in %.0f s" % (n, time.monotonic() - t0))
                state = os.path.join(bench.work, "state-p7")
                env = srv.env(state, extra={"AWS_ENDPOINT_URL_S3": proxy.url, "AWS_ENDPOINT_URL_S3_CONTROL": ctl.url},
                              direct=True)
                add = h.run([bench.copypt("copypt-add"), "--no-check", "--task", task, "--from",
                             "s3://%s/%s" % (STG, PREFIX), "--to", "s3://%s/%s" % (DST, PREFIX),
                             "--engine", "batch", "--batch-role-arn", ROLE, "--label", "p7"], env=env, timeout=120)
                if add.rc != 0:
                    raise RuntimeError("copypt-add --engine batch failed: %s" % add.err.strip()[:300])
                proxy.reset()
                runs, per_run, jobs, t0 = [], [], [], time.monotonic()
                deadline = t0 + 4 * 3600
                while time.monotonic() < deadline:
                    r = h.run([bench.copypt("copypt-sweep"), "--once"], env=env, timeout=3600, rss=True)
                    runs.append(r)
                    per_run.append(proxy.stats()["requests"])
                    states = h.verify_records(state)["states"]
                    if states.get("done") == 1 or states.get("failed") == 1 or len(runs) >= 30:
                        break
                    jobs = ctl.request("GET", "/__s3control/jobs")["jobs"]
                    while jobs and any(j["status"] not in ("Complete", "Failed", "Cancelled") for j in jobs) \
                            and time.monotonic() < deadline:
                        time.sleep(2)
                        jobs = ctl.request("GET", "/__s3control/jobs")["jobs"]
                wall = time.monotonic() - t0
                st = proxy.stats()
                jobs = ctl.request("GET", "/__s3control/jobs")["jobs"]
                landed = s3.count(DST, PREFIX)["objects"]
                if jobs and jobs[0]["failure_reasons"]:
                    print("  the job's FailureReasons: %s" % jobs[0]["failure_reasons"])
                control = ctl.request("GET", "/__s3control/stats")["requests"]
            records = h.verify_records(state)
        by_kind = st["requests"]
        # what each run sent (the proxy's counters are cumulative)
        runs_by_kind, before = [], {}
        for counts in per_run:
            runs_by_kind.append({k: v - before.get(k, 0) for k, v in counts.items() if v - before.get(k, 0)})
            before = counts
        total = sum(by_kind.values())
        parts = by_kind.get("UploadPart", 0)
        listing = by_kind.get("ListObjectsV2", 0) + by_kind.get("ListObjects", 0)
        own = total - parts - listing
        max_listing = 2 * math.ceil(n / 1000) + 2
        rss = max((r.maxrss for r in runs), default=0)
        self.bench.results["P7"] = {
            "objects": n, "sweep_runs": [(r.rc, round(r.wall, 2), r.maxrss) for r in runs], "wall": round(wall, 1),
            "s3_requests": total, "by_kind": by_kind, "upload_parts": parts, "listing_pages": listing,
            "peak_rss_kib": rss, "jobs": [(j["id"], j["status"], j["total"], j["succeeded"], j["failed"],
                                           j.get("seconds")) for j in jobs],
            "landed": landed, "s3control_requests": control, "states": records["states"], "requests_by_run": runs_by_kind}
        print("  %d sweep run(s) in %.0f s (rc, wall s, RSS KiB) %s" % (len(runs), wall, self.bench.results["P7"]["sweep_runs"]))
        print("  the sweep's S3 requests: %d = %d manifest parts + %d listing pages + %d others %s" % (
            total, parts, listing, own, dict(sorted(by_kind.items()))))
        print("  S3 requests by sweep run: %s; S3 Control requests: %s" % (runs_by_kind, control))
        print("  jobs (id, status, tasks, succeeded, failed, s) %s; %d objects at the destination; records %s" % (
            self.bench.results["P7"]["jobs"], landed, records["states"]))
        # The budget: 20 + manifest parts + the verification's listing pages (those of the
        # run that verified: the last); a listing in any other run counts among the 20.
        verify_pages = sum(runs_by_kind[-1].get(k, 0) for k in ("ListObjectsV2", "ListObjects")) if runs_by_kind else 0
        allowed = 20 + parts + verify_pages
        bench.goal("P7", "sweep S3 requests <= 20 + %d manifest parts + %d verification listing pages = %d (measured %d)"
                   % (parts, verify_pages, allowed, total), total <= allowed)
        bench.goal("P7", "verification listing pages <= %d (staging and destination once each, 1,000 a page, + 2)"
                   % max_listing, verify_pages <= max_listing)
        bench.goal("P7", "peak RSS <= 150 MiB (%s MiB)" % round(rss / 1024, 1), 0 < rss <= 150 * 1024)
        bench.goal("P7", "one job, every object copied, the record done",
                   len(jobs) == 1 and landed == n and records["states"].get("done") == 1)
