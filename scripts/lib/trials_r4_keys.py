"""R4 bad-input cases for S3 keys and paths: dot segments, prefixes stripped by bytes, S3 listing values (issue 14).

Each case is a trials_r4.Case; see trials_r4 for how a case is run and judged.

The planted-key cases put a staging key that climbs out of its prefix with `..` segments
(keys/../../../r4-keys-other/pwned.txt, sent as is: a client that resolves dot segments would
write s3://r4-keys-other/pwned.txt) beside keys that differ only by a combining mark, and check
that copypt copies each safe key to its own destination, nothing outside the destination
prefix, and names the planted key. The listing cases answer ListObjectsV2 with values that
cannot be right.
"""

import hashlib
import http.client
import urllib.parse

import copypt_harness as h

STG, DST, OTHER = "r4-keys-stg", "r4-keys-dst", "r4-keys-other"
PLANTED = "keys/../../../r4-keys-other/pwned.txt"
SAFE = {"keys/a.txt": b"alpha", "keys/x": b"plain x", "keys/\u0301x": b"x after a combining accent", "keys/sub/b.bin": b"bee"}


def _plant(ctx):
    """The three buckets and the staging keys (again, unchanged, when an earlier case made them)."""
    existing = {b["Name"] for b in ctx.s3.list_buckets().get("Buckets", [])}
    h.create_buckets(ctx.s3, *[b for b in (STG, DST, OTHER) if b not in existing])
    for key, body in SAFE.items():
        ctx.s3.put_object(Bucket=STG, Key=key, Body=body)
    # Straight to moto with the path as written (signed here, sent by http.client): an SDK's
    # HTTP layer might resolve the dot segments itself.
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    url = urllib.parse.urlsplit(ctx.srv.moto.url)
    path = "/%s/%s" % (STG, PLANTED)
    request = AWSRequest(method="PUT", url=ctx.srv.moto.url + path, data=b"pwned")
    S3SigV4Auth(Credentials(h.DEFAULT_SECRETS["AWS_ACCESS_KEY_ID"], h.DEFAULT_SECRETS["AWS_SECRET_ACCESS_KEY"]),
                "s3", "us-east-1").add_auth(request)
    headers = {k: v for k, v in request.headers.items()}
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("PUT", path, body=b"pwned", headers=headers)
    answer = conn.getresponse()
    answer.read()
    conn.close()
    if answer.status != 200 or PLANTED not in h.list_all(ctx.s3, STG):
        raise RuntimeError("could not plant %s in %s (HTTP %d)" % (PLANTED, STG, answer.status))


def _check_destination(ctx, prefix, expect_copies):
    """Nothing in r4-keys-other, nothing with a dot segment, and (when copying) each safe key at its own place."""
    problems = []
    if h.list_all(ctx.s3, OTHER):
        problems.append("written outside the destination: %s" % sorted(h.list_all(ctx.s3, OTHER))[:3])
    written = set(h.list_all(ctx.s3, DST, prefix))
    bad = [k for k in written if "/../" in "/" + k + "/" or "/./" in "/" + k + "/"]
    if bad:
        problems.append("destination key with a dot segment: %s" % bad[:3])
    expected = {prefix + k[len("keys/"):] for k in SAFE} if expect_copies else set()
    if written != expected:
        problems.append("destination holds %s, expected %s" % (sorted(written), sorted(expected)))
    for key in expected & written:
        body = ctx.s3.get_object(Bucket=DST, Key=key)["Body"].read()
        if body != SAFE["keys/" + key[len(prefix):]]:
            problems.append("wrong body at %s" % key)
    return problems


def _copy_setup(ctx, case_dir, env, record_id):
    _plant(ctx)


def _copy_check(prefix, copies):
    def check(ctx, case_dir, state_dir, result):
        problems = _check_destination(ctx, prefix, copies)
        if "skipped s3://%s/%s" % (STG, PLANTED) not in result.err:
            problems.append("the planted key is not named on stderr")
        return problems
    return check


def _sweep_setup(history):
    def setup(ctx, case_dir, env, record_id):
        _plant(ctx)
        keys = dict({k: len(v) for k, v in SAFE.items()}, **{PLANTED: 5})
        task = ctx.srv.globus.create_task(ctx.ident, keys, STG, status="SUCCEEDED")
        if not history:
            ctx.srv.globus.set_task(task, history_deleted=True)
        ctx.add(env, task, "s3://%s/keys/" % STG, "s3://%s/%s/keys/" % (DST, _sweep_prefix(history)))
    return setup


def _sweep_prefix(history):
    return "in-sweep-history" if history else "in-sweep-listing"


def _sweep_check(history):
    def check(ctx, case_dir, state_dir, result):
        problems = _check_destination(ctx, _sweep_prefix(history) + "/keys/", True)
        records, _ = h.read_records(state_dir)
        docs = [d for d in records.values() if d]
        if len(docs) != 1 or docs[0]["state"] != "done":
            problems.append("record not done: %s" % [d.get("state") for d in docs])
        elif not any(PLANTED in note and "not copied" in note for note in docs[0].get("notes", [])):
            problems.append("the planted key is not noted in the record")
        return problems
    return check


def _listing(contents, token=None):
    truncated = "<IsTruncated>true</IsTruncated><NextContinuationToken>%s</NextContinuationToken>" % token if token \
        else "<IsTruncated>false</IsTruncated>"
    items = "".join("<Contents><Key>%s</Key><Size>%s</Size><ETag>&quot;%s&quot;</ETag></Contents>" % c for c in contents)
    return ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>r4-stg</Name><Prefix>run%%2F</Prefix>'
            "<EncodingType>url</EncodingType>%s%s</ListBucketResult>" % (truncated, items))


def _list_rule(body):
    return ("s3", [{"kind": "ListObjectsV2", "status": 200, "headers": {"Content-Type": "application/xml"}, "body": body}])


def cases():
    from trials_r4 import Case  # imported here: trials_r4 imports this module
    copy = ["copypt", "copy", "--recursive"]
    recursive_run = ["s3://r4-stg/run/", "s3://r4-dst/copy/"]
    a_md5 = hashlib.md5(b"a" * 100).hexdigest()
    return [
        Case("keys: copy --recursive with a planted ../ key", copy + ["s3://%s/keys/" % STG, "s3://%s/in-copy/keys/" % DST],
             rcs=(1,), setup=_copy_setup, check=_copy_check("in-copy/keys/", True)),
        Case("keys: copy --recursive --dry-run with a planted ../ key",
             copy + ["--dry-run", "s3://%s/keys/" % STG, "s3://%s/in-dry/keys/" % DST],
             rcs=(1,), setup=_copy_setup, check=_copy_check("in-dry/keys/", False)),
        Case("keys: sweep with a planted ../ key (file list from the staging listing)", ["copypt-sweep", "--once"],
             kind="upstream", rcs=(0,), setup=_sweep_setup(False), check=_sweep_check(False)),
        Case("keys: sweep with a planted ../ key (file list from Globus)", ["copypt-sweep", "--once"],
             kind="upstream", rcs=(0,), setup=_sweep_setup(True), check=_sweep_check(True)),
        Case("s3 reply: ListObjectsV2 Size negative", copy + recursive_run, kind="upstream", rcs=(1,),
             rules=_list_rule(_listing([("run%2Fa.dat", "-1", a_md5)]))),
        Case("s3 reply: ListObjectsV2 Size beyond Int64", copy + recursive_run, kind="upstream", rcs=(1,),
             rules=_list_rule(_listing([("run%2Fa.dat", "18446744073709551616", a_md5)]))),
        Case("s3 reply: ListObjectsV2 key not UTF-8", copy + recursive_run, kind="upstream", rcs=(1,),
             rules=_list_rule(_listing([("run%2F%FF.dat", "100", a_md5)]))),
        Case("s3 reply: ListObjectsV2 continuation token repeated (copy)", copy + recursive_run, kind="upstream", rcs=(1,),
             rules=_list_rule(_listing([("run%2Fa.dat", "100", a_md5)], token="again")), timeout=60),
        Case("s3 reply: ListObjectsV2 continuation token repeated (sweep)", ["copypt-sweep", "--once"], kind="upstream",
             state="succeeded", rcs=(1,), rules=_list_rule(_listing([("run%2Fa.dat", "100", a_md5)], token="again")), timeout=60),
    ]
