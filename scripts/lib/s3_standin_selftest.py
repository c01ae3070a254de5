#!/usr/bin/env python3
"""Self-test of scripts/s3-standin with boto3: python3 scripts/lib/s3_standin_selftest.py

Starts the stand-in over HTTPS (its throwaway CA given to boto3) and checks that boto3's requests
get S3's documented answers: buckets, PutObject/HeadObject/GetObject, ListObjectsV2 paging with
url encoding, CopyObject with copy-source-if-match, a multipart copy (UploadPartCopy, ListParts,
CompleteMultipartUpload, EntityTooSmall, AbortMultipartUpload, ListMultipartUploads), DeleteObjects,
a seeded 10 GiB object that is never materialised, keep-alive (one connection for a serial client),
the latency, and 503 SlowDown above the rate limit. Exit 0 when all holds. About 10 s.
"""

import os
import socket
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402

import copypt_harness as h  # noqa: E402
from standin_harness import StandIn  # noqa: E402

MiB, GiB = 1 << 20, 1 << 30
failures = []


def expect(what, got, wanted):
    if got != wanted:
        failures.append("%s: got %r, wanted %r" % (what, got, wanted))
    elif "-v" in sys.argv:
        print("ok: %.2f" % time.monotonic(), what)


def error_of(call):
    try:
        call()
        return None
    except botocore.exceptions.ClientError as e:
        return (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"])


def client(stand, retries=0):
    return boto3.client(
        "s3", endpoint_url=stand.url, region_name="us-east-1", verify=stand.ca,
        aws_access_key_id="AKIASTANDINSELFTEST0", aws_secret_access_key="not-checked",
        config=botocore.config.Config(retries={"total_max_attempts": retries + 1, "mode": "standard"},
                                      s3={"addressing_style": "path"}, max_pool_connections=4))


def raw_keepalive(stand, count):
    """`count` HeadBucket requests on one TLS connection, written by hand: (statuses, seconds)."""
    context = ssl.create_default_context(cafile=stand.ca)
    with socket.create_connection((h.LOOPBACK, stand.port)) as raw, context.wrap_socket(raw, server_hostname="127.0.0.1") as s:
        reader = s.makefile("rb")
        statuses, t0 = [], time.monotonic()
        for _ in range(count):
            s.sendall(b"HEAD /stg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status = int(reader.readline().split()[1])
            while reader.readline() not in (b"\r\n", b""):
                pass
            statuses.append(status)
        return statuses, time.monotonic() - t0


def main():
    with StandIn(latency_ms=20, min_part_size=5 * MiB) as stand:
        s3 = client(stand)
        s3.create_bucket(Bucket="stg")
        s3.create_bucket(Bucket="dst")
        expect("a second CreateBucket", error_of(lambda: s3.create_bucket(Bucket="dst")), (409, "BucketAlreadyOwnedByYou"))
        expect("HeadBucket's region", s3.head_bucket(Bucket="dst")["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"], "us-east-1")
        expect("HeadBucket of a missing bucket", error_of(lambda: s3.head_bucket(Bucket="nope")), (404, "404"))

        body = b"hello stand-in\n" * 100
        put = s3.put_object(Bucket="stg", Key="run/a b+c.txt", Body=body, ContentType="text/plain", Metadata={"lab": "x"})
        head = s3.head_object(Bucket="stg", Key="run/a b+c.txt")
        expect("HeadObject size", head["ContentLength"], len(body))
        expect("HeadObject ETag is PutObject's", head["ETag"], put["ETag"])
        expect("HeadObject metadata", head["Metadata"], {"lab": "x"})
        expect("GetObject body", s3.get_object(Bucket="stg", Key="run/a b+c.txt")["Body"].read(), body)
        expect("HeadObject of a missing key", error_of(lambda: s3.head_object(Bucket="stg", Key="nope")), (404, "404"))
        expect("GetObject of a missing key", error_of(lambda: s3.get_object(Bucket="stg", Key="nope")), (404, "NoSuchKey"))

        expect("seed", stand.seed("stg", "run/obj-", 2500, 1024), 2500)
        keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket="stg", Prefix="run/")
                for o in page.get("Contents", [])]
        expect("ListObjectsV2 pages through every key, decoded", (len(keys), keys[0]), (2501, "run/a b+c.txt"))
        listed = s3.list_objects_v2(Bucket="stg", Prefix="run/", Delimiter="/", MaxKeys=5)
        expect("ListObjectsV2 page size", (listed["KeyCount"], listed["IsTruncated"]), (5, True))
        v1 = s3.list_objects(Bucket="stg", Prefix="run/obj-00", MaxKeys=10)
        expect("ListObjects (v1)", (len(v1["Contents"]), v1["IsTruncated"]), (10, True))

        copied = s3.copy_object(Bucket="dst", Key="in/a", CopySource={"Bucket": "stg", "Key": "run/a b+c.txt"},
                                CopySourceIfMatch=put["ETag"], MetadataDirective="COPY", ACL="bucket-owner-full-control")
        expect("CopyObject keeps a single-part ETag", copied["CopyObjectResult"]["ETag"], put["ETag"])
        expect("the copy's metadata", s3.head_object(Bucket="dst", Key="in/a")["Metadata"], {"lab": "x"})
        expect("CopyObject with a stale if-match", error_of(lambda: s3.copy_object(
            Bucket="dst", Key="in/b", CopySource={"Bucket": "stg", "Key": "run/a b+c.txt"}, CopySourceIfMatch='"0"')),
            (412, "PreconditionFailed"))

        stand.seed("stg", keys=["big/10g.bin"], size=10 * GiB)
        expect("CopyObject over 5 GiB", error_of(lambda: s3.copy_object(
            Bucket="dst", Key="big", CopySource={"Bucket": "stg", "Key": "big/10g.bin"})), (400, "InvalidRequest"))
        upload = s3.create_multipart_upload(Bucket="dst", Key="big")["UploadId"]
        expect("ListMultipartUploads", [u["UploadId"] for u in s3.list_multipart_uploads(Bucket="dst")["Uploads"]], [upload])
        part = 5 * GiB
        etags = []
        for n, first in enumerate(range(0, 10 * GiB, part), 1):
            r = s3.upload_part_copy(Bucket="dst", Key="big", UploadId=upload, PartNumber=n,
                                    CopySource={"Bucket": "stg", "Key": "big/10g.bin"},
                                    CopySourceRange="bytes=%d-%d" % (first, first + part - 1))
            etags.append(r["CopyPartResult"]["ETag"])
        parts = s3.list_parts(Bucket="dst", Key="big", UploadId=upload)["Parts"]
        expect("ListParts", [(p["PartNumber"], p["Size"]) for p in parts], [(1, part), (2, part)])
        expect("an out-of-range part", error_of(lambda: s3.upload_part_copy(
            Bucket="dst", Key="big", UploadId=upload, PartNumber=3, CopySource={"Bucket": "stg", "Key": "big/10g.bin"},
            CopySourceRange="bytes=0-%d" % (10 * GiB))), (400, "InvalidRequest"))
        done = s3.complete_multipart_upload(Bucket="dst", Key="big", UploadId=upload, MultipartUpload={
            "Parts": [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]})
        expect("CompleteMultipartUpload's ETag has the part count", done["ETag"].strip('"').endswith("-2"), True)
        expect("the 10 GiB copy's size", s3.head_object(Bucket="dst", Key="big")["ContentLength"], 10 * GiB)
        expect("no upload left", s3.list_multipart_uploads(Bucket="dst").get("Uploads", []), [])

        small = s3.create_multipart_upload(Bucket="dst", Key="small")["UploadId"]
        tags = [s3.upload_part_copy(Bucket="dst", Key="small", UploadId=small, PartNumber=n,
                                    CopySource={"Bucket": "stg", "Key": "run/obj-000001"})["CopyPartResult"]["ETag"] for n in (1, 2)]
        expect("a small non-last part", error_of(lambda: s3.complete_multipart_upload(
            Bucket="dst", Key="small", UploadId=small, MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in zip((1, 2), tags)]})),
            (400, "EntityTooSmall"))
        s3.abort_multipart_upload(Bucket="dst", Key="small", UploadId=small)
        expect("AbortMultipartUpload", error_of(lambda: s3.list_parts(Bucket="dst", Key="small", UploadId=small)), (404, "NoSuchUpload"))
        deleted = s3.delete_objects(Bucket="dst", Delete={"Objects": [{"Key": "in/a"}, {"Key": "big"}]})
        expect("DeleteObjects", sorted(d["Key"] for d in deleted["Deleted"]), ["big", "in/a"])
        expect("count after delete", stand.count("dst")["objects"], 0)

        stats = stand.stats()
        expect("a serial boto3 client keeps one connection", stats["connections_opened"], 1)
        expect("CopyObject counted", stats["operations"]["CopyObject"], 3)
        statuses, seconds = raw_keepalive(stand, 20)
        expect("20 requests on one hand-written keep-alive connection", statuses, [200] * 20)
        expect("each waited the 20 ms latency", seconds >= 20 * 0.020, True)

        stand.configure(rate_limit=1, burst=1)
        stand.reset()
        answers = [error_of(lambda: s3.head_bucket(Bucket="stg")) for _ in range(6)]
        expect("above the rate limit: 503 SlowDown", answers.count((503, "503")) >= 3, True)
        expect("SlowDown's XML", error_of(lambda: s3.list_objects_v2(Bucket="stg", MaxKeys=1)), (503, "SlowDown"))
        expect("SlowDown counted", stand.stats()["slowdowns"] >= 4, True)
        stand.configure(rate_limit=0, slowdown_next=2)
        stand.reset()
        answers = [error_of(lambda: s3.list_objects_v2(Bucket="stg", MaxKeys=1)) for _ in range(3)]
        expect("slowdown_next 2: exactly the next two answer SlowDown", answers, [(503, "SlowDown")] * 2 + [None])
    for f in failures:
        print("FAIL:", f)
    print("s3-standin self-test: %s" % ("%d failure(s)" % len(failures) if failures else "all checks hold"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
