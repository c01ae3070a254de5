import CopyPTHTTP

// MARK: - Requests that carry or return an object's bytes (Batch Operations' manifest and report)

extension S3Client {
    /// PutObject of a small body (a manifest that fits in one part).
    /// - Returns: the new object's ETag, with quotes.
    /// - Throws: ``S3Error``.
    public func putObject(_ location: S3Location, body: [UInt8], contentType: String, expectedOwner: String? = nil) async throws -> String {
        var operation = S3Operation(
            name: "PutObject \(location)", method: .put, bucket: location.bucket, key: location.key, body: body)
        operation.headers = [("Content-Type", contentType)]
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        return try await perform(operation) { $0.headers["etag"] }
    }

    /// CreateMultipartUpload for an object whose bytes copypt writes (not a copy).
    /// - Returns: the UploadId.
    public func createUpload(_ location: S3Location, contentType: String, expectedOwner: String? = nil) async throws -> String {
        var operation = S3Operation(
            name: "CreateMultipartUpload for \(location)", method: .post, bucket: location.bucket,
            key: location.key, query: [("uploads", nil)])
        operation.headers = [("Content-Type", contentType)]
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        return try await perform(operation) { s3UploadID(xml: $0.body) }
    }

    /// UploadPart: part `partNumber` of `uploadID` with `body` as its bytes.
    /// - Returns: the part, with its ETag and size.
    public func uploadPart(
        _ location: S3Location, uploadID: String, partNumber: Int, body: [UInt8], expectedOwner: String? = nil
    ) async throws -> S3Part {
        var operation = S3Operation(
            name: "UploadPart part \(partNumber) for \(location)", method: .put, bucket: location.bucket,
            key: location.key, query: [("partNumber", String(partNumber)), ("uploadId", uploadID)], body: body)
        operation.notFoundCode = "NoSuchUpload"
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        let eTag = try await perform(operation) { $0.headers["etag"] }
        return S3Part(partNumber: partNumber, eTag: eTag, size: Int64(body.count))
    }

    /// GetObject of a small object (a completion report), refused past `maxBytes`.
    /// - Returns: the object's bytes.
    /// - Throws: ``S3Error`` (`NoSuchKey`, or a transport error past `maxBytes`).
    public func getObject(_ location: S3Location, maxBytes: Int, expectedOwner: String? = nil) async throws -> [UInt8] {
        var operation = S3Operation(name: "GetObject \(location)", method: .get, bucket: location.bucket, key: location.key)
        operation.notFoundCode = "NoSuchKey"
        operation.maxResponseBytes = maxBytes
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        return try await perform(operation) { $0.body }
    }
}
