"""scripts/bench P6: copypt at real S3 latency (issue 16), against scripts/s3-standin over HTTPS.

The stand-in answers every S3 request after --p6-latency-ms (default 50 ms) on kept-alive
HTTP/1.1 over TLS (its throwaway CA given as AWS_CA_BUNDLE / rclone's --ca-cert) and counts
connections and requests in flight itself, so those figures are the server's, not the client's.
Objects are seeded as size + ETag (no bytes), so seeding 20,000 takes one admin call.

  P6a default flags: copypt copy, copypt-sweep (a SUCCEEDED task in the Globus emulator, as P1),
      aws s3 cp --recursive (its defaults: 10 requests at once) and rclone copy (--transfers 16
      --checkers 16, as P1; skipped when rclone is missing): wall, copies/s, client CPU, CPU ms per
      object, connections opened, peak in flight. Goal: >= 2,000 copies/s for copypt copy and sweep.
  P6b copypt copy at fixed --concurrency 16, 64, 256, 1000: connections opened <= 1.1 x peak in
      flight + 1 host.
  P6c client CPU <= 0.10 ms per copied object (copy and sweep, default flags).
  P6d the stand-in throttling at 800 requests/s (token bucket 80 deep): every object copied,
      SlowDown answers <= 5 % of requests, copies/s >= 80 % of the limit.
  P2 on the stand-in: one 10 GiB object (never materialised), UploadPartCopy latency in
      proportion to part size: wall vs the sum of the parts' latencies.
Client CPU is user+sys from wait4 (children included); the stand-in's own CPU is read from /proc
and printed beside it, to show when the stand-in rather than the client was the limit.
"""

import os
import time

import copypt_harness as h
from standin_harness import StandIn

MiB, GiB = 1 << 20, 1 << 30
SRC_BUCKET, SRC_PREFIX = "p6-stg", "p6/"


def proc_cpu(pid):
    """user+sys seconds of a running process (from /proc), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class P6:
    def __init__(self, bench, srv):
        self.bench, self.srv, self.args = bench, srv, bench.args
        self.n = self.args.p6_objects
        self.counter = 0
        self.task = None

    # MARK: one measured run

    def fresh_bucket(self, stand, name):
        self.counter += 1
        bucket = "p6-%s-%03d" % (name, self.counter)
        stand.seed(bucket)
        return bucket

    def measure(self, stand, tool, dst, expected):
        """Runs tool(dst) → process; returns the row of figures for it."""
        stand.reset()
        cpu0 = proc_cpu(stand.proc.pid)
        r = h.finish(tool(dst), timeout=self.args.p6_timeout)
        cpu1 = proc_cpu(stand.proc.pid)
        st = stand.stats()
        copied = stand.count(dst, SRC_PREFIX)["objects"]
        row = {"rc": r.rc, "wall": r.wall, "cpu": r.cpu, "copied": copied, "expected": expected,
               "copies_per_s": copied / r.wall if r.wall else None,
               "cpu_ms_per_object": r.cpu * 1000 / copied if copied else None,
               "connections": st["connections_opened"], "peak_in_flight": st["peak_in_flight"],
               "peak_open": st["peak_connections_open"],
               "requests": st["requests"], "slowdowns": st["slowdowns"], "operations": st["operations"],
               "standin_cpu": (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None,
               "err": r.err.strip()[-300:] if r.rc != 0 else ""}
        row["load_average"] = os.getloadavg()[0]
        return row

    # MARK: tools

    def env(self, stand, state):
        return self.srv.env(state, extra={"AWS_ENDPOINT_URL_S3": stand.url, "AWS_CA_BUNDLE": stand.ca}, direct=True)

    def copypt_copy(self, stand, flags=()):
        def tool(dst):
            env = self.env(stand, os.path.join(self.bench.work, "state-p6-copy"))
            return h.start([self.bench.copypt("copypt"), "copy", "--recursive", "--json"] + list(flags) +
                           ["s3://%s/%s" % (SRC_BUCKET, SRC_PREFIX), "s3://%s/%s" % (dst, SRC_PREFIX)], env=env)
        return tool

    def copypt_sweep(self, stand):
        def tool(dst):
            env = self.env(stand, os.path.join(self.bench.work, "state-p6-sweep-" + dst))
            add = h.run([self.bench.copypt("copypt-add"), "--no-check", "--task", self.task, "--from",
                         "s3://%s/%s" % (SRC_BUCKET, SRC_PREFIX), "--to", "s3://%s/%s" % (dst, SRC_PREFIX),
                         "--label", "p6"], env=env, timeout=60)
            if add.rc != 0:
                raise RuntimeError("copypt-add failed: %s" % add.err.strip()[:300])
            return h.start([self.bench.copypt("copypt-sweep"), "--once"], env=env)
        return tool

    def aws(self, stand):
        config = os.path.join(self.bench.work, "aws-config-p6")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\n")

        def tool(dst):
            env = self.bench.aws_env(stand.url)
            env.update({"AWS_CONFIG_FILE": config, "AWS_CA_BUNDLE": stand.ca})
            return h.start(["aws", "s3", "cp", "--recursive", "--only-show-errors", "--no-progress",
                            "s3://%s/%s" % (SRC_BUCKET, SRC_PREFIX), "s3://%s/%s" % (dst, SRC_PREFIX)], env=env)
        return tool

    def rclone(self, stand):
        open(os.path.join(self.bench.work, "rclone.conf"), "a").close()

        def tool(dst):
            env = self.bench.rclone_env(stand.url)
            env["RCLONE_CA_CERT"] = stand.ca
            return h.start(["rclone", "copy", "-q", "--s3-no-check-bucket", "--transfers", "16", "--checkers", "16",
                            "bench:%s/%s" % (SRC_BUCKET, SRC_PREFIX.rstrip("/")), "bench:%s/%s" % (dst, SRC_PREFIX.rstrip("/"))],
                           env=env)
        return tool

    # MARK: the measure

    def run(self):
        n, args = self.n, self.args
        log_dir = self.srv.log_dir
        with StandIn(latency_ms=args.p6_latency_ms, log_dir=log_dir) as stand:
            stand.seed(SRC_BUCKET, SRC_PREFIX, n, 1024)
            keys = {"%s%06d" % (SRC_PREFIX, i): 1024 for i in range(n)}
            ident = self.srv.globus.register_client()
            self.task = self.srv.globus.create_task(ident, keys, SRC_BUCKET, status="SUCCEEDED", label="p6")
            results = {}
            # The load average says how much of the 2 cores others took meanwhile (a shared VM).
            print("\nP6  %d x 1 KiB objects, %g ms per request, HTTPS keep-alive (scripts/s3-standin); "
                  "load average %.1f at start" % (n, args.p6_latency_ms, os.getloadavg()[0]))
            # conns: connections that carried a request; open: the most open at once; peak: the most
            # requests in flight at the stand-in (read in full, not yet answered). When the stand-in
            # falls behind reading (1,000 connections at 50 ms ask ~20,000 requests/s of it), peak
            # under-counts the client's own in-flight requests: compare conns with open then.
            header = "  %-30s %7s %9s %7s %9s %6s %6s %6s %8s %7s %s" % (
                "tool", "wall s", "copies/s", "CPU s", "CPU ms/ob", "conns", "open", "peak", "requests", "srv CPU", "")
            print(header)

            def show(name, row):
                bad = row["rc"] != 0 or row["copied"] != row["expected"]
                print("  %-30s %7s %9s %7s %9s %6d %6d %6d %8d %7s %s" % (
                    name, fmt(row["wall"], 2), fmt(row["copies_per_s"], 0), fmt(row["cpu"], 2),
                    fmt(row["cpu_ms_per_object"], 3), row["connections"], row["peak_open"], row["peak_in_flight"],
                    row["requests"],
                    fmt(row["standin_cpu"], 1),
                    ("FAILED rc=%s copied %d/%d %s" % (row["rc"], row["copied"], row["expected"], row["err"][-160:]))
                    if bad else ("slowdowns %d" % row["slowdowns"] if row["slowdowns"] else "")), flush=True)

            # P6a + P6c: default flags
            tools = [("copypt copy", self.copypt_copy(stand)), ("copypt-sweep", self.copypt_sweep(stand)),
                     ("aws s3 cp", self.aws(stand))]
            if _which("rclone"):
                tools.append(("rclone copy", self.rclone(stand)))
            else:
                print("  (rclone not installed: skipped)")
            for name, tool in tools:
                if name not in ("copypt copy", "copypt-sweep") and args.p6_skip_others:
                    continue
                try:
                    row = self.measure(stand, tool, self.fresh_bucket(stand, "a"), n)
                except Exception as e:  # noqa: BLE001 — a tool that cannot start is a result too
                    print("  %-30s ERROR %s" % (name, str(e)[:200]))
                    continue
                results[name] = row
                show(name, row)
            for name in ("copypt copy", "copypt-sweep"):
                row = results.get(name)
                ok = row is not None and row["rc"] == 0 and row["copied"] == n
                self.bench.goal("P6a", "%s default flags >= 2,000 copies/s (%s)" % (
                    name, fmt(row and row["copies_per_s"], 0)), ok and row["copies_per_s"] >= 2000)
                self.bench.goal("P6c", "%s client CPU <= 0.10 ms per object (%s)" % (
                    name, fmt(row and row["cpu_ms_per_object"], 3)), ok and row["cpu_ms_per_object"] <= 0.10)

            # P6b: fixed concurrency
            for c in args.p6_concurrency:
                name = "copypt copy --concurrency %d" % c
                row = self.measure(stand, self.copypt_copy(stand, ["--concurrency", str(c)]), self.fresh_bucket(stand, "b"), n)
                results[name] = row
                show(name, row)
                bound = 1.1 * row["peak_in_flight"] + 1
                self.bench.goal("P6b", "--concurrency %d: connections %d <= 1.1 x peak %d + 1 host" % (
                    c, row["connections"], row["peak_in_flight"]),
                    row["rc"] == 0 and row["copied"] == n and row["connections"] <= bound)

            # P6d: throttled
            limit = args.p6_rate_limit
            stand.configure(rate_limit=limit)
            name = "copypt copy, limit %d/s" % limit
            row = self.measure(stand, self.copypt_copy(stand), self.fresh_bucket(stand, "d"), n)
            stand.configure(rate_limit=0)
            results[name] = row
            show(name, row)
            share = row["slowdowns"] / row["requests"] if row["requests"] else 1.0
            row["slowdown_share"] = share
            print("  throttled: %d SlowDown of %d requests (%.1f %%), %s copies/s = %.0f %% of the limit" % (
                row["slowdowns"], row["requests"], share * 100, fmt(row["copies_per_s"], 0),
                100 * (row["copies_per_s"] or 0) / limit))
            self.bench.goal("P6d", "throttled at %d/s: every object copied (%d/%d)" % (limit, row["copied"], n),
                            row["rc"] == 0 and row["copied"] == n)
            self.bench.goal("P6d", "throttled: SlowDown <= 5 %% of requests (%.1f %%)" % (share * 100), share <= 0.05)
            self.bench.goal("P6d", "throttled: copies/s >= 80 %% of the limit (%s)" % fmt(row["copies_per_s"], 0),
                            (row["copies_per_s"] or 0) >= 0.8 * limit)
            self.bench.results["P6"] = {"objects": n, "latency_ms": args.p6_latency_ms, "rows": results}

        if not args.p6_skip_p2:
            self.p2()

    # MARK: P2 on the stand-in

    def p2(self):
        args = self.args
        size = args.p6_p2_gib * GiB
        per_mib = args.p6_part_ms_per_mib
        with StandIn(latency_ms=args.p6_latency_ms, part_latency_ms_per_mib=per_mib, log_dir=self.srv.log_dir) as stand:
            stand.seed("p2-stg", keys=["big/one.bin"], size=size)
            print("\nP2 on the stand-in: one %d GiB object (size + ETag only), %g ms per request + %g ms per MiB "
                  "of each UploadPartCopy, HTTPS" % (args.p6_p2_gib, args.p6_latency_ms, per_mib))
            print("  %-14s %7s %7s %6s %11s %10s %8s %s" % ("tool", "wall s", "CPU s", "parts", "sum parts s",
                                                           "sum/wall", "peak", "requests"))
            rows = {}

            def copy_tool(dst):
                env = self.env(stand, os.path.join(self.bench.work, "state-p6-p2"))
                # copypt's default threshold (5 GiB) for the 10 GiB object; half the size for a smaller one.
                threshold = "%dMiB" % (min(size // 2, 5 * GiB) // MiB)
                return h.start([self.bench.copypt("copypt"), "copy", "--json", "--multipart-threshold", threshold,
                                "s3://p2-stg/big/one.bin",
                                "s3://%s/big/one.bin" % dst], env=env)

            config = os.path.join(self.bench.work, "aws-config-p6-p2")
            with open(config, "w") as f:
                f.write("[default]\nregion = us-east-1\n")

            def aws_tool(dst):
                env = self.bench.aws_env(stand.url)
                env.update({"AWS_CONFIG_FILE": config, "AWS_CA_BUNDLE": stand.ca})
                return h.start(["aws", "s3", "cp", "--only-show-errors", "--no-progress", "s3://p2-stg/big/one.bin",
                                "s3://%s/big/one.bin" % dst], env=env)

            tools = [("copypt copy", copy_tool)] + ([] if args.p6_skip_others else [("aws s3 cp", aws_tool)])
            for name, tool in tools:
                dst = "p2-dst-%d" % len(rows)
                stand.seed(dst)
                stand.reset()
                r = h.finish(tool(dst), timeout=args.p6_timeout)
                st = stand.stats()
                got = stand.count(dst, "big/")
                parts = st["operations"].get("UploadPartCopy", 0)
                row = {"rc": r.rc, "wall": r.wall, "cpu": r.cpu, "parts": parts,
                       "part_latency_sum": st["part_latency_seconds"], "requests": st["requests"],
                       "peak_parts": st["peak_in_flight_by_operation"].get("UploadPartCopy", 0),
                       "copied_bytes": got["bytes"], "err": r.err.strip()[-300:] if r.rc else ""}
                row["parallelism"] = row["part_latency_sum"] / r.wall if r.wall else None
                rows[name] = row
                ok = r.rc == 0 and got["bytes"] == size
                print("  %-14s %7s %7s %6d %11s %10s %8d %d%s" % (
                    name, fmt(r.wall, 2), fmt(r.cpu, 2), parts, fmt(row["part_latency_sum"], 1),
                    fmt(row["parallelism"], 1) + "x", row["peak_parts"], row["requests"],
                    "" if ok else "  FAILED rc=%s bytes %d: %s" % (r.rc, got["bytes"], row["err"][-160:])), flush=True)
            self.bench.results["P2-standin"] = {"size": size, "part_ms_per_mib": per_mib, "rows": rows}
            row = rows["copypt copy"]
            self.bench.goal("P2", "stand-in: copypt's parts run in parallel (sum of part latencies %s s >= 8 x wall %s s)" % (
                fmt(row["part_latency_sum"], 1), fmt(row["wall"], 1)),
                row["rc"] == 0 and row["copied_bytes"] == size and (row["parallelism"] or 0) >= 8)


def _which(name):
    import shutil
    return shutil.which(name)


def fmt(x, digits=3):
    return "-" if x is None else ("%.*f" % (digits, x))


def add_arguments(p):
    p.add_argument("--p6-objects", type=int, default=20_000, help="P6 object count (default 20,000)")
    p.add_argument("--p6-latency-ms", type=float, default=50.0, help="P6 per-request latency (default 50 ms)")
    p.add_argument("--p6-concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[16, 64, 256, 1000],
                   help="P6b's fixed concurrencies (default 16,64,256,1000)")
    p.add_argument("--p6-rate-limit", type=int, default=800, help="P6d's stand-in limit in requests/s (default 800)")
    p.add_argument("--p6-skip-others", action="store_true", help="P6: copypt only (no aws, no rclone)")
    p.add_argument("--p6-skip-p2", action="store_true", help="P6: leave out P2 on the stand-in")
    p.add_argument("--p6-p2-gib", type=int, default=10, help="P2 on the stand-in: object size in GiB (default 10)")
    p.add_argument("--p6-part-ms-per-mib", type=float, default=10.0,
                   help="P2 on the stand-in: UploadPartCopy latency per MiB (default 10 ms, ~100 MiB/s per part)")
    p.add_argument("--p6-timeout", type=float, default=1200.0, help="P6: the longest one tool may run (default 1,200 s)")
