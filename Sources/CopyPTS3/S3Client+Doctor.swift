import CopyPTHTTP

// MARK: - Requests `copypt doctor` makes: HeadBucket with its status, HeadObject with the
// KMS key, DeleteObject of its probe.

/// What HeadBucket answered: its status and the region S3 named (also on 403).
public struct S3BucketProbe: Sendable, Hashable {
    /// 200 (may list), 403 (exists, listing denied), or 301.
    public var status: Int
    /// `x-amz-bucket-region`, when sent.
    public var region: String?
}

/// What HeadObject says about an object's encryption and tags.
public struct S3ObjectProbe: Sendable, Hashable {
    /// The size in bytes.
    public var size: Int64
    /// The ETag with its quotes.
    public var eTag: String
    /// `x-amz-server-side-encryption`.
    public var serverSideEncryption: String?
    /// `x-amz-server-side-encryption-aws-kms-key-id`: the key ARN of an SSE-KMS object.
    public var kmsKeyID: String?
    /// `x-amz-tagging-count`, 0 when absent.
    public var tagCount: Int
}

extension S3Client {
    /// HeadBucket, keeping its status: a 403 that names the bucket's region is an answer here
    /// (the bucket exists; the caller may not list it), not an error.
    /// - Throws: ``S3Error`` for 404 `NoSuchBucket`, a 403 without a region, and the like.
    public func probeBucket(_ bucket: String, expectedOwner: String? = nil) async throws -> S3BucketProbe {
        var operation = S3Operation(name: "HeadBucket s3://\(bucket)", method: .head, bucket: bucket)
        operation.notFoundCode = "NoSuchBucket"
        operation.isRegionProbe = true
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        let response = try await perform(operation)
        return S3BucketProbe(status: response.status, region: response.headers["x-amz-bucket-region"])
    }

    /// HeadObject for its encryption, KMS key and tag count.
    /// - Throws: ``S3Error`` (`NoSuchKey`, `AccessDenied`, …).
    public func probeObject(_ location: S3Location, expectedOwner: String? = nil) async throws -> S3ObjectProbe {
        var operation = S3Operation(name: "HeadObject \(location)", method: .head, bucket: location.bucket, key: location.key)
        operation.notFoundCode = "NoSuchKey"
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        return try await perform(operation) { response in
            S3ObjectProbe(
                size: response.headers["content-length"].flatMap { Int64($0) } ?? 0,
                eTag: response.headers["etag"] ?? "",
                serverSideEncryption: response.headers["x-amz-server-side-encryption"],
                kmsKeyID: response.headers["x-amz-server-side-encryption-aws-kms-key-id"],
                tagCount: response.headers["x-amz-tagging-count"].flatMap { Int($0) } ?? 0)
        }
    }

    /// DeleteObject of one key (`s3:DeleteObject`).
    /// - Throws: ``S3Error`` when refused.
    public func deleteObject(_ location: S3Location, expectedOwner: String? = nil) async throws {
        var operation = S3Operation(name: "DeleteObject \(location)", method: .delete, bucket: location.bucket, key: location.key)
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        _ = try await perform(operation)
    }
}
