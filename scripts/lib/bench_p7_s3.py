#!/usr/bin/env python3
"""scripts/s3-standin for bench P7, keeping the bytes of multipart uploads.

    python3 scripts/lib/bench_p7_s3.py <scripts/s3-standin's arguments>

scripts/s3-standin stores a completed multipart upload as size + ETag only (its GetObject then
answers a byte pattern). P7's sweep uploads the Batch Operations manifest (1,000,000 rows, several
MiB) by multipart upload, and scripts/s3control-standin must read it back; so this runs the same
stand-in with UploadPart's bytes kept per upload and joined on CompleteMultipartUpload. Nothing
else changes (the patch wraps the two methods; their answers are the stand-in's own).
"""

import os
import runpy
import sys

LIB = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, LIB)
import standin_store  # noqa: E402

_parts = {}   # upload id → {part number: bytes}
_original_part = standin_store.Store.upload_part
_original_complete = standin_store.Store.complete_upload


def upload_part(self, bucket_name, key, query, headers, body):
    answer = _original_part(self, bucket_name, key, query, headers, body)
    upload = self._upload(self.bucket(bucket_name), key, query)
    _parts.setdefault(upload.upload_id, {})[self._part_number(query)] = standin_store.decoded_body(headers, body)
    return answer


def complete_upload(self, bucket_name, key, query, body):
    upload = self._upload(self.bucket(bucket_name), key, query)
    numbers = [int(standin_store.NUMBER_RE.search(p).group(1)) for p in standin_store.PART_RE.findall(body)
               if standin_store.NUMBER_RE.search(p)]
    answer = _original_complete(self, bucket_name, key, query, body)
    kept = _parts.pop(upload.upload_id, {})
    obj = self.buckets[bucket_name].objects.get(key)
    if obj is not None and all(n in kept for n in numbers):
        obj.data = b"".join(kept[n] for n in numbers)
    return answer


standin_store.Store.upload_part = upload_part
standin_store.Store.complete_upload = complete_upload
sys.argv[0] = os.path.join(os.path.dirname(LIB), "s3-standin")
runpy.run_path(sys.argv[0], run_name="__main__")
