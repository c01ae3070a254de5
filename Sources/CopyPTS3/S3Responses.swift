/// One object in a ListObjectsV2 page.
public struct S3ObjectSummary: Sendable, Hashable, Codable {
    /// The object key, decoded (S3 sends it URL-encoded because copypt asks for `encoding-type=url`).
    public var key: String
    /// The size in bytes.
    public var size: Int64
    /// The ETag, with its quotes, as S3 sends it (`"9b2cf535f27731c974343645a3985328"`).
    public var eTag: String
    /// The storage class, e.g. `STANDARD`.
    public var storageClass: String?

    /// The largest `Size` a listing may report: 10,000 parts of 5 GiB (53.7 TB), the most a
    /// multipart copy can write. S3's own object size limit is below it; a listing above it,
    /// or below 0, is refused, and totals of sizes stay far from `Int64`'s limit.
    public static let maximumSize: Int64 = 10_000 * 5 * PartPlan.gibibyte

    /// Creates a summary.
    public init(key: String, size: Int64, eTag: String, storageClass: String? = nil) {
        self.key = key
        self.size = size
        self.eTag = eTag
        self.storageClass = storageClass
    }
}

/// One page of a ListObjectsV2 listing.
public struct S3ListPage: Sendable, Hashable {
    /// The objects on this page, in key order.
    public var objects: [S3ObjectSummary]
    /// Common prefixes when a delimiter was given, decoded.
    public var commonPrefixes: [String]
    /// The token for the next page, or `nil` on the last page.
    public var nextContinuationToken: String?
}

/// What HeadObject says about an object.
public struct S3ObjectHead: Sendable, Hashable {
    /// The size in bytes (`Content-Length`).
    public var size: Int64
    /// The ETag with its quotes.
    public var eTag: String
    /// User metadata (`x-amz-meta-*`), names lower-cased without the prefix.
    public var metadata: [String: String]
    /// The standard headers a copy must carry over when it cannot use a COPY directive
    /// (multipart): Content-Type, Content-Encoding, Content-Disposition, Content-Language,
    /// Cache-Control, Expires, x-amz-website-redirect-location.
    public var systemHeaders: [String: String]
    /// `x-amz-server-side-encryption`, e.g. `AES256` or `aws:kms`.
    public var serverSideEncryption: String?
    /// The storage class, `nil` meaning STANDARD.
    public var storageClass: String?
    /// The number of tags (`x-amz-tagging-count`), 0 when absent.
    public var tagCount: Int
}

/// The result of CopyObject.
public struct S3CopyResult: Sendable, Hashable {
    /// The new object's ETag, with its quotes.
    public var eTag: String
    /// `x-amz-server-side-encryption` of the new object, when S3 said.
    public var serverSideEncryption: String?
    /// `x-amz-version-id` of the new object on a versioned bucket.
    public var versionID: String?
}

/// One part of a multipart upload, as ListParts or UploadPartCopy reports it.
public struct S3Part: Sendable, Hashable, Codable {
    /// The part number, 1…10,000.
    public var partNumber: Int
    /// The part's ETag, with its quotes.
    public var eTag: String
    /// The part size in bytes (ListParts only; 0 when unknown).
    public var size: Int64

    /// Creates a part.
    public init(partNumber: Int, eTag: String, size: Int64) {
        self.partNumber = partNumber
        self.eTag = eTag
        self.size = size
    }
}

/// The result of CompleteMultipartUpload.
public struct S3CompleteResult: Sendable, Hashable {
    /// The multipart ETag of the new object (`"…-N"`).
    public var eTag: String
}

/// The result of DeleteObjects.
public struct S3DeleteResult: Sendable, Hashable {
    /// Keys S3 reports deleted.
    public var deleted: [String]
    /// Keys S3 could not delete, with its error code and message.
    public var failed: [S3DeleteFailure]
}

/// One key DeleteObjects could not delete.
public struct S3DeleteFailure: Sendable, Hashable {
    /// The key.
    public var key: String
    /// S3's error code, e.g. `AccessDenied`.
    public var code: String
    /// S3's message.
    public var message: String
}

/// An object tag.
public struct S3Tag: Sendable, Hashable, Codable {
    /// The tag key.
    public var key: String
    /// The tag value.
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
