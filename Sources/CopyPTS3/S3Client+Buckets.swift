// MARK: - Buckets and regions

extension S3Client {
    /// HeadBucket: checks the bucket exists and is reachable, and returns its region.
    ///
    /// The region comes from `x-amz-bucket-region`, which S3 sends on 200, 301 and 403;
    /// copypt never calls GetBucketLocation. The request goes to the configured region.
    /// - Parameters:
    ///   - bucket: the bucket name.
    ///   - expectedOwner: the account id that must own it (`x-amz-expected-bucket-owner`), default none.
    /// - Returns: the bucket's region, or `nil` when S3 did not say (custom endpoints may not).
    /// - Throws: ``S3Error`` (`NoSuchBucket` for 404, `AccessDenied` for a 403 without a region).
    public func headBucket(_ bucket: String, expectedOwner: String? = nil) async throws -> String? {
        var operation = S3Operation(name: "HeadBucket s3://\(bucket)", method: .head, bucket: bucket)
        operation.notFoundCode = "NoSuchBucket"
        operation.isRegionProbe = true
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        let response = try await perform(operation)
        return response.headers["x-amz-bucket-region"]
    }

    /// The region requests to `bucket` are signed for and sent to: the configured region
    /// with a custom endpoint; on AWS the bucket's own, found once with HeadBucket and cached.
    public func region(for bucket: String) async throws -> String {
        guard isAWS else { return configuration.region }
        return try await regions.region(of: bucket) { [self] in
            try await headBucket(bucket) ?? configuration.region
        }
    }
}
