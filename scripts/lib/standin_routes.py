"""Which S3 operation a request is, and the call into standin_store.Store that answers it.

route(method, bucket, key, query, headers) → (operation name, callable taking the body).
Path-style only (`/bucket/key`); a request it does not know answers 501 NotImplemented.
"""

from standin_store import S3Failure


def _not_implemented(method, path):
    def answer(_body):
        raise S3Failure(501, "NotImplemented", "s3-standin does not implement %s %s" % (method, path))
    return answer


def route(store, method, bucket, key, query, headers):
    if not bucket:
        return "ListBuckets", _not_implemented(method, "/")
    if key is None or key == "":
        if method == "HEAD":
            return "HeadBucket", lambda body: store.head_bucket(bucket)
        if method == "GET":
            if "uploads" in query:
                return "ListMultipartUploads", lambda body: store.list_uploads(bucket, query)
            if "location" in query:
                return "GetBucketLocation", lambda body: store.bucket_location(bucket)
            if query.get("list-type") == "2":
                return "ListObjectsV2", lambda body: store.list_objects(bucket, query, True)
            if len(set(query) - {"prefix", "delimiter", "marker", "max-keys", "encoding-type"}) == 0:
                return "ListObjects", lambda body: store.list_objects(bucket, query, False)
        if method == "PUT" and not query:
            return "CreateBucket", lambda body: store.create_bucket(bucket, body)
        if method == "POST" and "delete" in query:
            return "DeleteObjects", lambda body: store.delete_objects(bucket, body)
        return "Bucket" + method.title(), _not_implemented(method, "/" + bucket)
    if method == "PUT":
        if "partNumber" in query and "uploadId" in query:
            if "x-amz-copy-source" in headers:
                return "UploadPartCopy", lambda body: store.upload_part_copy(bucket, key, query, headers)
            return "UploadPart", lambda body: store.upload_part(bucket, key, query, headers, body)
        if "x-amz-copy-source" in headers:
            return "CopyObject", lambda body: store.copy_object(bucket, key, headers)
        if not query:
            return "PutObject", lambda body: store.put_object(bucket, key, headers, body)
    elif method == "HEAD":
        return "HeadObject", lambda body: store.head_object(bucket, key)
    elif method == "GET":
        if "uploadId" in query:
            return "ListParts", lambda body: store.list_parts(bucket, key, query)
        if "tagging" in query:
            return "GetObjectTagging", lambda body: store.get_tagging(bucket, key)
        if not query or set(query) <= {"versionId", "partNumber"}:
            return "GetObject", lambda body: store.get_object(bucket, key)
    elif method == "POST":
        if "uploads" in query:
            return "CreateMultipartUpload", lambda body: store.create_upload(bucket, key, headers)
        if "uploadId" in query:
            return "CompleteMultipartUpload", lambda body: store.complete_upload(bucket, key, query, body)
    elif method == "DELETE":
        if "uploadId" in query:
            return "AbortMultipartUpload", lambda body: store.abort_upload(bucket, key, query)
        return "DeleteObject", lambda body: store.delete_object(bucket, key)
    return "Object" + method.title(), _not_implemented(method, "/%s/%s" % (bucket, key))
