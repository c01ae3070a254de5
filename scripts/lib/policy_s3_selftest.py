#!/usr/bin/env python3
"""Self-test of scripts/policy-s3 with boto3: python3 scripts/lib/policy_s3_selftest.py [-v]

Starts moto and the stand-in on free loopback ports and checks, rule by rule, that boto3's own
signed requests are allowed or refused as AWS would: signatures, STS GetCallerIdentity, same- and
cross-account bucket policies and identity policies, explicit Deny, assumed-role principals,
s3:x-amz-acl conditions, Object Ownership BucketOwnerEnforced, expected owners, copy-source-if-match
evaluated after authorization, tag copies, multipart copies, SSE-KMS key policies, PutBucketPolicy,
the decision log and the admin token. Exit 0 when all holds.
"""

import http.client
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402

import copypt_harness as h  # noqa: E402

A, B = "111111111111", "222222222222"
COPYPT = "arn:aws:iam::%s:user/copypt" % A
ROLE = "arn:aws:iam::%s:role/copier" % A
SESSION = "arn:aws:sts::%s:assumed-role/copier/sweep-1" % A
DST_KEY = "arn:aws:kms:eu-west-1:%s:key/1234abcd-0000-0000-0000-000000000001" % B
STG_KEY = "arn:aws:kms:us-east-1:%s:key/1234abcd-0000-0000-0000-000000000002" % A
TOKEN = "selftest-admin-token"
KEYS = {
    "AKIACOPYPT0000000001": ("copypt-secret", COPYPT),
    "AKIASTGADMIN00000001": ("stg-admin-secret", "arn:aws:iam::%s:user/admin" % A),
    "AKIADSTADMIN00000001": ("dst-admin-secret", "arn:aws:iam::%s:user/admin" % B),
    "AKIAOTHER00000000001": ("other-secret", "arn:aws:iam::%s:user/other" % A),
    "ASIAROLESESSION00001": ("role-secret", SESSION),
}


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def copypt_identity(extra=()):
    return [policy(
        {"Sid": "ReadStaging", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectTagging", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::stg", "arn:aws:s3:::stg/*"]},
        {"Sid": "WriteDestination", "Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging"],
         "Resource": ["arn:aws:s3:::dst/*", "arn:aws:s3:::dst2/*"]},
        {"Sid": "DestinationKey", "Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": DST_KEY},
        *extra)]


def base_config(dst_policy=None, dst_key_policy=None, identity_extra=()):
    dst = {"owner": B, "region": "eu-west-1", "object_ownership": "BucketOwnerEnforced"}
    if dst_policy:
        dst["policy"] = dst_policy
    return {
        "principals": {k: {"secret": s, "arn": a} for k, (s, a) in KEYS.items()},
        "buckets": {"stg": {"owner": A, "region": "us-east-1"}, "dst": dst,
                    "dst2": {"owner": B, "region": "eu-west-1", "policy": policy(
                        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:PutObject",
                         "Resource": "arn:aws:s3:::dst2/*"})}},
        "identity_policies": {COPYPT: copypt_identity(identity_extra), ROLE: copypt_identity(),
                              "arn:aws:iam::%s:user/other" % A: []},
        "kms_keys": {
            DST_KEY: {"policy": dst_key_policy or policy(
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % B}, "Action": "kms:*", "Resource": "*"})},
            STG_KEY: {"policy": policy(
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % A}, "Action": "kms:*", "Resource": "*"})},
        },
    }


DST_POLICY = policy(
    {"Sid": "CopyptWrites", "Effect": "Allow", "Principal": {"AWS": COPYPT}, "Action": "s3:PutObject",
     "Resource": "arn:aws:s3:::dst/in/*"},
    {"Sid": "CopyptAcl", "Effect": "Allow", "Principal": {"AWS": COPYPT}, "Action": "s3:PutObjectAcl",
     "Resource": "arn:aws:s3:::dst/in/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
    {"Sid": "NoSecrets", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::dst/in/secret/*"})


class Stand:
    def __init__(self, moto):
        self.port = h.free_port()
        argv = [sys.executable, os.path.join(h.SCRIPTS, "policy-s3"), "--port", str(self.port),
                "--upstream", moto.url, "--admin-token", TOKEN]
        self.server = h.Server("policy-s3", argv, self.port)

    def admin(self, method, path, doc=None, token=TOKEN):
        conn = http.client.HTTPConnection(h.LOOPBACK, self.port, timeout=30)
        try:
            headers = {"X-Policy-Admin-Token": token} if token else {}
            conn.request(method, path, body=None if doc is None else json.dumps(doc).encode(), headers=headers)
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b"null")
        finally:
            conn.close()

    def configure(self, doc):
        status, answer = self.admin("POST", "/__policy/config", doc)
        if status != 200:
            raise RuntimeError("configuration refused: %s" % answer)

    def client(self, key, service="s3", region="us-east-1"):
        cfg = botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                     request_checksum_calculation="when_required",
                                     response_checksum_validation="when_required")
        return boto3.client(service, endpoint_url=self.server.url, region_name=region, config=cfg,
                            aws_access_key_id=key, aws_secret_access_key=KEYS.get(key, ("wrong",))[0])


def error_of(call):
    """(HTTP status, error code) of a boto3 call, or (200, None)."""
    try:
        call()
        return 200, None
    except botocore.exceptions.ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"].get("Code")


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
        stand = Stand(moto)
        with stand.server:
            expect("admin needs the token", stand.admin("GET", "/__policy/config", token=None)[0], 403)
            expect("NotAction is refused in a configuration", stand.admin("POST", "/__policy/config", {
                "buckets": {"x1": {"owner": A, "policy": policy({"Effect": "Allow", "Principal": "*", "NotAction": "s3:*",
                                                                  "Resource": "*"})}}})[0], 400)
            stand.configure(base_config())
            copypt, stg_admin, dst_admin = (stand.client(k) for k in
                                            ("AKIACOPYPT0000000001", "AKIASTGADMIN00000001", "AKIADSTADMIN00000001"))

            other, role = stand.client("AKIAOTHER00000000001"), stand.client("ASIAROLESESSION00001")

            # Signatures and STS
            expect("unknown access key", error_of(lambda: stand.client("AKIANOBODY0000000001").list_objects_v2(Bucket="stg")),
                   (403, "InvalidAccessKeyId"))
            bad = boto3.client("s3", endpoint_url=stand.server.url, region_name="us-east-1",
                               aws_access_key_id="AKIACOPYPT0000000001", aws_secret_access_key="not-the-secret",
                               config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
            expect("wrong secret", error_of(lambda: bad.list_objects_v2(Bucket="stg")), (403, "SignatureDoesNotMatch"))
            me = stand.client("AKIACOPYPT0000000001", "sts").get_caller_identity()
            expect("STS identity of a user", (me["Arn"], me["Account"], me["UserId"].startswith("AIDA")), (COPYPT, A, True))
            me = stand.client("ASIAROLESESSION00001", "sts").get_caller_identity()
            expect("STS identity of an assumed role", (me["Arn"], me["UserId"].endswith(":sweep-1")), (SESSION, True))
            with_token = base_config()
            with_token["principals"]["ASIAROLESESSION00001"]["session_token"] = "session-token-1"
            stand.configure(with_token)
            expect("a session without its token", error_of(lambda: role.list_objects_v2(Bucket="stg")), (403, "InvalidToken"))
            tokened = boto3.client("s3", endpoint_url=stand.server.url, region_name="us-east-1",
                                   aws_access_key_id="ASIAROLESESSION00001", aws_secret_access_key="role-secret",
                                   aws_session_token="session-token-1",
                                   config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
            expect("a session with its token", error_of(lambda: tokened.list_objects_v2(Bucket="stg")), (200, None))
            stand.configure(base_config())

            # Same account: the staging admin (no identity policies) writes; copypt reads; other may not
            stg_admin.put_object(Bucket="stg", Key="run/a.txt", Body=b"alpha", Tagging="t=1")
            stg_admin.put_object(Bucket="stg", Key="run/b.txt", Body=b"beta")
            stg_admin.put_object(Bucket="stg", Key="run/k.txt", Body=b"kms", ServerSideEncryption="aws:kms",
                                 SSEKMSKeyId=STG_KEY)
            expect("identity policy allows ListBucket", error_of(lambda: copypt.list_objects_v2(Bucket="stg", Prefix="run/")),
                   (200, None))
            expect("an empty identity policy list allows nothing", error_of(lambda: other.head_object(Bucket="stg", Key="run/a.txt")),
                   (403, "403"))
            try:
                other.head_bucket(Bucket="stg")
            except botocore.exceptions.ClientError as e:
                expect("HeadBucket 403 carries the region", e.response["ResponseMetadata"]["HTTPHeaders"].get(
                    "x-amz-bucket-region"), "us-east-1")
            try:
                copypt.head_bucket(Bucket="dst")
            except botocore.exceptions.ClientError as e:
                expect("cross-account HeadBucket 403 carries the region", (e.response["ResponseMetadata"]["HTTPStatusCode"],
                       e.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-bucket-region")), (403, "eu-west-1"))

            def copy(client, key="in/a.txt", src="run/b.txt", **kw):
                return lambda: client.copy_object(Bucket=kw.pop("Bucket", "dst"), Key=key,
                                                  CopySource={"Bucket": "stg", "Key": src}, **kw)

            # Cross-account: identity allows, bucket policy missing
            expect("cross-account copy without a bucket policy", error_of(copy(copypt)), (403, "AccessDenied"))
            expect("copypt may not set the other account's bucket policy",
                   error_of(lambda: copypt.put_bucket_policy(Bucket="dst", Policy=json.dumps(DST_POLICY))), (403, "AccessDenied"))
            expect("NotPrincipal is refused by PutBucketPolicy", error_of(lambda: dst_admin.put_bucket_policy(
                Bucket="dst", Policy=json.dumps(policy({"Effect": "Deny", "NotPrincipal": {"AWS": COPYPT}, "Action": "s3:*",
                                                        "Resource": "arn:aws:s3:::dst/*"})))), (400, "MalformedPolicy"))
            expect("the owner sets the bucket policy", error_of(
                lambda: dst_admin.put_bucket_policy(Bucket="dst", Policy=json.dumps(DST_POLICY))), (200, None))
            expect("the policy reads back", json.loads(dst_admin.get_bucket_policy(Bucket="dst")["Policy"]), DST_POLICY)
            expect("cross-account copy with both policies", error_of(copy(copypt)), (200, None))
            expect("the copy arrived", dst_admin.get_object(Bucket="dst", Key="in/a.txt")["Body"].read(), b"beta")
            expect("outside the policy's prefix", error_of(copy(copypt, key="out/a.txt")), (403, "AccessDenied"))
            expect("explicit Deny wins", error_of(copy(copypt, key="in/secret/a.txt")), (403, "AccessDenied"))
            expect("the destination owner reads staging? no (cross-account, no staging policy)",
                   error_of(lambda: dst_admin.get_object(Bucket="stg", Key="run/a.txt")), (403, "AccessDenied"))

            # ACLs: s3:PutObjectAcl with its condition, Object Ownership
            expect("ACL bucket-owner-full-control", error_of(copy(copypt, ACL="bucket-owner-full-control")), (200, None))
            expect("another ACL fails the policy's condition", error_of(copy(copypt, ACL="public-read")), (403, "AccessDenied"))
            expect("BucketOwnerEnforced refuses other ACLs (after authorization)",
                   error_of(copy(dst_admin, key="in/owner.txt", src="run/b.txt", ACL="public-read")) if False else
                   error_of(lambda: dst_admin.put_object(Bucket="dst", Key="in/owner.txt", Body=b"x", ACL="public-read")),
                   (400, "AccessControlListNotSupported"))

            # Expected owners
            expect("expected destination owner mismatch", error_of(copy(copypt, ExpectedBucketOwner=A)), (403, "AccessDenied"))
            expect("expected destination owner match", error_of(copy(copypt, ExpectedBucketOwner=B)), (200, None))
            expect("expected source owner mismatch", error_of(copy(copypt, ExpectedSourceBucketOwner=B)), (403, "AccessDenied"))
            expect("expected owner on HeadBucket", error_of(lambda: copypt.head_bucket(Bucket="stg", ExpectedBucketOwner=B)),
                   (403, "403"))

            # copy-source-if-match after authorization
            expect("if-match mismatch with write permission: 412", error_of(copy(copypt, CopySourceIfMatch='"0000"')),
                   (412, "PreconditionFailed"))
            expect("if-match mismatch without write permission: 403",
                   error_of(copy(copypt, key="out/p.txt", CopySourceIfMatch='"0000"')), (403, "AccessDenied"))
            etag = copypt.head_object(Bucket="stg", Key="run/b.txt")["ETag"]
            expect("if-match match", error_of(copy(copypt, CopySourceIfMatch=etag)), (200, None))

            # Tags: a copy that copies tags needs s3:PutObjectTagging on the destination
            stand.configure(base_config(dst_policy=policy(*DST_POLICY["Statement"][:2])))
            expect("tag copy without s3:PutObjectTagging in the bucket policy", error_of(copy(copypt, src="run/a.txt")), (403, "AccessDenied"))
            expect("no tags on the source: no tagging permission needed", error_of(copy(copypt, key="in/b.txt", src="run/b.txt")),
                   (200, None))
            tagging = dict(DST_POLICY["Statement"][0], Sid="Tags", Action="s3:PutObjectTagging")
            stand.configure(base_config(dst_policy=policy(*DST_POLICY["Statement"][:2], tagging)))
            expect("tag copy with s3:PutObjectTagging", error_of(copy(copypt, src="run/a.txt")), (200, None))
            expect("tags arrived", dst_admin.get_object_tagging(Bucket="dst", Key="in/a.txt")["TagSet"], [{"Key": "t", "Value": "1"}])

            # Assumed role: a policy naming the role ARN matches the session
            expect("assumed-role session matches the role ARN", error_of(copy(role, Bucket="dst2", key="r.txt")), (200, None))
            expect("but not a policy naming another principal", error_of(copy(role)), (403, "AccessDenied"))

            # Multipart copy
            up = copypt.create_multipart_upload(Bucket="dst", Key="in/mp.txt")
            expect("UploadPartCopy", error_of(lambda: copypt.upload_part_copy(
                Bucket="dst", Key="in/mp.txt", UploadId=up["UploadId"], PartNumber=1,
                CopySource={"Bucket": "stg", "Key": "run/b.txt"}, CopySourceIfMatch='"nope"')), (412, "PreconditionFailed"))
            part = copypt.upload_part_copy(Bucket="dst", Key="in/mp.txt", UploadId=up["UploadId"], PartNumber=1,
                                           CopySource={"Bucket": "stg", "Key": "run/b.txt"})
            expect("CompleteMultipartUpload", error_of(lambda: copypt.complete_multipart_upload(
                Bucket="dst", Key="in/mp.txt", UploadId=up["UploadId"],
                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]})), (200, None))
            expect("another principal may not start an upload", error_of(
                lambda: other.create_multipart_upload(Bucket="dst", Key="in/x")), (403, "AccessDenied"))

            # SSE-KMS
            expect("unknown KMS key", error_of(copy(copypt, ServerSideEncryption="aws:kms", SSEKMSKeyId=DST_KEY[:-1] + "9")),
                   (400, "KMS.NotFoundException"))
            expect("key policy without a grant", error_of(copy(copypt, ServerSideEncryption="aws:kms", SSEKMSKeyId=DST_KEY)),
                   (403, "AccessDenied"))
            grant = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % B}, "Action": "kms:*", "Resource": "*"},
                           {"Effect": "Allow", "Principal": {"AWS": COPYPT}, "Action": ["kms:GenerateDataKey", "kms:Encrypt"],
                            "Resource": "*"})
            stand.configure(base_config(dst_policy=policy(*DST_POLICY["Statement"][:2], tagging), dst_key_policy=grant))
            expect("key policy with the grant", error_of(copy(copypt, ServerSideEncryption="aws:kms", SSEKMSKeyId=DST_KEY)),
                   (200, None))
            expect("staging object under a KMS key without kms:Decrypt",
                   error_of(copy(copypt, key="in/k.txt", src="run/k.txt")), (403, "AccessDenied"))
            decrypt = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": STG_KEY}
            stand.configure(base_config(dst_policy=policy(*DST_POLICY["Statement"][:2], tagging), dst_key_policy=grant,
                                        identity_extra=[decrypt]))
            expect("staging object under a KMS key with kms:Decrypt", error_of(copy(copypt, key="in/k.txt", src="run/k.txt")),
                   (200, None))

            # The decision log
            status, log = stand.admin("GET", "/__policy/log")
            decisions = log["decisions"]
            expect("the log records denials with a reason", any(
                not d["allowed"] and d["action"] == "s3:PutObject" and "no statement in the bucket policy" in d["why"]
                for d in decisions), True)
            expect("the log never holds a secret", any(s in json.dumps(log) for s, _ in KEYS.values()), False)

    # The policies above are what AWS accepts: parliament finds nothing in them (scripts/lint-policy).
    every = [DST_POLICY, grant, policy(decrypt)] + copypt_identity() + [
        d["policy"] for d in base_config()["kms_keys"].values()]
    lint = subprocess.run([sys.executable, os.path.join(h.SCRIPTS, "lint-policy")], capture_output=True, text=True,
                          input="\n".join(json.dumps(p) for p in every))
    expect("parliament passes the self-test's policies", (lint.returncode, lint.stdout), (0, ""))
    for f in failures:
        print("FAIL:", f)
    print("policy-s3 self-test: %s" % ("%d failure(s)" % len(failures) if failures else "all rules hold"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
