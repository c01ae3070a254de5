#!/usr/bin/env python3
"""floor_copy: the least a client can do to copy a prefix server side — scripts/bench's floor.

    floor_copy.py ENDPOINT SRC_BUCKET SRC_PREFIX DST_BUCKET DST_PREFIX --keys-file FILE [--concurrency 16] [--acl ACL]

Sends exactly one CopyObject (PUT with x-amz-copy-source) per key listed in FILE (one key a
line; the bench lists the source once, outside the timing, exactly as the object set is known
to a sweep from Globus's successful_transfers), over `concurrency` keep-alive HTTP/1.1
connections, one thread per connection, no signing (moto runs with auth off), no retries, no
verification beyond the status code; with --acl, each request also carries that x-amz-acl, as
the other clients in the bench are told to send. Prints one JSON line: {"copied", "failed", "requests"}.
Exit 1 if any copy failed.
"""

import argparse
import http.client
import json
import sys
import threading
from urllib.parse import quote, urlsplit


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("endpoint")
    p.add_argument("src_bucket")
    p.add_argument("src_prefix")
    p.add_argument("dst_bucket")
    p.add_argument("dst_prefix")
    p.add_argument("--keys-file", required=True)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--acl", help="a canned ACL to send as x-amz-acl")
    args = p.parse_args(argv)
    u = urlsplit(args.endpoint)
    with open(args.keys_file) as f:
        keys = [line.rstrip("\n") for line in f if line.strip()]
    lock = threading.Lock()
    it = iter(keys)
    counts = {"copied": 0, "failed": 0, "requests": 0}

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        while True:
            with lock:
                key = next(it, None)
            if key is None:
                break
            rel = key[len(args.src_prefix):]
            path = "/%s/%s" % (args.dst_bucket, quote(args.dst_prefix + rel, safe="/~"))
            source = "/%s/%s" % (args.src_bucket, quote(key, safe="/~"))
            headers = {"x-amz-copy-source": source, "Content-Length": "0"}
            if args.acl:
                headers["x-amz-acl"] = args.acl
            conn.request("PUT", path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            ok = resp.status == 200 and b"<Error>" not in body
            with lock:
                counts["requests"] += 1
                counts["copied" if ok else "failed"] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(max(1, args.concurrency))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(counts))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
