#!/usr/bin/env python3
"""Self-test of scripts/s3control-standin with boto3: python3 scripts/lib/s3control_selftest.py [-v]

Starts moto and the stand-in on free loopback ports and checks, with boto3's own s3control client
(signed requests, botocore's serializer and parser), that a valid CreateJob is accepted and answered
with shapes botocore reads; that each invalid variant is refused with the model's reason; that the
same ClientRequestToken gives the same job and a different request under it IdempotencyException;
that a job moves Preparing → Active → Complete across polls, its objects land in moto at
TargetKeyPrefix/key with the storage class, ACL, metadata and tags asked for, and its completion
report is written (FailedTasksOnly and AllTasks); that ConfirmationRequired absent suspends the job
until UpdateJobStatus Ready; that Failed/Cancelled/Suspended on demand and UpdateJobStatus Cancelled
end jobs as documented; ListJobs, UpdateJobPriority, the admin token and stats. Exit 0 when all holds.
"""

import csv
import io
import json
import os
import re
import sys
import time
import urllib.request
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402

import copypt_harness as h  # noqa: E402

ACCOUNT = "111111111111"
ROLE = "arn:aws:iam::%s:role/batch-copier" % ACCOUNT
TOKEN = "selftest-admin-token"
KEY, SECRET = "AKIABATCHSELFTEST001", "batch-selftest-secret"


class Stand:
    def __init__(self, moto, *extra):
        self.port = h.free_port()
        argv = [sys.executable, os.path.join(h.SCRIPTS, "s3control-standin"), "--port", str(self.port),
                "--upstream", moto.url, "--admin-token", TOKEN, "--credentials", "%s:%s" % (KEY, SECRET)] + list(extra)
        self.server = h.Server("s3control-standin", argv, self.port)

    def admin(self, method, path, doc=None, token=TOKEN):
        req = urllib.request.Request("http://%s:%d/__s3control/%s" % (h.LOOPBACK, self.port, path), method=method,
                                     data=None if doc is None else json.dumps(doc).encode(),
                                     headers={"X-S3Control-Admin-Token": token} if token else {})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def client(self, secret=SECRET):
        cfg = botocore.config.Config(retries={"total_max_attempts": 1}, inject_host_prefix=False,
                                     parameter_validation=False)  # the stand-in, not botocore, must refuse
        c = boto3.client("s3control", endpoint_url=self.server.url, region_name="us-east-1", config=cfg,
                         aws_access_key_id=KEY, aws_secret_access_key=secret)

        # botocore's endpoint rules put the account id in front of any host ({AccountId}.127.0.0.1);
        # copypt uses a custom endpoint as given, and so does this client (before signing).
        def strip(request, **_):
            request.url = re.sub(r"//[^/]*\.%s:" % re.escape(h.LOOPBACK), "//%s:" % h.LOOPBACK, request.url)
        c.meta.events.register("before-sign.s3-control", strip)
        return c


def error_of(call):
    try:
        call()
        return 200, None, ""
    except botocore.exceptions.ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"].get("Code"), \
            e.response["Error"].get("Message", "")


def job_args(etag, token="tok-1", **over):
    args = dict(
        AccountId=ACCOUNT, ConfirmationRequired=False, ClientRequestToken=token, Priority=10, RoleArn=ROLE,
        Operation={"S3PutObjectCopy": {
            "TargetResource": "arn:aws:s3:::dst", "TargetKeyPrefix": "incoming", "StorageClass": "STANDARD_IA",
            "CannedAccessControlList": "bucket-owner-full-control", "MetadataDirective": "COPY",
            "NewObjectTagging": [{"Key": "origin", "Value": "copypt"}]}},
        Report={"Bucket": "arn:aws:s3:::stg", "Format": "Report_CSV_20180820", "Enabled": True,
                "Prefix": ".copypt/reports", "ReportScope": "FailedTasksOnly"},
        Manifest={"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                  "Location": {"ObjectArn": "arn:aws:s3:::stg/.copypt/manifest.csv", "ETag": etag}})
    args.update(over)
    return args


def deep(args, path, value):
    """A copy of args with the member at path (dotted) set to value (None: removed)."""
    args = json.loads(json.dumps(args))
    node = args
    parts = path.split(".")
    for p in parts[:-1]:
        node = node[p]
    if value is None:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value
    return args


def main():
    verbose = "-v" in sys.argv
    h.install_signal_handlers()
    failures = []

    def expect(name, got, want):
        ok = got == want
        if verbose or not ok:
            print("%s %s: %r%s" % ("ok  " if ok else "FAIL", name, got, "" if ok else " (want %r)" % (want,)))
        if not ok:
            failures.append(name)

    with h.moto_server() as moto:
        s3 = h.s3_client(moto.url)
        h.create_buckets(s3, "stg", "dst")
        keys = ["run42/a.txt", "run42/b c+d.txt", "run42/denied-1.txt"]
        for k in keys:
            s3.put_object(Bucket="stg", Key=k, Body=k.encode())
        manifest = "".join("stg,%s\n" % quote(k) for k in keys)
        etag = s3.put_object(Bucket="stg", Key=".copypt/manifest.csv", Body=manifest.encode())["ETag"].strip('"')

        stand = Stand(moto, "--polls-per-state", "1")
        with stand.server:
            c = stand.client()
            expect("admin needs the token", stand.admin("GET", "config", token=None)[0], 403)
            expect("a bad knob is refused", stand.admin("POST", "config", {"nope": 1})[0], 400)
            stand.admin("POST", "config", {"fail_tasks": [{"pattern": "denied-", "status": 403, "code": "AccessDenied",
                                                           "message": "Access Denied"}]})

            # Invalid requests: each refused with the model's reason, no job made.
            base = job_args(etag, token="tok-invalid")
            invalid = [
                ("RoleArn missing", deep(base, "RoleArn", None), "required member RoleArn"),
                ("RoleArn not an IAM role ARN", deep(base, "RoleArn", "arn:aws:iam::1:user/x"), "does not match the pattern"),
                ("StorageClass not in the enum", deep(base, "Operation.S3PutObjectCopy.StorageClass", "COLD"),
                 "is not one of"),
                ("Priority below 0", deep(base, "Priority", -1), "below the minimum"),
                ("ClientRequestToken over 64", deep(base, "ClientRequestToken", "x" * 65), "above the maximum"),
                ("Report.Enabled missing", deep(base, "Report.Enabled", None), "required member Enabled"),
                ("Manifest.Location.ETag missing", deep(base, "Manifest.Location.ETag", None), "required member ETag"),
                ("Manifest fields without Key", deep(base, "Manifest.Spec.Fields", ["Bucket"]), "Bucket and Key"),
                ("tag key outside the pattern", deep(base, "Operation.S3PutObjectCopy.NewObjectTagging",
                                                     [{"Key": "a*b", "Value": "v"}]), "does not match the pattern"),
                ("TargetResource not a bucket ARN", deep(base, "Operation.S3PutObjectCopy.TargetResource",
                                                         "arn:aws:s3:::dst/key"), "bucket ARN"),
                ("two operations", deep(base, "Operation.S3PutObjectTagging", {"TagSet": []}), "exactly one operation"),
                ("enabled report without Bucket", deep(base, "Report.Bucket", None), "Report.Bucket is required"),
                ("account id not 12 digits", deep(base, "AccountId", "1234"), "x-amz-account-id"),
            ]
            for name, args, reason in invalid:
                status, code, message = error_of(lambda a=args: c.create_job(**a))
                expect("invalid: " + name, (status, code, reason in message), (400, "InvalidRequest", True))
            status, code, _ = error_of(lambda: c.create_job(**deep(base, "Operation", {
                "S3PutObjectTagging": {"TagSet": []}})))
            expect("an operation the stand-in does not run", (status, code), (501, "NotImplemented"))
            expect("a wrong secret", error_of(lambda: stand.client("wrong").list_jobs(AccountId=ACCOUNT))[:2],
                   (403, "SignatureDoesNotMatch"))
            expect("no job was made by refused requests", stand.admin("GET", "jobs")[1]["jobs"], [])

            # A job: accepted, idempotent, moves across polls, copies, reports.
            args = job_args(etag)
            job = c.create_job(**args)["JobId"]
            expect("same token, same request: same job", c.create_job(**args)["JobId"], job)
            expect("same token, another request: IdempotencyException",
                   error_of(lambda: c.create_job(**dict(args, Priority=11)))[:2], (400, "IdempotencyException"))
            seen = []
            for _ in range(200):
                d = c.describe_job(AccountId=ACCOUNT, JobId=job)["Job"]
                if not seen or seen[-1] != d["Status"]:
                    seen.append(d["Status"])
                if d["Status"] in ("Complete", "Failed", "Cancelled"):
                    break
                time.sleep(0.05)
            expect("statuses seen across polls", [s for s in seen if s in ("Preparing", "Active", "Complete")],
                   ["Preparing", "Active", "Complete"])
            expect("progress", d["ProgressSummary"].get("TotalNumberOfTasks"), 3)
            expect("progress counts", (d["ProgressSummary"]["NumberOfTasksSucceeded"],
                                       d["ProgressSummary"]["NumberOfTasksFailed"]), (2, 1))
            expect("describe echoes the operation", d["Operation"]["S3PutObjectCopy"]["TargetKeyPrefix"], "incoming")
            expect("describe has the role", d["RoleArn"], ROLE)
            landed = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="dst")["Contents"])
            expect("objects land at TargetKeyPrefix + '/' + key (keys URL-decoded; '+' kept)", landed,
                   ["incoming/run42/a.txt", "incoming/run42/b c+d.txt"])
            head = s3.head_object(Bucket="dst", Key="incoming/run42/a.txt")
            expect("storage class applied", head.get("StorageClass"), "STANDARD_IA")
            tags = s3.get_object_tagging(Bucket="dst", Key="incoming/run42/a.txt")["TagSet"]
            expect("tags applied", tags, [{"Key": "origin", "Value": "copypt"}])
            summary = [j for j in stand.admin("GET", "jobs")[1]["jobs"] if j["id"] == job][0]
            report_manifest = json.loads(s3.get_object(Bucket="stg", Key=summary["report_keys"][-1])["Body"].read())
            expect("report manifest.json path", summary["report_keys"][-1], ".copypt/reports/job-%s/manifest.json" % job)
            expect("report: FailedTasksOnly lists only the failed CSV",
                   [r["TaskExecutionStatus"] for r in report_manifest["Results"]], ["failed"])
            results_key = report_manifest["Results"][0]["Key"]
            expect("report CSV under job-<id>/results/", results_key.startswith(".copypt/reports/job-%s/results/" % job)
                   and results_key.endswith(".csv"), True)
            rows = list(csv.reader(io.StringIO(s3.get_object(Bucket="stg", Key=results_key)["Body"].read().decode())))
            expect("report row", rows, [["stg", "run42/denied-1.txt", "", "failed", "403", "AccessDenied", "Access Denied"]])

            jobs = c.list_jobs(AccountId=ACCOUNT, JobStatuses=["Complete"])["Jobs"]
            expect("ListJobs", [(j["JobId"], j["Operation"]) for j in jobs], [(job, "S3PutObjectCopy")])
            expect("UpdateJobPriority", c.update_job_priority(AccountId=ACCOUNT, JobId=job, Priority=3)["Priority"], 3)
            expect("another account's job is not found",
                   error_of(lambda: c.describe_job(AccountId="222222222222", JobId=job))[:2], (404, "NoSuchJob"))
            expect("a finished job cannot be cancelled", error_of(lambda: c.update_job_status(
                AccountId=ACCOUNT, JobId=job, RequestedJobStatus="Cancelled"))[:2], (400, "JobStatusException"))

            # ConfirmationRequired absent: Suspended until confirmed; AllTasks report.
            stand.admin("POST", "config", {"fail_tasks": [], "polls_per_state": 0})
            args2 = job_args(etag, token="tok-2", Report=dict(args["Report"], ReportScope="AllTasks"))
            del args2["ConfirmationRequired"]
            job2 = c.create_job(**args2)["JobId"]
            for _ in range(100):
                status = c.describe_job(AccountId=ACCOUNT, JobId=job2)["Job"]["Status"]
                if status == "Suspended":
                    break
                time.sleep(0.05)
            expect("ConfirmationRequired absent: Suspended", status, "Suspended")
            c.update_job_status(AccountId=ACCOUNT, JobId=job2, RequestedJobStatus="Ready")
            expect("confirmed: Complete", wait(c, job2), "Complete")
            s2 = [j for j in stand.admin("GET", "jobs")[1]["jobs"] if j["id"] == job2][0]
            m2 = json.loads(s3.get_object(Bucket="stg", Key=s2["report_keys"][-1])["Body"].read())
            expect("AllTasks: the succeeded CSV", [r["TaskExecutionStatus"] for r in m2["Results"]], ["succeeded"])

            # Failed / Cancelled / Suspended on demand.
            stand.admin("POST", "config", {"end": {"status": "Failed", "after_tasks": 1, "code": "AccessDenied",
                                                   "reason": "The role cannot read the manifest."}})
            job3 = c.create_job(**job_args(etag, token="tok-3"))["JobId"]
            expect("Failed on demand", wait(c, job3), "Failed")
            d3 = c.describe_job(AccountId=ACCOUNT, JobId=job3)["Job"]
            expect("Failed carries FailureReasons", d3.get("FailureReasons"),
                   [{"FailureCode": "AccessDenied", "FailureReason": "The role cannot read the manifest."}])
            stand.admin("POST", "config", {"end": {"status": "Suspended", "after_tasks": 1}})
            job4 = c.create_job(**job_args(etag, token="tok-4"))["JobId"]
            expect("Suspended on demand", wait(c, job4, until=("Suspended",)), "Suspended")
            c.update_job_status(AccountId=ACCOUNT, JobId=job4, RequestedJobStatus="Cancelled",
                                StatusUpdateReason="no longer needed")
            expect("UpdateJobStatus Cancelled", wait(c, job4), "Cancelled")
            stand.admin("POST", "config", {"end": {}})

            # A manifest whose ETag differs: the job fails with a reason.
            job5 = c.create_job(**job_args("0" * 32, token="tok-5"))["JobId"]
            expect("manifest ETag mismatch fails the job", wait(c, job5), "Failed")

            # The task-failure threshold: past 1,000 tasks with more than half failed, the job fails
            # (record-only: nothing is copied, the failures are on demand).
            many = "".join("stg,run42/many-%05d\n" % i for i in range(1500)).encode()
            etag_many = s3.put_object(Bucket="stg", Key=".copypt/many.csv", Body=many)["ETag"].strip('"')
            stand.admin("POST", "config", {"record_only": True, "fail_tasks": [{"pattern": "many-0"}]})
            args6 = deep(job_args(etag_many, token="tok-6"), "Manifest.Location.ObjectArn", "arn:aws:s3:::stg/.copypt/many.csv")
            job6 = c.create_job(**args6)["JobId"]
            expect("more than half of 1,000+ tasks failed: Failed", wait(c, job6), "Failed")
            d6 = c.describe_job(AccountId=ACCOUNT, JobId=job6)["Job"]
            expect("the threshold's reason", [f["FailureCode"] for f in d6.get("FailureReasons", [])],
                   ["TaskFailureThresholdExceeded"])
            expect("it stopped near 1,000 tasks", d6["ProgressSummary"]["NumberOfTasksFailed"] < 1100, True)
            stand.admin("POST", "config", {"record_only": False, "fail_tasks": []})

            # Errors on demand: the next CreateJob answers 503 SlowDown and makes no job.
            stand.admin("POST", "config", {"errors_next": {"count": 1, "status": 503, "code": "SlowDown",
                                                           "operations": ["CreateJob"]}})
            before = len(stand.admin("GET", "jobs")[1]["jobs"])
            expect("errors_next: CreateJob 503 SlowDown", error_of(lambda: c.create_job(**job_args(etag, token="tok-7")))[:2],
                   (503, "SlowDown"))
            expect("errors_next: no job made", len(stand.admin("GET", "jobs")[1]["jobs"]), before)
            expect("errors_next: only the next one", c.create_job(**job_args(etag, token="tok-7"))["JobId"] != "", True)

            stats = stand.admin("GET", "stats")[1]
            expect("stats count CreateJob", stats["requests"].get("CreateJob", 0) >= 5, True)
            expect("stats count copies against moto", stats["upstream"].get("CopyObject", 0) >= 4, True)

    for f in failures:
        print("FAIL:", f)
    print("s3control-standin self-test: %s" % ("%d failure(s)" % len(failures) if failures else "all rules hold"))
    return 1 if failures else 0


def wait(c, job, until=("Complete", "Failed", "Cancelled")):
    for _ in range(400):
        status = c.describe_job(AccountId=ACCOUNT, JobId=job)["Job"]["Status"]
        if status in until:
            return status
        time.sleep(0.05)
    return status


if __name__ == "__main__":
    sys.exit(main())
