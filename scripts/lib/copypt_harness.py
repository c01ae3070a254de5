"""copypt_harness: shared machinery for scripts/trials and scripts/bench.

Python 3 standard library + boto3 (which comes with moto). Everything talks to 127.0.0.1 only.

    with Servers(part_min_size=...) as srv:        # moto_server + globus-emulator (+ proxies)
        s3 = srv.s3()                               # boto3 client straight to moto
        put_objects(s3, "staging", {"a/b": b"..."})
        client = srv.globus.register_client()      # service account
        task = srv.globus.create_task(client, files, status="ACTIVE")
        env = srv.env(state_dir, config_dir)        # what copypt reads
        r = run([bin_path("copypt-sweep"), "--once"], env=env)   # rc, out, err, wall, cpu, maxrss
        report = verify_copy(s3, "staging", "run/", "dest", "in/run/")

Every child process started here is in its own process group and is killed when its context
manager exits, on an exception, on SIGINT/SIGTERM (turned into KeyboardInterrupt/SystemExit by
install_signal_handlers) and, as a last resort, at interpreter exit (atexit).
"""

import atexit
import concurrent.futures
import contextlib
import hashlib
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")
LOOPBACK = "127.0.0.1"

# Fake credentials: moto runs with auth off, so any value works. Trials override them (R5).
DEFAULT_SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAHARNESSHARNESS00",
    "AWS_SECRET_ACCESS_KEY": "harness-secret-key-not-real",
    "COPYPT_GLOBUS_CLIENT_ID": "harness-service-account",
    "COPYPT_GLOBUS_CLIENT_SECRET": "harness-client-secret-not-real",
}

# MARK: - process bookkeeping

_children = set()
_children_lock = threading.Lock()


def _kill_group(proc, grace=2.0):
    """SIGTERM the process group of proc, then SIGKILL after grace seconds."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@atexit.register
def _kill_all_children():
    with _children_lock:
        procs = list(_children)
        _children.clear()
    for proc in procs:
        _kill_group(proc, grace=0.5)


def install_signal_handlers():
    """SIGINT → KeyboardInterrupt and SIGTERM/SIGHUP → SystemExit(143), so `with` blocks clean up."""
    def on_term(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)


def free_port():
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_port(port, proc=None, timeout=30.0, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with %s before listening on %d%s" % (
                proc.returncode, port, _tail(log)))
        try:
            socket.create_connection((LOOPBACK, port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on 127.0.0.1:%d after %.0f s%s" % (port, timeout, _tail(log)))


def _tail(path, n=800):
    if not path or not os.path.exists(path):
        return ""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - n))
        return "\n--- %s ---\n%s" % (path, f.read().decode("utf-8", "replace"))


class Server:
    """A child process serving HTTP on a loopback port; a context manager that always kills it."""

    def __init__(self, name, argv, port, env=None, log_dir=None, health_path=None):
        self.name, self.argv, self.port = name, argv, port
        self.env = dict(os.environ, **(env or {}))
        self.log_path = os.path.join(log_dir or tempfile.gettempdir(), "%s-%d.log" % (name, port))
        self.health_path = health_path
        self.proc = None

    @property
    def url(self):
        return "http://%s:%d" % (LOOPBACK, self.port)

    def start(self):
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        with _children_lock:
            _children.add(self.proc)
        wait_port(self.port, self.proc, log=self.log_path)
        return self

    def stop(self):
        if self.proc is None:
            return
        _kill_group(self.proc)
        with _children_lock:
            _children.discard(self.proc)
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def request(self, method, path, doc=None, timeout=30):
        """A JSON request to this server (control APIs); returns the decoded answer."""
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=timeout)
        try:
            body = None if doc is None else json.dumps(doc).encode()
            headers = {"Content-Type": "application/json"} if body is not None else {}
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            if resp.status >= 400:
                raise RuntimeError("%s %s %s -> %d %s" % (self.name, method, path, resp.status, data[:300]))
            return json.loads(data) if data else None
        finally:
            conn.close()


def moto_server(port=None, log_dir=None, part_min_size=None):
    """moto_server on a free loopback port (auth off: moto's default). part_min_size lowers
    S3's 5 MiB multipart minimum (moto's S3_UPLOAD_PART_MIN_SIZE)."""
    port = port or free_port()
    env = {}
    if part_min_size is not None:
        env["S3_UPLOAD_PART_MIN_SIZE"] = str(part_min_size)
    exe = shutil.which("moto_server") or os.path.expanduser("~/.local/bin/moto_server")
    return Server("moto", [exe, "-H", LOOPBACK, "-p", str(port)], port, env=env, log_dir=log_dir)


class GlobusEmulator(Server):
    """scripts/globus-emulator with helpers for its control API (see its docstring)."""

    def __init__(self, port=None, log_dir=None, page_size=None):
        port = port or free_port()
        argv = [sys.executable, os.path.join(SCRIPTS, "globus-emulator"), str(port)]
        if page_size:
            argv += ["--page-size", str(page_size)]
        super().__init__("globus-emulator", argv, port, log_dir=log_dir)

    def register_client(self, client_id=None, client_secret=None, identity_id=None):
        client_id = client_id or DEFAULT_SECRETS["COPYPT_GLOBUS_CLIENT_ID"]
        client_secret = client_secret or DEFAULT_SECRETS["COPYPT_GLOBUS_CLIENT_SECRET"]
        answer = self.request("POST", "/_emulator/clients", {
            "client_id": client_id, "client_secret": client_secret,
            "identity_id": identity_id or str(uuid.uuid5(uuid.NAMESPACE_URL, client_id)),
            "username": client_id + "@clients.auth.globus.org"})
        return answer["identity_id"]

    def create_task(self, owner_id, keys_sizes, bucket, status="ACTIVE", label=None, globus_root=None):
        """One task that delivered `keys_sizes` ({key: size}) into s3://bucket/ (an S3 collection
        rooted at the bucket: destination_path = /bucket/key unless globus_root is given)."""
        root = globus_root if globus_root is not None else "/" + bucket + "/"
        files = [{"source_path": "/lab/" + k, "destination_path": root + k, "size": s}
                 for k, s in keys_sizes.items()]
        spec = {"owner_id": owner_id, "status": status, "files": files}
        if label:
            spec["label"] = label
        return self.request("POST", "/_emulator/tasks", {"tasks": [spec]})["task_ids"][0]

    def create_tasks(self, owner_id, count, status="ACTIVE"):
        return self.request("POST", "/_emulator/tasks",
                            {"count": count, "owner_id": owner_id, "status": status})["task_ids"]

    def set_task(self, task_id, **update):
        return self.request("POST", "/_emulator/tasks/" + task_id, update)

    def requests_log(self):
        return self.request("GET", "/_emulator/requests")["requests"]

    def clear_requests(self):
        self.request("DELETE", "/_emulator/requests")

    def faults(self, **doc):
        self.request("POST", "/_emulator/faults", doc)

    def clear_faults(self):
        self.request("DELETE", "/_emulator/faults")

    # Task submission (scripts/lib/globus_emulator_submit.py)

    def register_folder_collection(self, root, consent=False, **extra):
        """A source collection backed by the local folder `root`; returns its id."""
        return self.request("POST", "/_emulator/collections",
                            dict(extra, type="posix", root=root, data_access_consent=consent))["id"]

    def register_s3_collection(self, endpoint_url, consent=False, **extra):
        """A staging S3 collection on `endpoint_url` (Globus path /BUCKET/KEY); returns its id."""
        return self.request("POST", "/_emulator/collections",
                            dict(extra, type="s3", endpoint_url=endpoint_url, data_access_consent=consent))["id"]

    def configure_submissions(self, **settings):
        """active_polls, lose_replies, lose_reply_status, fail_next, fail_code, fail_description."""
        self.request("POST", "/_emulator/submit", settings)

    def submissions(self):
        return self.request("GET", "/_emulator/submissions")


class FaultProxy(Server):
    """scripts/fault-proxy in front of `upstream` (a Server); see its docstring for the control API."""

    def __init__(self, upstream, port=None, log_dir=None, name="fault-proxy", seed=None):
        port = port or free_port()
        argv = [sys.executable, os.path.join(SCRIPTS, "fault-proxy"), "--port", str(port),
                "--upstream", upstream.url]
        if seed is not None:
            argv += ["--seed", str(seed)]
        super().__init__(name, argv, port, log_dir=log_dir)
        self.upstream = upstream

    def configure(self, **doc):
        return self.request("POST", "/_proxy/config", doc)

    def stats(self):
        return self.request("GET", "/_proxy/stats")

    def reset(self):
        return self.request("POST", "/_proxy/reset", {})


class Servers(contextlib.ExitStack):
    """moto + the Globus emulator, optionally each behind a fault proxy; `env()` points copypt
    at the proxies when they exist (else straight at the servers)."""

    def __init__(self, log_dir=None, part_min_size=None, proxies=False, page_size=None, seed=None):
        super().__init__()
        self.log_dir = log_dir or tempfile.mkdtemp(prefix="copypt-harness-logs.")
        os.makedirs(self.log_dir, exist_ok=True)
        self._opts = dict(part_min_size=part_min_size, proxies=proxies, page_size=page_size, seed=seed)
        self.moto = self.globus = self.s3_proxy = self.globus_proxy = None

    def __enter__(self):
        super().__enter__()
        try:
            self.moto = self.enter_context(moto_server(log_dir=self.log_dir,
                                                       part_min_size=self._opts["part_min_size"]))
            self.globus = self.enter_context(GlobusEmulator(log_dir=self.log_dir,
                                                            page_size=self._opts["page_size"]))
            if self._opts["proxies"]:
                self.s3_proxy = self.enter_context(FaultProxy(self.moto, log_dir=self.log_dir,
                                                              name="s3-proxy", seed=self._opts["seed"]))
                self.globus_proxy = self.enter_context(FaultProxy(self.globus, log_dir=self.log_dir,
                                                                  name="globus-proxy", seed=self._opts["seed"]))
        except BaseException:
            self.close()
            raise
        return self

    @property
    def s3_url(self):
        return (self.s3_proxy or self.moto).url

    @property
    def globus_url(self):
        return (self.globus_proxy or self.globus).url

    def s3(self, direct=True):
        return s3_client(self.moto.url if direct else self.s3_url)

    def env(self, state_dir, config_dir=None, secrets=None, extra=None, direct=False):
        """The environment copypt runs in: only what it documents, plus PATH/HOME/LANG."""
        secrets = dict(DEFAULT_SECRETS, **(secrets or {}))
        s3_url = self.moto.url if direct else self.s3_url
        globus_url = (self.globus.url if direct else self.globus_url) + "/"
        config_dir = config_dir or os.path.join(os.path.dirname(state_dir.rstrip("/")), "config")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.path.dirname(config_dir.rstrip("/")),
            "LANG": "C.UTF-8",
            "AWS_ENDPOINT_URL_S3": s3_url,
            "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.path.join(config_dir, "aws-config-absent"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(config_dir, "aws-credentials-absent"),
            "GLOBUS_SDK_SERVICE_URL_AUTH": globus_url,
            "GLOBUS_SDK_SERVICE_URL_TRANSFER": globus_url,
            "COPYPT_STATE_DIR": state_dir,
            "XDG_CONFIG_HOME": config_dir,
        }
        env.update(secrets)
        env.update(extra or {})
        return {k: v for k, v in env.items() if v is not None}


# MARK: - S3 (boto3, straight to moto)

def s3_client(endpoint_url, max_pool=64):
    import boto3
    from botocore.config import Config
    return boto3.client(
        "s3", endpoint_url=endpoint_url, region_name="us-east-1",
        aws_access_key_id=DEFAULT_SECRETS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DEFAULT_SECRETS["AWS_SECRET_ACCESS_KEY"],
        config=Config(max_pool_connections=max_pool, retries={"max_attempts": 10, "mode": "standard"},
                      s3={"addressing_style": "path"}))


def create_buckets(s3, *names):
    for name in names:
        s3.create_bucket(Bucket=name)


def _parallel(fn, items, threads=16):
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, items))


def put_objects(s3, bucket, objects, threads=16):
    """objects: {key: bytes}; multipart-free PutObject with `threads` threads."""
    _parallel(lambda kv: s3.put_object(Bucket=bucket, Key=kv[0], Body=kv[1]), list(objects.items()), threads)


def object_body(key, size, salt=b""):
    """Deterministic content for a key: different keys (and salts) give different bytes."""
    seed = hashlib.sha256(salt + key.encode()).digest()
    reps = size // len(seed) + 1
    return (seed * reps)[:size]


def list_all(s3, bucket, prefix=""):
    """{key: {"Size", "ETag"}} of every object under prefix."""
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            out[o["Key"]] = {"Size": o["Size"], "ETag": o["ETag"]}
    return out


def list_multipart_uploads(s3, bucket):
    uploads = []
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
        uploads.extend({"Key": u["Key"], "UploadId": u["UploadId"]} for u in page.get("Uploads", []))
    return uploads


def sha256_of(s3, bucket, key):
    h = hashlib.sha256()
    body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    for chunk in iter(lambda: body.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def verify_copy(s3, src_bucket, src_prefix, dst_bucket, dst_prefix, content=True, threads=16, expected=None):
    """Independent check of a finished copy. Returns a dict:
    lost (staging keys with no destination object), wrong (size or content differs), extra
    (destination keys with no staging object), orphans (multipart uploads left in dst_bucket),
    objects (staging objects compared). `expected` ({relative key: sha256}) compares the
    destination with known content instead of today's staging content."""
    src = list_all(s3, src_bucket, src_prefix)
    dst = list_all(s3, dst_bucket, dst_prefix)
    src_rel = {k[len(src_prefix):]: v for k, v in src.items()}
    dst_rel = {k[len(dst_prefix):]: v for k, v in dst.items()}
    lost = sorted(set(src_rel) - set(dst_rel))
    extra = sorted(set(dst_rel) - set(src_rel))
    common = sorted(set(src_rel) & set(dst_rel))
    wrong = [r for r in common if src_rel[r]["Size"] != dst_rel[r]["Size"]]
    if content:
        def differs(rel):
            want = expected[rel] if expected and rel in expected else sha256_of(s3, src_bucket, src_prefix + rel)
            return rel if sha256_of(s3, dst_bucket, dst_prefix + rel) != want else None
        candidates = [r for r in common if r not in wrong]
        wrong += [r for r in _parallel(differs, candidates, threads) if r]
    orphans = list_multipart_uploads(s3, dst_bucket)
    return {"objects": len(src_rel), "lost": lost, "wrong": sorted(wrong), "extra": extra, "orphans": orphans}


# MARK: - records

def read_records(state_dir):
    """{id: record dict or None (corrupt)} for every transfers/*.json; plus a list of problems."""
    tdir = os.path.join(state_dir, "transfers")
    records, problems = {}, []
    if not os.path.isdir(tdir):
        return records, problems
    for name in sorted(os.listdir(tdir)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(tdir, name)
        try:
            with open(path, "rb") as f:
                doc = json.loads(f.read())
            if not isinstance(doc, dict) or doc.get("version") != 1 or "state" not in doc:
                raise ValueError("not a version-1 record")
            records[name[:-5]] = doc
        except (ValueError, OSError) as e:
            records[name[:-5]] = None
            problems.append("%s: %s" % (name, e))
    return records, problems


def verify_records(state_dir, expected_state="done"):
    """Counts: corrupt (unparseable/unknown version), not_expected (state differs), states."""
    records, problems = read_records(state_dir)
    states = {}
    for doc in records.values():
        if doc is not None:
            states[doc["state"]] = states.get(doc["state"], 0) + 1
    not_expected = [i for i, d in records.items() if d is not None and d["state"] != expected_state]
    return {"records": len(records), "corrupt": problems, "not_expected": not_expected, "states": states}


def write_record(state_dir, record):
    """Write a record file directly (fast set-up for thousands of records), 0600 in a 0700 dir."""
    tdir = os.path.join(state_dir, "transfers")
    os.makedirs(tdir, mode=0o700, exist_ok=True)
    os.chmod(state_dir, 0o700)
    path = os.path.join(tdir, record["id"] + ".json")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)


def make_record(record_id, task_id, src, dst, globus_path, state="waiting", created="2026-11-25T00:00:00Z"):
    """A version-1 record with the keys TransferRecord.swift writes (all present, absent as null)."""
    return {
        "version": 1, "id": record_id, "label": None, "globus_task_id": task_id,
        "from": src, "to": dst, "globus_path": globus_path,
        "options": {"acl": "bucket-owner-full-control", "storage_class": None, "sse": None,
                    "sse_kms_key_id": None, "dest_owner": None, "source_owner": None,
                    "delete_staging": False, "profile": None},
        "state": state, "created_at": created, "updated_at": created, "globus_status": None,
        "progress": {"objects_total": None, "objects_done": 0, "bytes_total": None, "bytes_done": 0},
        "last_error": None, "attempts": 0, "plan_source": None, "notes": [],
    }


def snapshot_tree(path):
    """{relative path: (mode, sha256)} of every file and dir under path (for 'nothing changed')."""
    snap = {}
    if not os.path.exists(path):
        return snap
    for dirpath, dirnames, filenames in os.walk(path):
        rel = os.path.relpath(dirpath, path)
        snap[rel + "/"] = (os.stat(dirpath).st_mode, None)
        for name in filenames:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as f:
                snap[os.path.join(rel, name)] = (os.stat(full).st_mode, hashlib.sha256(f.read()).hexdigest())
    return snap


def diff_snapshots(before, after):
    changed = [k for k in set(before) | set(after) if before.get(k) != after.get(k)]
    return sorted(changed)


# MARK: - copypt executables

_bin_dirs = {}


def build_copypt(release=False, quiet=True):
    """swift build (debug, or -c release --static-swift-stdlib) with the harness's own scratch path; returns the bin dir.
    COPYPT_BIN_DIR overrides (use an existing build)."""
    if os.environ.get("COPYPT_BIN_DIR"):
        return os.environ["COPYPT_BIN_DIR"]
    key = "release" if release else "debug"
    if key in _bin_dirs:
        return _bin_dirs[key]
    args = ["swift", "build", "--scratch-path", os.path.join(ROOT, ".build-harness")]
    if release:
        # As README's install step: the Swift runtime linked in saves ~15 ms of start-up (P5).
        args += ["-c", "release", "--static-swift-stdlib"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise RuntimeError("swift build failed (%d)" % result.returncode)
    path = subprocess.run(args + ["--show-bin-path"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    _bin_dirs[key] = path
    return path


class Result:
    """What one run of a command did: rc, out, err (str), wall (s), user/sys CPU (s), maxrss (KiB)."""

    def __init__(self, argv, rc, out, err, wall, user, sys_, maxrss, timed_out=False):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err
        self.wall, self.user, self.sys, self.maxrss = wall, user, sys_, maxrss
        self.timed_out = timed_out

    @property
    def cpu(self):
        return self.user + self.sys

    @property
    def crashed(self):
        """Killed by a signal we did not send, or a Swift runtime trap."""
        return self.rc < 0 or self.rc >= 128 or "Fatal error" in self.err or "Stack dump" in self.err

    def __repr__(self):
        return "Result(rc=%s wall=%.3f cpu=%.3f rss=%dKiB %s)" % (
            self.rc, self.wall, self.cpu, self.maxrss, " ".join(self.argv[:3]))


GNU_TIME = "/usr/bin/time"


def start(argv, env=None, cwd=None, stdin=None, rss=False):
    """Popen with stdout/stderr to temporary files (no pipe deadlocks), own process group.

    rss=True runs the command under GNU time (/usr/bin/time -f %M) when it exists, for an honest
    peak RSS: wait4's ru_maxrss of a child we fork includes OUR resident size at the moment it
    exec'd (Linux carries the old mm's high-water mark over exec), which for a Python harness that
    holds test data is far larger than copypt's. GNU time is small, so its child starts clean."""
    rss_file = None
    if rss and os.path.exists(GNU_TIME):
        fd, rss_file = tempfile.mkstemp(prefix="copypt-rss.")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file, "--"] + list(argv)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            start_new_session=True)
    proc._harness_files = (out, err)
    proc._harness_t0 = time.monotonic()
    proc._harness_rss_file = rss_file
    if stdin is not None:
        proc.stdin.write(stdin if isinstance(stdin, bytes) else stdin.encode())
        proc.stdin.close()
    with _children_lock:
        _children.add(proc)
    return proc


def finish(proc, timeout=None):
    """Wait for a process from start() with os.wait4 (its own rusage); kill its group on timeout."""
    timed_out = []

    def on_timeout():
        timed_out.append(True)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    timer = threading.Timer(timeout, on_timeout) if timeout else None
    if timer:
        timer.start()
    try:
        while True:
            try:
                _, status, usage = os.wait4(proc.pid, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:  # already reaped (e.g. by proc.poll())
                status, usage = None, None
                break
    finally:
        if timer:
            timer.cancel()
    wall = time.monotonic() - proc._harness_t0
    if status is not None:
        rc = os.waitstatus_to_exitcode(status)
        proc.returncode = rc
    else:
        rc = proc.returncode
    with _children_lock:
        _children.discard(proc)
    out_f, err_f = proc._harness_files
    out_f.seek(0)
    err_f.seek(0)
    out, err = out_f.read().decode("utf-8", "replace"), err_f.read().decode("utf-8", "replace")
    out_f.close()
    err_f.close()
    user = usage.ru_utime if usage else 0.0
    sys_ = usage.ru_stime if usage else 0.0
    maxrss = usage.ru_maxrss if usage else 0
    argv = list(proc.args)
    if proc._harness_rss_file:
        argv = argv[5:]
        try:
            with open(proc._harness_rss_file) as f:
                lines = [l for l in f.read().splitlines() if l.strip()]
            maxrss = int(lines[-1])
        except (OSError, ValueError, IndexError):
            maxrss = 0  # killed before GNU time could report: unknown
        os.unlink(proc._harness_rss_file)
    return Result(argv, rc, out, err, wall, user, sys_, maxrss, bool(timed_out))


def alive(proc):
    """True while proc runs; unlike proc.poll() it does not reap it, so finish() still gets its rusage."""
    try:
        info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return False
    return info is None


def run(argv, env=None, timeout=300, cwd=None, stdin=None, rss=False):
    """Run a command to completion; Result with its own wall, CPU and peak RSS (see start)."""
    return finish(start(argv, env=env, cwd=cwd, stdin=stdin, rss=rss), timeout=timeout)


def run_json_lines(text):
    """Parse every line of text that is a JSON object; ignore the rest."""
    docs = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                docs.append(json.loads(line))
            except ValueError:
                pass
    return docs


def median(values):
    values = sorted(values)
    if not values:
        return float("nan")
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
