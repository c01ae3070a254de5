// MARK: - Planning

extension S3Copier {
    /// What to copy from `source` to `destination`, with each source's size and ETag.
    ///
    /// Like `aws s3 cp`:
    /// - not recursive: `source` is one object (HeadObject); a destination key that is empty or
    ///   ends in `/` receives the source's last path component (`s3://d/in/` + `a/b.h5` → `s3://d/in/b.h5`);
    /// - recursive: `source` is a prefix, taken as a folder: `s3://b/p` and `s3://b/p/` both copy
    ///   the keys under `p/` (never `p2/…`), and each lands at the destination prefix (a `/`
    ///   added likewise) plus its key relative to the source prefix, cut as UTF-8 bytes. An empty
    ///   source key copies the whole bucket. Keys whose relative part has a `.` or `..` segment
    ///   are left out (``plan(source:destination:sourceOwner:after:)`` returns them).
    /// - Parameters:
    ///   - source: an object, or a prefix when `recursive`.
    ///   - destination: an object or a prefix.
    ///   - recursive: copy every object under the source prefix.
    ///   - sourceOwner: the account id that must own the source bucket, default none.
    /// - Returns: the items in key order; empty when a recursive prefix has no objects.
    /// - Throws: ``S3Error`` from the listing or HeadObject (`NoSuchKey` for a missing object).
    public func plan(
        source: S3Location, destination: S3Location, recursive: Bool, sourceOwner: String? = nil
    ) async throws -> [CopyItem] {
        guard recursive else {
            let head = try await client.headObject(source, expectedOwner: sourceOwner)
            var target = destination
            if target.key.isEmpty || target.key.hasSuffix("/") {
                let name = source.key.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? source.key
                target.key += name
            }
            return [CopyItem(source: source, destination: target, size: head.size, eTag: head.eTag)]
        }
        return try await plan(source: source, destination: destination, sourceOwner: sourceOwner, after: nil).items
    }

    /// The rest of a recursive plan: every item listed from `continuationToken` on (from the
    /// first key when `nil`), page by page, mapped as ``plan(source:destination:recursive:sourceOwner:)`` maps them.
    /// - Returns: the items, and the keys left out because they cannot map safely (see ``planPage(source:destination:sourceOwner:continuationToken:maxKeys:)``).
    /// - Throws: ``S3Error``; ``S3Error/invalidResponse(operation:detail:)`` when S3 hands back a
    ///   continuation token it gave before (the listing would never end).
    public func plan(
        source: S3Location, destination: S3Location, sourceOwner: String? = nil, after continuationToken: String?
    ) async throws -> (items: [CopyItem], skipped: [S3Location]) {
        var items: [CopyItem] = []
        var skipped: [S3Location] = []
        var token = continuationToken
        var tokens = S3PageTokens(operation: "ListObjectsV2 s3://\(source.bucket)/\(Self.folderPrefix(source.key))")
        if let continuationToken { try tokens.check(continuationToken) }
        repeat {
            let page = try await planPage(source: source, destination: destination, sourceOwner: sourceOwner, continuationToken: token)
            items += page.items
            skipped += page.skipped
            token = page.nextContinuationToken
            if let token { try tokens.check(token) }
        } while token != nil
        return (items, skipped)
    }

    /// Keys in the first listing page of a copy, for `copypt copy --recursive` and the sweep
    /// alike. S3 (and moto even more) takes longer to list 1,000 keys than a hundred, and no
    /// copy can start before the first page: a short one lets copying start sooner, while the
    /// rest is listed, at the cost of one more ListObjectsV2 for more than this many objects.
    public static let firstPageKeys = 100

    /// One page of a recursive plan: the items of one ListObjectsV2 page under `source`'s prefix
    /// (up to `maxKeys` keys, default S3's 1,000), and the token for the next page (`nil` on the last).
    ///
    /// Each key's part after the source prefix (cut by UTF-8 bytes) is appended to the
    /// destination prefix. A key whose relative part has a `.` or `..` segment is not planned but
    /// returned in `skipped`: it could only be written outside the destination prefix.
    public func planPage(
        source: S3Location, destination: S3Location, sourceOwner: String? = nil,
        continuationToken: String? = nil, maxKeys: Int? = nil
    ) async throws -> (items: [CopyItem], skipped: [S3Location], nextContinuationToken: String?) {
        let sourcePrefix = Self.folderPrefix(source.key)
        let destinationPrefix = Self.folderPrefix(destination.key)
        let page = try await client.listObjectsV2(
            bucket: source.bucket, prefix: sourcePrefix, continuationToken: continuationToken, maxKeys: maxKeys,
            expectedOwner: sourceOwner)
        var items: [CopyItem] = []
        var skipped: [S3Location] = []
        items.reserveCapacity(page.objects.count)
        for object in page.objects {
            guard let key = S3KeyMapping.destinationKey(for: object.key, sourcePrefix: sourcePrefix, destinationPrefix: destinationPrefix)
            else {
                skipped.append(S3Location(bucket: source.bucket, key: object.key))
                continue
            }
            items.append(CopyItem(
                source: S3Location(bucket: source.bucket, key: object.key),
                destination: S3Location(bucket: destination.bucket, key: key),
                size: object.size, eTag: object.eTag))
        }
        return (items, skipped, page.nextContinuationToken)
    }

    /// A prefix read as a folder: `p` → `p/`; `p/` and the empty prefix unchanged.
    public static func folderPrefix(_ key: String) -> String {
        key.isEmpty || key.hasSuffix("/") ? key : key + "/"
    }
}
