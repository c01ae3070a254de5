import CopyPTHTTP

/// One S3 request before addressing and signing: what the client's pipeline sends.
struct S3Operation: Sendable {
    /// Words naming the operation and its objects for error messages,
    /// e.g. `UploadPartCopy part 7/12 for s3://dest/run42/a.h5`.
    var name: String { describe() }
    /// Makes ``name`` when asked: most requests succeed, and building the text for every one
    /// was a visible share of a small copy's CPU (scripts/bench P1).
    private let describe: @Sendable () -> String
    var method: HTTPMethod
    var bucket: String
    /// The decoded key, or `nil` for a bucket-level request.
    var key: String?
    /// Query parameters, decoded; a `nil` value is sent as a bare name (`?uploads`).
    var query: [(String, String?)] = []
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// The S3 error code to report for a bodiless 404 (HEAD requests), e.g. `NoSuchKey`.
    var notFoundCode = "NotFound"
    /// `true` when a 200 may carry an `<Error>` document (CopyObject, UploadPartCopy,
    /// CompleteMultipartUpload): such a body is a (retryable) error.
    var errorMayComeIn200 = false
    /// `true` for the HeadBucket that finds a bucket's region: sent to the configured region,
    /// and any answer carrying `x-amz-bucket-region` (200, 301, 403) counts as a success.
    var isRegionProbe = false
    /// The most reply-body bytes accepted: ``replyLimit``, or ``listingReplyLimit`` for a listing.
    var maxResponseBytes = S3Operation.replyLimit

    /// The cap on an S3 reply body: S3's XML answers (errors, copy results, tags, a
    /// DeleteObjects result for 1,000 keys) are kilobytes; 4 MiB leaves room without letting a
    /// wrong endpoint fill memory.
    static let replyLimit = 4 << 20
    /// The cap on a listing page (ListObjectsV2, ListParts, ListMultipartUploads): 1,000 keys
    /// of 1,024 bytes, each up to 3 bytes per byte once URL- or XML-escaped, plus each entry's
    /// ETag, size, date and owner, come to about 7 MiB.
    static let listingReplyLimit = 16 << 20
    /// The whole-request limit of every request but the copies: 5 minutes, for replies of at
    /// most a few megabytes.
    static let shortRequestTimeout = Duration.seconds(300)

    /// The request's own whole-request limit: none for CopyObject, UploadPartCopy and
    /// CompleteMultipartUpload (the transport's limit applies, 30 min by default), which S3 may
    /// work on for minutes; ``shortRequestTimeout`` for every other request.
    var timeout: Duration? { errorMayComeIn200 ? nil : Self.shortRequestTimeout }

    init(
        name: @autoclosure @escaping @Sendable () -> String, method: HTTPMethod, bucket: String, key: String? = nil,
        query: [(String, String?)] = [], headers: [(String, String)] = [], body: [UInt8] = []
    ) {
        self.describe = name
        self.method = method
        self.bucket = bucket
        self.key = key
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The query string, percent-encoded, in the given order (`uploads` → `uploads=`).
    var encodedQuery: String {
        if query.isEmpty { return "" }
        return query.map { name, value in
            S3PathEncoding.encodeQueryComponent(name) + "=" + (value.map(S3PathEncoding.encodeQueryComponent) ?? "")
        }.joined(separator: "&")
    }
}
