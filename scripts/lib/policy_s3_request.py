"""policy_s3_request: one S3 request seen by scripts/policy-s3: which operation, which actions on which
resources it needs, and the checks S3 makes before it would reach moto (see scripts/policy-s3).

Python 3 standard library only.
"""

import json
import re
from urllib.parse import parse_qsl, unquote

import policy_iam as iam

KEY_RE = re.compile(r"<Key>(.*?)</Key>", re.S)


class Refusal(Exception):
    """An S3 error answer: status, code, message, the resource, extra headers."""

    def __init__(self, status, code, message, resource="", headers=()):
        super().__init__(message)
        self.status, self.code, self.message, self.resource, self.headers = status, code, message, resource, list(headers)


def _xml_unescape(text):
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


class S3Request:
    def __init__(self, method, raw_path, raw_query, headers, body, config, principal_arn, state, upstream):
        self.method = method
        self.raw_path = raw_path
        self.query = dict(parse_qsl(raw_query, keep_blank_values=True))
        self.query.pop("x-id", None)  # newer SDKs name the operation in the query; it changes nothing
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body
        self.config = config
        self.principal = principal_arn
        self.state = state
        self.upstream = upstream  # (method, path, headers) -> (status, headers, body), straight to moto
        parts = unquote(raw_path).lstrip("/").split("/", 1)
        self.bucket = parts[0] or None
        self.key = parts[1] if len(parts) > 1 and parts[1] != "" else None
        self.local_answer = None
        self.operation = self._operation()

    # MARK: - classification

    def _operation(self):
        q, m, h = self.query, self.method, self.headers
        if self.bucket is None:
            return "ListBuckets" if m == "GET" else None
        if self.key is None:
            if "policy" in q:
                return {"GET": "GetBucketPolicy", "PUT": "PutBucketPolicy", "DELETE": "DeleteBucketPolicy"}.get(m)
            if m == "HEAD" and not q:
                return "HeadBucket"
            if m == "GET" and "uploads" in q:
                return "ListMultipartUploads"
            if m == "GET" and set(q) <= {"list-type", "prefix", "delimiter", "max-keys", "continuation-token",
                                         "start-after", "encoding-type", "fetch-owner", "marker"}:
                return "ListObjectsV2" if q.get("list-type") == "2" else "ListObjects"
            if m == "POST" and "delete" in q:
                return "DeleteObjects"
            return None
        if m == "PUT":
            if "x-amz-copy-source" in h:
                return "UploadPartCopy" if "partNumber" in q and "uploadId" in q else (None if q else "CopyObject")
            if "partNumber" in q and "uploadId" in q:
                return "UploadPart"
            if "tagging" in q:
                return "PutObjectTagging"
            return None if q else "PutObject"
        if m == "POST":
            if "uploads" in q:
                return "CreateMultipartUpload"
            if "uploadId" in q:
                return "CompleteMultipartUpload"
            return None
        if m == "DELETE":
            if "uploadId" in q:
                return "AbortMultipartUpload"
            return None if q else "DeleteObject"
        if m == "GET":
            if "uploadId" in q:
                return "ListParts"
            if "tagging" in q:
                return "GetObjectTagging"
            return "GetObject" if set(q) <= {"versionId", "partNumber"} or all(k.startswith("response-") for k in q) else None
        if m == "HEAD":
            return "HeadObject"
        return None

    # MARK: - checks

    def _bucket(self, name):
        b = self.config.buckets.get(name)
        if b is None:
            raise Refusal(404, "NoSuchBucket", "The specified bucket does not exist (the stand-in knows only "
                          "the configured buckets).", name)
        return b

    def _resource(self, bucket, key):
        return "arn:aws:s3:::%s" % bucket + ("" if key is None else "/" + key)

    def _context(self):
        h = self.headers
        ctx = {"aws:principalarn": iam.role_arn_of(self.principal), "aws:principalaccount": iam.account_of(self.principal)}
        for name in ("x-amz-acl", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id"):
            if name in h:
                ctx["s3:" + name] = h[name]
        return ctx

    def _require(self, action, bucket, key, region_header=None):
        allowed, why = self.config.authorize(self.principal, action, bucket, key, self._context())
        resource = self._resource(bucket, key)
        self.state.record(self.operation, action, self.principal, resource, allowed, why)
        if not allowed:
            if why.startswith("explicit deny"):
                reason = "with an explicit deny in a %s policy" % ("identity-based" if "identity" in why else "resource-based")
            else:
                kind = "identity-based" if "bucket policy allows but" in why else "resource-based"
                reason = "because no %s policy allows the %s action" % (kind, action)
            raise Refusal(403, "AccessDenied", "User: %s is not authorized to perform: %s on resource: \"%s\" %s" % (
                self.principal, action, resource, reason), resource, region_header or ())

    def _expected_owner(self, header, bucket):
        want = self.headers.get(header)
        if want is not None and want != self.config.buckets[bucket]["owner"]:
            self.state.record(self.operation, header, self.principal, self._resource(bucket, None), False,
                              "%s %s is not the owner %s" % (header, want, self.config.buckets[bucket]["owner"]))
            raise Refusal(403, "AccessDenied", "Access Denied", bucket)

    def _copy_source(self):
        raw = unquote(self.headers["x-amz-copy-source"].split("?versionId=", 1)[0]).lstrip("/")
        bucket, _, key = raw.partition("/")
        if not bucket or not key:
            raise Refusal(400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
        self._bucket(bucket)
        return bucket, key

    def _source_head(self, bucket, key):
        from urllib.parse import quote
        status, headers, _ = self.upstream("HEAD", "/%s/%s" % (bucket, quote(key, safe="/~")))
        return headers if status == 200 else None

    def _source_has_tags(self, bucket, key):
        from urllib.parse import quote
        status, _, body = self.upstream("GET", "/%s/%s?tagging" % (bucket, quote(key, safe="/~")))
        return status == 200 and b"<Tag>" in body

    def _kms_check(self, action, key_arn, for_write):
        allowed, why = self.config.kms_allowed(self.principal, action, key_arn)
        self.state.record(self.operation, action, self.principal, key_arn, allowed, why)
        if not allowed:
            raise Refusal(403, "AccessDenied", "User: %s is not authorized to perform: %s on resource: %s because "
                          "no resource-based policy allows the %s action (KMS key policy: %s)" % (
                              self.principal, action, key_arn, action, why), key_arn)

    def _destination_kms(self):
        h = self.headers
        if h.get("x-amz-server-side-encryption") != "aws:kms" or "x-amz-server-side-encryption-aws-kms-key-id" not in h:
            return
        key_id = h["x-amz-server-side-encryption-aws-kms-key-id"]
        key_arn = self.config.kms_key(key_id)
        if key_arn is None:
            self.state.record(self.operation, "kms:GenerateDataKey", self.principal, key_id, False, "no such key")
            raise Refusal(400, "KMS.NotFoundException", "Invalid keyId '%s'" % key_id, key_id)
        self._kms_check("kms:GenerateDataKey", key_arn, True)

    def _source_kms(self, head):
        if head and head.get("x-amz-server-side-encryption") == "aws:kms":
            key_arn = self.config.kms_key(head.get("x-amz-server-side-encryption-aws-kms-key-id", ""))
            if key_arn is not None:
                self._kms_check("kms:Decrypt", key_arn, False)

    def _acl_allowed(self, bucket):
        if self.config.buckets[bucket]["object_ownership"] != "BucketOwnerEnforced":
            return
        acl = self.headers.get("x-amz-acl")
        grants = [k for k in self.headers if k.startswith("x-amz-grant-")]
        if (acl is not None and acl != "bucket-owner-full-control") or grants:
            self.state.record(self.operation, "x-amz-acl", self.principal, self._resource(bucket, self.key), False,
                              "bucket %s has Object Ownership BucketOwnerEnforced" % bucket)
            raise Refusal(400, "AccessControlListNotSupported", "The bucket does not allow ACLs", bucket)

    def _if_match(self, head):
        want = self.headers.get("x-amz-copy-source-if-match")
        if want is None or head is None:
            return
        if want.strip('"') != (head.get("etag") or "").strip('"'):
            self.state.record(self.operation, "x-amz-copy-source-if-match", self.principal, "", False,
                              "the source ETag is %s, not %s" % (head.get("etag"), want))
            raise Refusal(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                          "x-amz-copy-source-If-Match")

    def _write_extras(self, bucket, key):
        if "x-amz-acl" in self.headers:
            self._require("s3:PutObjectAcl", bucket, key)
        if "x-amz-tagging" in self.headers:
            self._require("s3:PutObjectTagging", bucket, key)

    # MARK: - the request

    def authorize(self):
        """Raises Refusal, or returns extra headers for the forwarded answer; may set local_answer."""
        op = self.operation
        if op is None:
            raise Refusal(501, "NotImplemented", "This request is unsupported by the policy-enforcing stand-in.")
        if op == "ListBuckets":
            return []
        bucket, key = self.bucket, self.key
        b = self._bucket(bucket)
        if op == "HeadBucket":
            region = [("x-amz-bucket-region", b["region"])]
            self._expected_owner("x-amz-expected-bucket-owner", bucket)
            self._require("s3:ListBucket", bucket, None, region)
            return region
        self._expected_owner("x-amz-expected-bucket-owner", bucket)
        if op in ("GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy"):
            return self._bucket_policy(op, bucket, b)
        if op in ("ListObjectsV2", "ListObjects"):
            self._require("s3:ListBucket", bucket, None)
        elif op == "ListMultipartUploads":
            self._require("s3:ListBucketMultipartUploads", bucket, None)
        elif op == "DeleteObjects":
            for k in KEY_RE.findall(self.body.decode("utf-8", "replace")):
                self._require("s3:DeleteObject", bucket, _xml_unescape(k))
        elif op == "HeadObject":
            self._require("s3:GetObject", bucket, key)
        elif op == "GetObject":
            self._require("s3:GetObject", bucket, key)
            self._source_kms(self._source_head(bucket, key))
        elif op == "GetObjectTagging":
            self._require("s3:GetObjectTagging", bucket, key)
        elif op == "PutObjectTagging":
            self._require("s3:PutObjectTagging", bucket, key)
        elif op == "ListParts":
            self._require("s3:ListMultipartUploadParts", bucket, key)
        elif op == "DeleteObject":
            self._require("s3:DeleteObject", bucket, key)
        elif op in ("PutObject", "CreateMultipartUpload"):
            self._require("s3:PutObject", bucket, key)
            self._write_extras(bucket, key)
            self._destination_kms()
            self._acl_allowed(bucket)
        elif op in ("UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload"):
            self._require("s3:PutObject", bucket, key)
        elif op in ("CopyObject", "UploadPartCopy"):
            src_bucket, src_key = self._copy_source()
            self._expected_owner("x-amz-source-expected-bucket-owner", src_bucket)
            head = self._source_head(src_bucket, src_key)
            self._require("s3:GetObject", src_bucket, src_key)
            self._require("s3:PutObject", bucket, key)
            if op == "CopyObject":
                self._write_extras(bucket, key)
                directive = self.headers.get("x-amz-tagging-directive", "COPY").upper()
                if directive == "COPY" and head is not None and self._source_has_tags(src_bucket, src_key):
                    self._require("s3:GetObjectTagging", src_bucket, src_key)
                    self._require("s3:PutObjectTagging", bucket, key)
                self._destination_kms()
            self._source_kms(head)
            if op == "CopyObject":
                self._acl_allowed(bucket)
            self._if_match(head)
        return []

    def _bucket_policy(self, op, bucket, b):
        action = "s3:" + op
        resource = self._resource(bucket, None)
        owner_account = iam.account_of(self.principal) == b["owner"]
        if not owner_account:
            self.state.record(op, action, self.principal, resource, False, "only the bucket owner's account may")
            raise Refusal(403, "AccessDenied", "Access Denied", bucket)
        self._require(action, bucket, None)
        if op == "GetBucketPolicy":
            if b.get("policy") is None:
                raise Refusal(404, "NoSuchBucketPolicy", "The bucket policy does not exist", bucket)
            self.local_answer = (200, json.dumps(b["policy"]).encode(), [("Content-Type", "application/json")])
        elif op == "DeleteBucketPolicy":
            b.pop("policy", None)
            self.local_answer = (204, b"", [])
        else:
            try:
                doc = json.loads(self.body.decode("utf-8"))
                iam.validate(doc, "bucket")
                for st in iam.statements(doc):
                    for r in st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]:
                        if r != resource and not r.startswith(resource + "/"):
                            raise iam.PolicyError("Policy has invalid resource %s" % r)
            except (ValueError, iam.PolicyError) as e:
                raise Refusal(400, "MalformedPolicy", "Policy has invalid resource or is unsupported: %s" % e, bucket)
            b["policy"] = doc
            self.local_answer = (204, b"", [])
        return []
