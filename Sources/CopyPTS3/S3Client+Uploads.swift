// MARK: - ListMultipartUploads

/// One multipart upload begun and neither completed nor aborted.
public struct S3Upload: Sendable, Hashable {
    /// The object key being uploaded.
    public var key: String
    /// The upload id.
    public var uploadID: String

    /// Creates an upload.
    public init(key: String, uploadID: String) {
        self.key = key
        self.uploadID = uploadID
    }
}

extension S3Client {
    /// ListMultipartUploads, every page: the uploads in progress under `prefix`
    /// (docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html). The sweep uses it
    /// to find uploads a killed run created but could not journal, and abort them.
    /// - Parameters:
    ///   - bucket: the bucket.
    ///   - prefix: only keys starting with it, default all.
    ///   - expectedOwner: the account id that must own the bucket, default none.
    /// - Throws: ``S3Error``; ``S3Error/invalidResponse(operation:detail:)`` when a pair of
    ///   page markers comes back twice.
    public func listMultipartUploads(bucket: String, prefix: String = "", expectedOwner: String? = nil) async throws -> [S3Upload] {
        var uploads: [S3Upload] = []
        var keyMarker: String?
        var uploadIDMarker: String?
        var markers = S3PageTokens(operation: "ListMultipartUploads s3://\(bucket)/\(prefix)")
        repeat {
            var query: [(String, String?)] = []
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let uploadIDMarker { query.append(("upload-id-marker", uploadIDMarker)) }
            query.append(("uploads", nil))
            var operation = S3Operation(
                name: "ListMultipartUploads s3://\(bucket)/\(prefix)", method: .get, bucket: bucket, query: query)
            operation.notFoundCode = "NoSuchBucket"
            operation.maxResponseBytes = S3Operation.listingReplyLimit
            if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
            let page = try await perform(operation) { S3UploadsPage(xml: $0.body) }
            uploads += page.uploads
            keyMarker = page.nextKeyMarker
            uploadIDMarker = page.nextUploadIDMarker
            if page.uploads.isEmpty { keyMarker = nil }
            // S3 pages by the pair of markers.
            if let keyMarker { try markers.check(keyMarker + " (upload-id-marker " + (uploadIDMarker ?? "") + ")") }
        } while keyMarker != nil
        return uploads
    }
}

/// One page of ListMultipartUploads.
struct S3UploadsPage: Sendable, Equatable {
    var uploads: [S3Upload]
    var nextKeyMarker: String?
    var nextUploadIDMarker: String?

    /// Reads a `ListMultipartUploadsResult` (or moto's `…Response`).
    init?(xml bytes: [UInt8]) {
        guard let root = S3XMLElement.parse(bytes), root.isNamed("ListMultipartUploadsResult") else { return nil }
        var uploads: [S3Upload] = []
        for upload in root.children("Upload") {
            guard let key = upload.string("Key"), let id = upload.string("UploadId") else { return nil }
            uploads.append(S3Upload(key: key, uploadID: id))
        }
        self.uploads = uploads
        let truncated = root.bool("IsTruncated") ?? false
        nextKeyMarker = truncated ? root.string("NextKeyMarker") : nil
        nextUploadIDMarker = truncated ? root.string("NextUploadIdMarker") : nil
    }
}
