"""s3control_jobs: the jobs of scripts/s3control-standin and the thread that runs each one.

A job runs S3PutObjectCopy over its CSV manifest against moto (or only records the copies, for
benchmarks), moving New → Preparing → (Suspended until confirmed) → Ready → Active → Completing →
Complete, or to Failed / Cancelled / Suspended on demand, and writes the completion report.
"""

import collections
import csv
import datetime
import hashlib
import http.client
import io
import json
import re
import tempfile
import threading
import time
import uuid
from urllib.parse import quote, unquote, urlsplit

TERMINAL = ("Complete", "Failed", "Cancelled")
THRESHOLD_TASKS = 1000  # the task-failure threshold applies after this many tasks
# moto (authentication off) still answers 403 to a request without any Authorization header.
OWN_AUTHORIZATION = ("AWS4-HMAC-SHA256 Credential=AKIAS3CONTROLSTANDIN/20260101/us-east-1/s3/aws4_request, "
                     "SignedHeaders=host, Signature=" + "0" * 64)


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class Moto:
    """A keep-alive HTTP/1.1 connection per thread to the S3 upstream (moto, authentication off)."""

    def __init__(self, url, stats):
        u = urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.local = threading.local()
        self.stats = stats

    def request(self, method, path, headers=None, body=None, op="other"):
        self.stats.count("upstream", op)
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                h = dict(headers or {})
                h["Authorization"] = OWN_AUTHORIZATION
                conn.request(method, path, body=body, headers=h)
                resp = conn.getresponse()
                return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), resp.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise

    def get_to_file(self, bucket, key, fileobj):
        """Streams an object into fileobj; returns (status, headers, error body)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        try:
            self.stats.count("upstream", "GetObject")
            conn.request("GET", "/%s/%s" % (bucket, quote(key, safe="/~")), headers={"Authorization": OWN_AUTHORIZATION})
            resp = conn.getresponse()
            headers = dict((k.lower(), v) for k, v in resp.getheaders())
            if resp.status != 200:
                return resp.status, headers, resp.read()
            while True:
                chunk = resp.read(1 << 20)
                if not chunk:
                    break
                fileobj.write(chunk)
            return 200, headers, b""
        finally:
            conn.close()


class Stats:
    """Counters by group and name, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.groups = collections.defaultdict(collections.Counter)

    def count(self, group, name, n=1):
        with self.lock:
            self.groups[group][name] += n

    def snapshot(self):
        with self.lock:
            return {g: dict(c) for g, c in self.groups.items()}

    def reset(self):
        with self.lock:
            self.groups.clear()


def _error_parts(body):
    text = body.decode("utf-8", "replace")
    code = re.search(r"<Code>([^<]*)</Code>", text)
    msg = re.search(r"<Message>([^<]*)</Message>", text)
    return (code.group(1) if code else "", msg.group(1) if msg else text[:200])


def parse_arn_object(arn):
    """arn:aws:s3:::bucket/key → (bucket, key) or None."""
    m = re.fullmatch(r"arn:[^:]+:s3:::([^/]+)/(.+)", arn)
    return (m.group(1), m.group(2)) if m else None


def parse_arn_bucket(arn):
    m = re.fullmatch(r"arn:[^:]+:s3:::([^/]+)", arn)
    return m.group(1) if m else None


def target_key(prefix, key):
    """S3PutObjectCopy's key rule: TargetKeyPrefix + "/" + the whole source key; the key itself
    without a prefix (API reference, S3CopyObjectOperation.TargetKeyPrefix, and aws/aws-sdk#355)."""
    return key if not prefix else prefix + "/" + key


class Job:
    def __init__(self, account, request, knobs):
        self.id = str(uuid.uuid4())
        self.account = account
        self.request = request
        self.knobs = dict(knobs)          # the knobs as they were when the job was created
        self.lock = threading.Condition()
        self.status = "New"
        self.created = now()
        self.terminated = None
        self.total = None
        self.succeeded = 0
        self.failed = 0
        self.failure_reasons = []
        self.status_reason = None
        self.suspended_date = None
        self.suspended_cause = None
        self.polls = 0                    # DescribeJob calls seen in the current status
        self.confirmed = False
        self.cancel = False
        self.forced = None                # {"status", "code", "reason"} from the admin API
        self.report_keys = []
        self.started = None
        self.finished = None

    # -- status ----------------------------------------------------------------------------------

    def set_status(self, status, reason=None):
        with self.lock:
            self.status = status
            self.polls = 0
            if reason:
                self.status_reason = reason
            if status in TERMINAL:
                self.terminated = now()
                self.finished = time.time()
            self.lock.notify_all()

    def polled(self):
        with self.lock:
            self.polls += 1
            self.lock.notify_all()

    def wait_polls(self):
        """Stays in the current status until DescribeJob has seen it polls_per_state times."""
        need = int(self.knobs.get("polls_per_state", 0))
        with self.lock:
            while self.polls < need and not self.cancel and self.forced is None:
                self.lock.wait(0.5)

    def descriptor(self):
        with self.lock:
            d = {
                "JobId": self.id,
                "ConfirmationRequired": bool(self.request.get("ConfirmationRequired", True)),
                "JobArn": "arn:aws:s3:us-east-1:%s:job/%s" % (self.account, self.id),
                "Status": self.status,
                "Manifest": self.request.get("Manifest"),
                "Operation": self.request.get("Operation"),
                "Priority": self.request.get("Priority"),
                "ProgressSummary": self.progress(),
                "Report": self.request.get("Report"),
                "CreationTime": self.created,
                "RoleArn": self.request.get("RoleArn"),
            }
            if self.request.get("Description"):
                d["Description"] = self.request["Description"]
            if self.status_reason:
                d["StatusUpdateReason"] = self.status_reason[:256]
            if self.failure_reasons:
                d["FailureReasons"] = list(self.failure_reasons)
            if self.terminated:
                d["TerminationDate"] = self.terminated
            if self.suspended_date:
                d["SuspendedDate"] = self.suspended_date
                d["SuspendedCause"] = self.suspended_cause
            return d

    def progress(self):
        p = {"NumberOfTasksSucceeded": self.succeeded, "NumberOfTasksFailed": self.failed}
        if self.total is not None:
            p["TotalNumberOfTasks"] = self.total
        return p

    def list_descriptor(self):
        with self.lock:
            d = {"JobId": self.id, "Operation": next(iter(self.request.get("Operation") or {"S3PutObjectCopy": 0})),
                 "Priority": self.request.get("Priority"), "Status": self.status, "CreationTime": self.created,
                 "ProgressSummary": self.progress()}
            if self.request.get("Description"):
                d["Description"] = self.request["Description"]
            if self.terminated:
                d["TerminationDate"] = self.terminated
            return d

    def summary(self):
        with self.lock:
            return {"id": self.id, "status": self.status, "total": self.total, "succeeded": self.succeeded,
                    "failed": self.failed, "report_keys": list(self.report_keys),
                    "failure_reasons": list(self.failure_reasons), "token": self.request.get("ClientRequestToken"),
                    "seconds": (self.finished - self.started) if self.started and self.finished else None}


class Runner(threading.Thread):
    """Runs one job to its end."""

    def __init__(self, job, moto, stats, copy_pool):
        super().__init__(daemon=True, name="job-" + job.id[:8])
        self.job, self.moto, self.stats, self.pool = job, moto, stats, copy_pool

    def run(self):
        job = self.job
        job.started = time.time()
        try:
            self._run()
        except Exception as e:  # the stand-in's own fault: the job fails, the server lives
            job.failure_reasons.append({"FailureCode": "InternalError", "FailureReason": ("stand-in: %r" % e)[:256]})
            job.set_status("Failed")

    def _fail(self, code, reason):
        self.job.failure_reasons.append({"FailureCode": code, "FailureReason": reason[:256]})
        self.job.set_status("Failed")

    def _forced_end(self):
        """Ends the job as the admin API asked; True when it did."""
        job = self.job
        if job.cancel:
            job.set_status("Cancelling")
            job.set_status("Cancelled", job.status_reason)
            return True
        f = job.forced
        if f is None:
            return False
        status = f.get("status", "Failed")
        if status == "Suspended":
            with job.lock:
                job.suspended_date = now()
                job.suspended_cause = f.get("reason", "Suspended on demand (stand-in admin API).")[:1024]
                job.forced = None
            job.set_status("Suspended")
            with job.lock:
                while not job.confirmed and not job.cancel and job.forced is None:
                    job.lock.wait(0.5)
                job.confirmed = False
            if job.cancel or job.forced is not None:
                return self._forced_end()
            job.set_status("Active")
            return False
        if status == "Failed":
            job.set_status("Failing")
            job.failure_reasons.append({"FailureCode": f.get("code", "JobFailed"),
                                        "FailureReason": f.get("reason", "Failed on demand (stand-in admin API).")[:256]})
            job.set_status("Failed")
            return True
        job.set_status("Cancelling")
        job.set_status("Cancelled", f.get("reason", "Cancelled on demand (stand-in admin API)."))
        return True

    def _run(self):
        job, req = self.job, self.job.request
        job.set_status("Preparing")
        job.wait_polls()
        manifest = req["Manifest"]
        loc = parse_arn_object(manifest["Location"]["ObjectArn"])
        if loc is None:
            return self._fail("InvalidManifest", "Manifest ObjectArn %s does not name an object "
                              "(arn:aws:s3:::bucket/key)." % manifest["Location"]["ObjectArn"])
        spool = tempfile.TemporaryFile()
        status, headers, body = self.moto.get_to_file(loc[0], loc[1], spool)
        if status != 200:
            code, msg = _error_parts(body)
            return self._fail("ManifestNotFound" if status == 404 else code or str(status),
                              "Reading the manifest s3://%s/%s failed: %d %s %s" % (loc[0], loc[1], status, code, msg))
        etag = headers.get("etag", "").strip('"')
        if etag != manifest["Location"]["ETag"].strip('"'):
            return self._fail("ManifestETagMismatch", "The manifest's ETag is %s, not %s as the job names." % (
                etag, manifest["Location"]["ETag"]))
        fields = manifest["Spec"].get("Fields") or []
        spool.seek(0)
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        total = 0
        try:
            for n, row in enumerate(csv.reader(text), 1):
                if not row:
                    continue
                if len(row) != len(fields):
                    return self._fail("InvalidManifestContent", "Manifest line %d has %d fields; the job names %d (%s)."
                                      % (n, len(row), len(fields), ",".join(fields)))
                total += 1
        except (csv.Error, UnicodeDecodeError) as e:
            return self._fail("InvalidManifestContent", "The manifest is not UTF-8 CSV: %s" % e)
        finally:
            text.detach()
        with job.lock:
            job.total = total
        if req.get("ConfirmationRequired", True):
            # Absent counts as true: the service puts such jobs in Suspended (aws/aws-sdk-go-v2#1814).
            with job.lock:
                job.suspended_date = now()
                job.suspended_cause = "The job requires confirmation (ConfirmationRequired true or absent)."
            job.set_status("Suspended")
            with job.lock:
                while not job.confirmed and not job.cancel and job.forced is None:
                    job.lock.wait(0.5)
            if job.cancel or job.forced is not None:
                if self._forced_end():
                    return
        job.set_status("Ready")
        job.set_status("Active")
        job.wait_polls()
        report = Report(job, self.moto, self.stats)
        try:
            if not self._copy_all(spool, fields, report):
                report.write()
                return
            job.set_status("Completing")
            report.write()
        finally:
            spool.close()
        job.wait_polls()
        job.set_status("Complete")

    def _copy_all(self, spool, fields, report):
        """Runs every task; False when the job was ended early (already in its final status)."""
        job, op = self.job, self.job.request["Operation"]["S3PutObjectCopy"]
        spool.seek(0)
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        reader = csv.reader(text)
        idx = {f: i for i, f in enumerate(fields)}
        end = job.knobs.get("end") or None
        stop_after = (end or {}).get("after_tasks", 0)
        copier = Copier(op, self.moto, job.knobs, self.stats)
        sem = threading.Semaphore(max(1, int(job.knobs.get("workers", 8))) * 4)
        done = [0]

        def finish(row, result):
            try:
                report.add(row, result)
                with job.lock:
                    if result[0] == "succeeded":
                        job.succeeded += 1
                    else:
                        job.failed += 1
                    done[0] += 1
            finally:
                sem.release()

        submitted = 0

        def drain():
            while True:
                with job.lock:
                    if done[0] >= submitted:
                        return
                time.sleep(0.01)

        for row in reader:
            if not row:
                continue
            if end and stop_after is not None and submitted >= stop_after:
                job.forced = {k: v for k, v in end.items() if k != "after_tasks"}
                end = None
            with job.lock:
                attempted, failed = job.succeeded + job.failed, job.failed
            if attempted >= THRESHOLD_TASKS and 2 * failed > attempted and job.forced is None:
                # The service's task-failure threshold: past 1,000 tasks, more than half failed.
                job.forced = {"status": "Failed", "code": "TaskFailureThresholdExceeded", "reason": (
                    "%d of the first %d tasks failed (more than 50%% after at least 1,000 tasks)"
                    % (failed, attempted))}
            if job.cancel or job.forced is not None:
                drain()
                if self._forced_end():
                    text.detach()
                    return False
            bucket = row[idx["Bucket"]]
            key = row[idx["Key"]]
            version = row[idx["VersionId"]] if "VersionId" in idx else ""
            sem.acquire()
            with job.lock:
                submitted += 1
            self.pool.submit(lambda b=bucket, k=key, v=version: finish((b, k, v), copier.copy(b, k, v)))
        drain()
        text.detach()
        if job.cancel or job.forced is not None:
            return not self._forced_end()
        return True


class Copier:
    """One S3PutObjectCopy task: CopyObject on moto, or a recorded no-op in record-only mode."""

    def __init__(self, op, moto, knobs, stats):
        self.moto, self.knobs, self.stats = moto, knobs, stats
        self.dst = parse_arn_bucket(op.get("TargetResource", "")) or ""
        self.prefix = op.get("TargetKeyPrefix")
        self.fail = [(re.compile(f["pattern"]), f) for f in knobs.get("fail_tasks", [])]
        self.delay = float(knobs.get("task_delay", 0))
        h = {}
        if op.get("StorageClass"):
            h["x-amz-storage-class"] = op["StorageClass"]
        if op.get("CannedAccessControlList"):
            h["x-amz-acl"] = op["CannedAccessControlList"]
        meta = op.get("NewObjectMetadata") or {}
        if op.get("SSEAwsKmsKeyId") or meta.get("SSEAlgorithm") == "KMS":
            h["x-amz-server-side-encryption"] = "aws:kms"
            if op.get("SSEAwsKmsKeyId"):
                h["x-amz-server-side-encryption-aws-kms-key-id"] = op["SSEAwsKmsKeyId"]
        elif meta.get("SSEAlgorithm") == "AES256":
            h["x-amz-server-side-encryption"] = "AES256"
        if op.get("BucketKeyEnabled"):
            h["x-amz-server-side-encryption-bucket-key-enabled"] = "true"
        if op.get("MetadataDirective"):
            h["x-amz-metadata-directive"] = op["MetadataDirective"]
        if op.get("MetadataDirective") == "REPLACE":
            for name, header in (("CacheControl", "Cache-Control"), ("ContentDisposition", "Content-Disposition"),
                                 ("ContentEncoding", "Content-Encoding"), ("ContentLanguage", "Content-Language"),
                                 ("ContentType", "Content-Type")):
                if meta.get(name):
                    h[header] = meta[name]
            for k, v in (meta.get("UserMetadata") or {}).items():
                h["x-amz-meta-" + k] = v
        if "NewObjectTagging" in op:
            h["x-amz-tagging-directive"] = "REPLACE"
            h["x-amz-tagging"] = "&".join("%s=%s" % (quote(t["Key"], safe=""), quote(t["Value"], safe=""))
                                          for t in op["NewObjectTagging"])
        self.headers = h

    def copy(self, bucket, key_encoded, version):
        """(TaskStatus, HTTP status, error code, result message) for one manifest row."""
        key = unquote(key_encoded)
        if self.delay:
            time.sleep(self.delay)
        for rx, f in self.fail:
            if rx.search(key):
                self.stats.count("tasks", "failed_on_demand")
                return ("failed", int(f.get("status", 403)), f.get("code", "AccessDenied"),
                        f.get("message", "Access Denied"))
        target = target_key(self.prefix, key)
        if self.knobs.get("record_only"):
            self.stats.count("tasks", "recorded")
            return ("succeeded", 200, "", "Successful")
        source = "/%s/%s" % (bucket, quote(key, safe="/~"))
        if version:
            source += "?versionId=" + quote(version, safe="")
        headers = dict(self.headers)
        headers["x-amz-copy-source"] = source
        status, _, body = self.moto.request("PUT", "/%s/%s" % (self.dst, quote(target, safe="/~")), headers=headers,
                                            op="CopyObject")
        if status == 200 and b"<Error>" not in body:
            self.stats.count("tasks", "copied")
            return ("succeeded", 200, "", "Successful")
        code, msg = _error_parts(body)
        self.stats.count("tasks", "failed_upstream")
        return ("failed", status, code or "InternalError", msg)


class Report:
    """The completion report: CSV rows spooled to disk while the job runs, uploaded at its end under
    <Prefix>/job-<id>/results/<sha1>.csv with <Prefix>/job-<id>/manifest.json naming them."""

    def __init__(self, job, moto, stats):
        self.job, self.moto, self.stats = job, moto, stats
        r = job.request.get("Report") or {}
        self.enabled = bool(r.get("Enabled"))
        self.bucket = parse_arn_bucket(r.get("Bucket", "")) if self.enabled else None
        self.prefix = r.get("Prefix")
        self.failed_only = r.get("ReportScope") == "FailedTasksOnly"
        self.schema_order = job.knobs.get("report_order") == "schema"
        self.lock = threading.Lock()
        self.files = {"succeeded": tempfile.TemporaryFile(), "failed": tempfile.TemporaryFile()}
        self.counts = {"succeeded": 0, "failed": 0}

    def add(self, obj, result):
        if not self.enabled:
            return
        status, http_status, code, message = result
        if status == "succeeded" and self.failed_only:
            return
        bucket, key, version = obj
        if self.schema_order:
            row = [bucket, key, version, status, code, str(http_status), message]
        else:  # the order of the rows in AWS's report examples: ..., TaskStatus, HTTP status, ErrorCode, message
            row = [bucket, key, version, status, str(http_status), code, message]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(row)
        with self.lock:
            self.files[status].write(buf.getvalue().encode())
            self.counts[status] += 1

    def write(self):
        if not self.enabled or not self.bucket:
            return
        base = ("%s/job-%s" % (self.prefix, self.job.id)) if self.prefix else "job-%s" % self.job.id
        results = []
        for status in ("succeeded", "failed"):
            f = self.files[status]
            if self.counts[status] == 0:
                continue
            f.seek(0)
            data = f.read()
            name = hashlib.sha1((self.job.id + status).encode()).hexdigest()
            key = "%s/results/%s.csv" % (base, name)
            self._put(key, data)
            results.append({"TaskExecutionStatus": status, "Bucket": self.bucket,
                            "MD5Checksum": hashlib.md5(data).hexdigest(), "Key": key})
        doc = {"Format": "Report_CSV_20180820",
               "ReportCreationDate": now().strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now().microsecond // 1000),
               "Results": results,
               "ReportSchema": "Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage"}
        self._put(base + "/manifest.json", json.dumps(doc, indent=2).encode())
        with self.job.lock:
            self.job.report_keys = [r["Key"] for r in results] + [base + "/manifest.json"]
        for f in self.files.values():
            f.close()

    def _put(self, key, data):
        status, _, body = self.moto.request("PUT", "/%s/%s" % (self.bucket, quote(key, safe="/~")), body=data,
                                            headers={"Content-Type": "text/csv" if key.endswith(".csv")
                                                     else "application/json"}, op="PutObject(report)")
        if status != 200:
            code, msg = _error_parts(body)
            self.job.failure_reasons.append({"FailureCode": "ReportWriteFailed",
                                             "FailureReason": ("Writing the report s3://%s/%s failed: %d %s %s"
                                                               % (self.bucket, key, status, code, msg))[:256]})
