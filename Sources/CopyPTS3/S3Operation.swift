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
