"""policy_sigv4: verifies an AWS Signature Version 4 Authorization header (scripts/policy-s3).

Python 3 standard library only. Follows "Create a signed AWS API request" (IAM User Guide,
reference_sigv-create-signed-request): canonical request, string to sign, signing key, signature.
For service s3 the canonical URI is the path exactly as sent (S3 signs the once-encoded path);
for other services (sts) it is normalised and encoded again, as botocore does.
Not checked: the request date against the clock, the credential scope's region (the stand-in
serves every region from one port, as moto does), presigned URLs and chunk signatures of
STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies (only the seed signature is checked).
"""

import hashlib
import hmac
import re
from urllib.parse import quote, unquote

AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)/([0-9]{8})/([^/,\s]+)/([^/,\s]+)/aws4_request,\s*"
    r"SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$")
UNHASHED = ("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")


class SignatureError(Exception):
    """Why a request is refused: code (S3 error code), status and a message."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def parse_authorization(value):
    """(access key, date, region, service, signed header names, signature) or a SignatureError."""
    m = AUTH_RE.match(value or "")
    if not m:
        raise SignatureError(400, "AuthorizationHeaderMalformed",
                             "The authorization header is malformed; the stand-in accepts AWS4-HMAC-SHA256 only.")
    key, date, region, service, signed, signature = m.groups()
    return key, date, region, service, signed.split(";"), signature


def _canonical_query(query):
    pairs = []
    for part in query.split("&") if query else []:
        if part == "":
            continue
        k, _, v = part.partition("=")
        pairs.append((quote(unquote(k), safe="-_.~"), quote(unquote(v), safe="-_.~")))
    return "&".join("%s=%s" % kv for kv in sorted(pairs))


def _normalized_path(path):
    out = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    norm = "/" + "/".join(out)
    if path.endswith("/") and norm != "/":
        norm += "/"
    return quote(norm, safe="/~")


def verify(method, raw_path, raw_query, headers, body, secret, auth):
    """Raises SignatureError unless auth (parse_authorization's tuple) signs this request with
    secret. headers is a list of (name, value) as received; body the bytes (None: not read)."""
    key, date, region, service, signed_names, signature = auth
    by_name = {}
    for k, v in headers:
        by_name.setdefault(k.lower(), []).append(v)
    if "host" not in signed_names:
        raise SignatureError(403, "SignatureDoesNotMatch", "The Host header must be signed.")
    lines = []
    for name in signed_names:
        if name not in by_name:
            raise SignatureError(403, "SignatureDoesNotMatch", "Signed header %s is missing." % name)
        lines.append("%s:%s\n" % (name, ",".join(" ".join(v.strip().split()) for v in by_name[name])))
    payload_hash = (by_name.get("x-amz-content-sha256") or [None])[0]
    if payload_hash is None:
        if service == "s3":
            raise SignatureError(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
        payload_hash = hashlib.sha256(body or b"").hexdigest()
    elif payload_hash not in UNHASHED and body is not None:
        if hashlib.sha256(body).hexdigest() != payload_hash:
            raise SignatureError(400, "XAmzContentSHA256Mismatch",
                                 "The provided 'x-amz-content-sha256' header does not match what was computed.")
    amz_date = (by_name.get("x-amz-date") or by_name.get("date") or [""])[0]
    uri = (raw_path or "/") if service == "s3" else _normalized_path(unquote(raw_path or "/"))
    canonical = "\n".join([method, uri, _canonical_query(raw_query), "".join(lines), ";".join(signed_names),
                           payload_hash])
    scope = "%s/%s/%s/aws4_request" % (date, region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise SignatureError(403, "SignatureDoesNotMatch",
                             "The request signature we calculated does not match the signature you provided. "
                             "Check your key and signing method.")
