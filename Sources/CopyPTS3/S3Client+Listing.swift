// MARK: - ListObjectsV2

extension S3Client {
    /// One page of ListObjectsV2 (`list-type=2`, `encoding-type=url`; keys come back decoded).
    /// - Parameters:
    ///   - bucket: the bucket.
    ///   - prefix: only keys starting with it, default all.
    ///   - delimiter: groups keys into common prefixes, default none.
    ///   - continuationToken: the previous page's ``S3ListPage/nextContinuationToken``.
    ///   - maxKeys: at most this many keys (S3 caps at 1,000), default S3's 1,000.
    ///   - expectedOwner: the account id that must own the bucket, default none.
    public func listObjectsV2(
        bucket: String,
        prefix: String = "",
        delimiter: String? = nil,
        continuationToken: String? = nil,
        maxKeys: Int? = nil,
        expectedOwner: String? = nil
    ) async throws -> S3ListPage {
        var query: [(String, String?)] = []
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        query.append(("encoding-type", "url"))
        query.append(("list-type", "2"))
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        var operation = S3Operation(
            name: "ListObjectsV2 s3://\(bucket)/\(prefix)", method: .get, bucket: bucket, query: query)
        operation.notFoundCode = "NoSuchBucket"
        operation.maxResponseBytes = S3Operation.listingReplyLimit
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        return try await perform(operation) { response throws(S3ReplyValueError) in try S3ListPage(xml: response.body) }
    }

    /// Every object under `prefix`, following continuation tokens, page by page.
    /// - Parameters:
    ///   - bucket: the bucket.
    ///   - prefix: only keys starting with it, default all.
    ///   - expectedOwner: the account id that must own the bucket, default none.
    ///   - onPage: called with each page's objects, in key order.
    /// - Throws: ``S3Error``; ``S3Error/invalidResponse(operation:detail:)`` when a continuation token comes back twice.
    public func listAllObjects(
        bucket: String,
        prefix: String = "",
        expectedOwner: String? = nil,
        onPage: ([S3ObjectSummary]) async throws -> Void
    ) async throws {
        var token: String?
        var tokens = S3PageTokens(operation: "ListObjectsV2 s3://\(bucket)/\(prefix)")
        repeat {
            let page = try await listObjectsV2(
                bucket: bucket, prefix: prefix, continuationToken: token, expectedOwner: expectedOwner)
            try await onPage(page.objects)
            token = page.nextContinuationToken
            if let token { try tokens.check(token) }
        } while token != nil
    }
}
