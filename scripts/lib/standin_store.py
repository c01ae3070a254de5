"""The S3 stand-in's in-memory buckets, objects and multipart uploads, and the S3 operations on them.

Used by scripts/s3-standin (standin_server.py speaks HTTP; this module answers S3). Python 3
standard library only. Each operation takes the parsed request and returns (status, headers, body).

Where it differs from real S3 (on purpose, to stay small and fast):
  - No SigV4 check: Authorization is ignored (any credentials work). Path-style addressing only.
  - Seeded objects (admin seed) hold a size and a synthetic ETag, not bytes: a 10 GiB object costs
    nothing. GetObject of such an object answers a repeated byte pattern of the right length
    (up to 64 MiB; larger answers 501).
  - A copy of an object with a multipart ETag gets a synthetic single-part ETag (real S3 would
    compute the MD5 of the bytes); a copy of a single-part object keeps its ETag, as S3 does.
  - No versioning, ACLs, tags, encryption or object lock: x-amz-acl and the like are accepted and
    dropped; GetObjectTagging answers an empty TagSet; no x-amz-tagging-count.
  - PutObject/UploadPart decode aws-chunked bodies but check neither chunk signatures nor checksums.
"""

import bisect
import hashlib
import re
import time
import urllib.parse

MiB = 1 << 20
GiB = 1 << 30
MAX_COPY_SIZE = 5 * GiB
XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
NS = ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'


def xml_escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def iso_time(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch))


def http_time(epoch):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(epoch))


class S3Failure(Exception):
    """An S3 error answer: status, code, message (and the resource it concerns)."""

    def __init__(self, status, code, message, resource=""):
        super().__init__(message)
        self.status, self.code, self.message, self.resource = status, code, message, resource


class StoredObject:
    __slots__ = ("size", "etag", "data", "modified", "content_type", "meta")

    def __init__(self, size, etag, data=None, content_type="binary/octet-stream", meta=()):
        self.size, self.etag, self.data = size, etag, data
        self.modified = int(time.time())
        self.content_type, self.meta = content_type, tuple(meta)


class Bucket:
    __slots__ = ("name", "region", "objects", "uploads", "_sorted")

    def __init__(self, name, region):
        self.name, self.region = name, region
        self.objects = {}
        self.uploads = {}   # upload id → Upload
        self._sorted = None

    def put(self, key, obj):
        if key not in self.objects:
            self._sorted = None
        self.objects[key] = obj

    def delete(self, key):
        if self.objects.pop(key, None) is not None:
            self._sorted = None

    def sorted_keys(self):
        if self._sorted is None:
            self._sorted = sorted(self.objects)
        return self._sorted


class Upload:
    __slots__ = ("upload_id", "key", "parts", "initiated", "content_type", "meta")

    def __init__(self, upload_id, key, content_type, meta):
        self.upload_id, self.key = upload_id, key
        self.parts = {}   # number → (size, etag)
        self.initiated = int(time.time())
        self.content_type, self.meta = content_type, meta


def synthetic_etag(*parts):
    return '"%s"' % hashlib.md5("\0".join(str(p) for p in parts).encode()).hexdigest()


def multipart_etag(etags):
    digest = hashlib.md5()
    for etag in etags:
        digest.update(bytes.fromhex(etag.strip('"').split("-")[0]))
    return '"%s-%d"' % (digest.hexdigest(), len(etags))


def decoded_body(headers, body):
    """The payload of an aws-chunked body (`Content-Encoding: aws-chunked`, as boto3 sends with a
    trailing checksum); chunk signatures and trailers are not checked."""
    if "aws-chunked" not in headers.get("content-encoding", "") and not headers.get(
            "x-amz-content-sha256", "").startswith("STREAMING-"):
        return body
    out, at = bytearray(), 0
    while True:
        end = body.find(b"\r\n", at)
        if end < 0:
            raise S3Failure(400, "IncompleteBody", "The aws-chunked body ended early")
        size = int(body[at:end].split(b";")[0] or b"0", 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2:end + 2 + size]
        at = end + 2 + size + 2


PART_RE = re.compile(rb"<Part>(.*?)</Part>", re.S)
NUMBER_RE = re.compile(rb"<PartNumber>\s*(\d+)\s*</PartNumber>")
ETAG_RE = re.compile(rb"<ETag>(.*?)</ETag>", re.S)
DELETE_KEY_RE = re.compile(rb"<Object>\s*<Key>(.*?)</Key>", re.S)
COPY_RANGE_RE = re.compile(r"^bytes=(\d+)-(\d+)$")


class Store:
    """The buckets; `min_part_size` is CompleteMultipartUpload's EntityTooSmall bound (S3: 5 MiB)."""

    def __init__(self, region="us-east-1", min_part_size=5 * MiB):
        self.region = region
        self.min_part_size = min_part_size
        self.buckets = {}
        self._upload_counter = 0

    # MARK: - admin

    def bucket(self, name, create=False, region=None):
        bucket = self.buckets.get(name)
        if bucket is None:
            if not create:
                raise S3Failure(404, "NoSuchBucket", "The specified bucket does not exist", name)
            bucket = self.buckets[name] = Bucket(name, region or self.region)
        return bucket

    def seed(self, bucket_name, prefix="", count=0, size=0, start=0, digits=6, keys=None, region=None):
        """Creates `count` objects `prefix + zero-padded index` (or the given keys) of `size` bytes."""
        bucket = self.bucket(bucket_name, create=True, region=region)
        names = keys if keys is not None else (
            "%s%0*d" % (prefix, digits, i) for i in range(start, start + count))
        created = 0
        for key in names:
            bucket.put(key, StoredObject(size, synthetic_etag(bucket_name, key, size)))
            created += 1
        return created

    def count(self, bucket_name, prefix=""):
        bucket = self.bucket(bucket_name)
        keys = bucket.sorted_keys()
        lo = bisect.bisect_left(keys, prefix)
        n, total = 0, 0
        for key in keys[lo:]:
            if not key.startswith(prefix):
                break
            n += 1
            total += bucket.objects[key].size
        return {"objects": n, "bytes": total, "uploads": len(bucket.uploads)}

    # MARK: - helpers

    def _object(self, bucket, key):
        obj = bucket.objects.get(key)
        if obj is None:
            raise S3Failure(404, "NoSuchKey", "The specified key does not exist.", key)
        return obj

    def _copy_source(self, headers):
        raw = headers.get("x-amz-copy-source", "")
        raw = raw.split("?versionId=", 1)[0]
        text = urllib.parse.unquote(raw).lstrip("/")
        if "/" not in text:
            raise S3Failure(400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
        bucket_name, key = text.split("/", 1)
        obj = self._object(self.bucket(bucket_name), key)
        match = headers.get("x-amz-copy-source-if-match")
        if match is not None and match.strip('"') != obj.etag.strip('"'):
            raise S3Failure(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                            "x-amz-copy-source-If-Match")
        return obj

    @staticmethod
    def _meta_from(headers):
        return tuple((k, v) for k, v in headers.items() if k.startswith("x-amz-meta-"))

    # MARK: - bucket operations

    def head_bucket(self, bucket_name):
        bucket = self.buckets.get(bucket_name)
        if bucket is None:
            return 404, [("x-amz-bucket-region", self.region)], b""
        return 200, [("x-amz-bucket-region", bucket.region)], b""

    def bucket_location(self, bucket_name):
        bucket = self.bucket(bucket_name)
        region = "" if bucket.region == "us-east-1" else bucket.region
        return 200, [], XML_HEAD + ('<LocationConstraint%s>%s</LocationConstraint>' % (NS, region)).encode()

    def create_bucket(self, bucket_name, body):
        match = re.search(rb"<LocationConstraint>(.*?)</LocationConstraint>", body or b"")
        region = match.group(1).decode() if match else self.region
        if bucket_name in self.buckets:
            raise S3Failure(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", bucket_name)
        self.bucket(bucket_name, create=True, region=region)
        return 200, [("Location", "/" + bucket_name)], b""

    def list_objects(self, bucket_name, query, v2):
        bucket = self.bucket(bucket_name)
        prefix = query.get("prefix", "")
        delimiter = query.get("delimiter", "")
        try:
            max_keys = min(int(query.get("max-keys", "1000")), 1000)
        except ValueError:
            raise S3Failure(400, "InvalidArgument", "Provided max-keys not an integer or within integer range")
        url = query.get("encoding-type") == "url"
        if v2:
            token = query.get("continuation-token")
            start = urllib.parse.unquote(token) if token else query.get("start-after", "")
        else:
            start = query.get("marker", "")
        keys = bucket.sorted_keys()
        index = bisect.bisect_right(keys, start) if start else bisect.bisect_left(keys, prefix)
        enc = (lambda s: urllib.parse.quote_plus(s, safe="/")) if url else xml_escape
        out, prefixes, count, last, truncated = [], [], 0, None, False
        seen_prefixes = set()
        while index < len(keys):
            key = keys[index]
            if not key.startswith(prefix):
                break
            if count >= max_keys:
                truncated = True
                break
            if delimiter:
                cut = key.find(delimiter, len(prefix))
                if cut >= 0:
                    common = key[:cut + len(delimiter)]
                    if common not in seen_prefixes:
                        seen_prefixes.add(common)
                        prefixes.append("<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>" % enc(common))
                        count += 1
                    last = common
                    # Skip the rest of this common prefix.
                    index = bisect.bisect_left(keys, common[:-1] + chr(ord(common[-1]) + 1), index)
                    continue
            obj = bucket.objects[key]
            out.append("<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>%s</ETag><Size>%d</Size>"
                       "<StorageClass>STANDARD</StorageClass></Contents>" % (
                           enc(key), iso_time(obj.modified), xml_escape(obj.etag), obj.size))
            count += 1
            last = key
            index += 1
        head = ["<ListBucketResult%s><Name>%s</Name><Prefix>%s</Prefix>" % (NS, xml_escape(bucket_name), enc(prefix))]
        if v2:
            head.append("<KeyCount>%d</KeyCount>" % count)
            if truncated:
                head.append("<NextContinuationToken>%s</NextContinuationToken>" % xml_escape(urllib.parse.quote(last, safe="")))
        else:
            head.append("<Marker>%s</Marker>" % enc(start))
            if truncated:
                head.append("<NextMarker>%s</NextMarker>" % enc(last))
        head.append("<MaxKeys>%d</MaxKeys>" % max_keys)
        if delimiter:
            head.append("<Delimiter>%s</Delimiter>" % enc(delimiter))
        if url:
            head.append("<EncodingType>url</EncodingType>")
        head.append("<IsTruncated>%s</IsTruncated>" % ("true" if truncated else "false"))
        return 200, [], XML_HEAD + ("".join(head) + "".join(out) + "".join(prefixes) + "</ListBucketResult>").encode()

    def list_uploads(self, bucket_name, query):
        bucket = self.bucket(bucket_name)
        prefix = query.get("prefix", "")
        items = sorted((u.key, u.upload_id, u) for u in bucket.uploads.values() if u.key.startswith(prefix))
        marker = query.get("key-marker")
        if marker:
            id_marker = query.get("upload-id-marker", "")
            items = [i for i in items if (i[0], i[1]) > (marker, id_marker)]
        page, truncated = items[:1000], len(items) > 1000
        out = ["<ListMultipartUploadsResult%s><Bucket>%s</Bucket><Prefix>%s</Prefix><MaxUploads>1000</MaxUploads>"
               "<IsTruncated>%s</IsTruncated>" % (NS, xml_escape(bucket_name), xml_escape(prefix), "true" if truncated else "false")]
        if truncated:
            out.append("<NextKeyMarker>%s</NextKeyMarker><NextUploadIdMarker>%s</NextUploadIdMarker>" % (
                xml_escape(page[-1][0]), page[-1][1]))
        for key, upload_id, upload in page:
            out.append("<Upload><Key>%s</Key><UploadId>%s</UploadId><Initiated>%s</Initiated>"
                       "<StorageClass>STANDARD</StorageClass></Upload>" % (xml_escape(key), upload_id, iso_time(upload.initiated)))
        out.append("</ListMultipartUploadsResult>")
        return 200, [], XML_HEAD + "".join(out).encode()

    def delete_objects(self, bucket_name, body):
        bucket = self.bucket(bucket_name)
        out = ["<DeleteResult%s>" % NS]
        for raw in DELETE_KEY_RE.findall(body):
            key = raw.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
            bucket.delete(key)
            out.append("<Deleted><Key>%s</Key></Deleted>" % xml_escape(key))
        out.append("</DeleteResult>")
        return 200, [], XML_HEAD + "".join(out).encode()

    # MARK: - object operations

    def head_object(self, bucket_name, key):
        obj = self._object(self.bucket(bucket_name), key)
        headers = [("ETag", obj.etag), ("Last-Modified", http_time(obj.modified)), ("Content-Type", obj.content_type),
                   ("Accept-Ranges", "bytes")]
        headers.extend(obj.meta)
        return 200, headers, obj.size

    def get_object(self, bucket_name, key):
        status, headers, size = self.head_object(bucket_name, key)
        obj = self.buckets[bucket_name].objects[key]
        if obj.data is not None:
            return status, headers, obj.data
        if size > 64 * MiB:
            raise S3Failure(501, "NotImplemented", "s3-standin does not serve the bytes of a seeded object over 64 MiB", key)
        return status, headers, (b"copypt-standin\n" * (size // 15 + 1))[:size]

    def get_tagging(self, bucket_name, key):
        self._object(self.bucket(bucket_name), key)
        return 200, [], XML_HEAD + ("<Tagging%s><TagSet></TagSet></Tagging>" % NS).encode()

    def put_object(self, bucket_name, key, headers, body):
        body = decoded_body(headers, body)
        bucket = self.bucket(bucket_name)
        etag = '"%s"' % hashlib.md5(body).hexdigest()
        bucket.put(key, StoredObject(len(body), etag, bytes(body),
                                     headers.get("content-type", "binary/octet-stream"), self._meta_from(headers)))
        return 200, [("ETag", etag)], b""

    def copy_object(self, bucket_name, key, headers):
        bucket = self.bucket(bucket_name)
        source = self._copy_source(headers)
        if source.size > MAX_COPY_SIZE:
            raise S3Failure(400, "InvalidRequest", "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120", key)
        etag = source.etag if "-" not in source.etag else synthetic_etag("copy", source.etag)
        if headers.get("x-amz-metadata-directive", "COPY").upper() == "REPLACE":
            content_type, meta = headers.get("content-type", "binary/octet-stream"), self._meta_from(headers)
        else:
            content_type, meta = source.content_type, source.meta
        obj = StoredObject(source.size, etag, source.data, content_type, meta)
        bucket.put(key, obj)
        body = "<CopyObjectResult%s><LastModified>%s</LastModified><ETag>%s</ETag></CopyObjectResult>" % (
            NS, iso_time(obj.modified), xml_escape(etag))
        return 200, [], XML_HEAD + body.encode()

    def delete_object(self, bucket_name, key):
        self.bucket(bucket_name).delete(key)
        return 204, [], b""

    # MARK: - multipart

    def create_upload(self, bucket_name, key, headers):
        bucket = self.bucket(bucket_name)
        self._upload_counter += 1
        upload_id = "standin-%08d-%s" % (self._upload_counter, hashlib.md5(key.encode()).hexdigest()[:12])
        bucket.uploads[upload_id] = Upload(upload_id, key, headers.get("content-type", "binary/octet-stream"),
                                           self._meta_from(headers))
        body = "<InitiateMultipartUploadResult%s><Bucket>%s</Bucket><Key>%s</Key><UploadId>%s</UploadId></InitiateMultipartUploadResult>" % (
            NS, xml_escape(bucket_name), xml_escape(key), upload_id)
        return 200, [], XML_HEAD + body.encode()

    def _upload(self, bucket, key, query):
        upload = bucket.uploads.get(query.get("uploadId", ""))
        if upload is None or upload.key != key:
            raise S3Failure(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", key)
        return upload

    @staticmethod
    def _part_number(query):
        try:
            number = int(query.get("partNumber", ""))
        except ValueError:
            number = 0
        if not 1 <= number <= 10000:
            raise S3Failure(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
        return number

    def copy_part_size(self, headers):
        """The bytes an UploadPartCopy will copy (for latency in proportion to part size); 0 when unknown."""
        match = COPY_RANGE_RE.match(headers.get("x-amz-copy-source-range", ""))
        if match:
            return int(match.group(2)) - int(match.group(1)) + 1
        try:
            return self._copy_source({"x-amz-copy-source": headers.get("x-amz-copy-source", "")}).size
        except S3Failure:
            return 0

    def upload_part_copy(self, bucket_name, key, query, headers):
        bucket = self.bucket(bucket_name)
        upload = self._upload(bucket, key, query)
        number = self._part_number(query)
        source = self._copy_source(headers)
        text = headers.get("x-amz-copy-source-range")
        if text is None:
            first, last = 0, source.size - 1
        else:
            match = COPY_RANGE_RE.match(text)
            if not match:
                raise S3Failure(400, "InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
            first, last = int(match.group(1)), int(match.group(2))
            if last < first or last >= source.size:
                raise S3Failure(400, "InvalidRequest", "The specified copy range is invalid for the source object size")
        size = last - first + 1
        if size > MAX_COPY_SIZE:
            raise S3Failure(400, "InvalidRequest", "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120")
        etag = synthetic_etag(upload.upload_id, number, source.etag, first, last)
        upload.parts[number] = (size, etag)
        body = "<CopyPartResult%s><LastModified>%s</LastModified><ETag>%s</ETag></CopyPartResult>" % (
            NS, iso_time(int(time.time())), xml_escape(etag))
        return 200, [], XML_HEAD + body.encode()

    def upload_part(self, bucket_name, key, query, headers, body):
        upload = self._upload(self.bucket(bucket_name), key, query)
        number = self._part_number(query)
        body = decoded_body(headers, body)
        etag = '"%s"' % hashlib.md5(body).hexdigest()
        upload.parts[number] = (len(body), etag)
        return 200, [("ETag", etag)], b""

    def list_parts(self, bucket_name, key, query):
        upload = self._upload(self.bucket(bucket_name), key, query)
        marker = int(query.get("part-number-marker", "0") or 0)
        limit = min(int(query.get("max-parts", "1000") or 1000), 1000)
        numbers = [n for n in sorted(upload.parts) if n > marker]
        page, truncated = numbers[:limit], len(numbers) > limit
        out = ["<ListPartsResult%s><Bucket>%s</Bucket><Key>%s</Key><UploadId>%s</UploadId>"
               "<PartNumberMarker>%d</PartNumberMarker><MaxParts>%d</MaxParts><IsTruncated>%s</IsTruncated>" % (
                   NS, xml_escape(bucket_name), xml_escape(key), upload.upload_id, marker, limit,
                   "true" if truncated else "false")]
        if truncated:
            out.append("<NextPartNumberMarker>%d</NextPartNumberMarker>" % page[-1])
        for n in page:
            size, etag = upload.parts[n]
            out.append("<Part><PartNumber>%d</PartNumber><LastModified>%s</LastModified><ETag>%s</ETag><Size>%d</Size></Part>" % (
                n, iso_time(upload.initiated), xml_escape(etag), size))
        out.append("</ListPartsResult>")
        return 200, [], XML_HEAD + "".join(out).encode()

    def complete_upload(self, bucket_name, key, query, body):
        bucket = self.bucket(bucket_name)
        upload = self._upload(bucket, key, query)
        listed = []
        for part in PART_RE.findall(body):
            number, etag = NUMBER_RE.search(part), ETAG_RE.search(part)
            if not number or not etag:
                raise S3Failure(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
            listed.append((int(number.group(1)), etag.group(1).decode().replace("&quot;", '"').strip().strip('"')))
        if not listed:
            raise S3Failure(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
        if [n for n, _ in listed] != sorted({n for n, _ in listed}):
            raise S3Failure(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.")
        total, etags = 0, []
        for index, (number, etag) in enumerate(listed):
            stored = upload.parts.get(number)
            if stored is None or stored[1].strip('"') != etag:
                raise S3Failure(400, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
            if index < len(listed) - 1 and stored[0] < self.min_part_size:
                raise S3Failure(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
            total += stored[0]
            etags.append(stored[1])
        etag = multipart_etag(etags)
        bucket.put(key, StoredObject(total, etag, None, upload.content_type, upload.meta))
        del bucket.uploads[upload.upload_id]
        out = "<CompleteMultipartUploadResult%s><Location>/%s/%s</Location><Bucket>%s</Bucket><Key>%s</Key><ETag>%s</ETag></CompleteMultipartUploadResult>" % (
            NS, xml_escape(bucket_name), xml_escape(urllib.parse.quote(key)), xml_escape(bucket_name), xml_escape(key), xml_escape(etag))
        return 200, [], XML_HEAD + out.encode()

    def abort_upload(self, bucket_name, key, query):
        bucket = self.bucket(bucket_name)
        upload = self._upload(bucket, key, query)
        del bucket.uploads[upload.upload_id]
        return 204, [], b""
