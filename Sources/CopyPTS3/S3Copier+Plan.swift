// MARK: - Planning

extension S3Copier {
    /// What to copy from `source` to `destination`, with each source's size and ETag.
    ///
    /// Like `aws s3 cp`:
    /// - not recursive: `source` is one object (HeadObject); a destination key that is empty or
    ///   ends in `/` receives the source's last path component (`s3://d/in/` + `a/b.h5` → `s3://d/in/b.h5`);
    /// - recursive: `source` is a prefix, taken as a folder: `s3://b/p` and `s3://b/p/` both copy
    ///   the keys under `p/` (never `p2/…`), and each lands at the destination prefix (a `/`
    ///   added likewise) plus its key relative to the source prefix. An empty source key copies
    ///   the whole bucket.
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
        return try await plan(source: source, destination: destination, sourceOwner: sourceOwner, after: nil)
    }

    /// The rest of a recursive plan: every item listed from `continuationToken` on (from the
    /// first key when `nil`), page by page, mapped as ``plan(source:destination:recursive:sourceOwner:)`` maps them.
    public func plan(
        source: S3Location, destination: S3Location, sourceOwner: String? = nil, after continuationToken: String?
    ) async throws -> [CopyItem] {
        var items: [CopyItem] = []
        var token = continuationToken
        repeat {
            let page = try await planPage(source: source, destination: destination, sourceOwner: sourceOwner, continuationToken: token)
            items += page.items
            token = page.nextContinuationToken
        } while token != nil
        return items
    }

    /// Keys in the first listing page of a copy, for `copypt copy --recursive` and the sweep
    /// alike. S3 (and moto even more) takes longer to list 1,000 keys than a hundred, and no
    /// copy can start before the first page: a short one lets copying start sooner, while the
    /// rest is listed, at the cost of one more ListObjectsV2 for more than this many objects.
    public static let firstPageKeys = 100

    /// One page of a recursive plan: the items of one ListObjectsV2 page under `source`'s prefix
    /// (up to `maxKeys` keys, default S3's 1,000), and the token for the next page (`nil` on the last).
    public func planPage(
        source: S3Location, destination: S3Location, sourceOwner: String? = nil,
        continuationToken: String? = nil, maxKeys: Int? = nil
    ) async throws -> (items: [CopyItem], nextContinuationToken: String?) {
        let sourcePrefix = Self.folderPrefix(source.key)
        let destinationPrefix = Self.folderPrefix(destination.key)
        let page = try await client.listObjectsV2(
            bucket: source.bucket, prefix: sourcePrefix, continuationToken: continuationToken, maxKeys: maxKeys,
            expectedOwner: sourceOwner)
        let items = page.objects.map { object in
            CopyItem(
                source: S3Location(bucket: source.bucket, key: object.key),
                destination: S3Location(bucket: destination.bucket, key: destinationPrefix + String(object.key.dropFirst(sourcePrefix.count))),
                size: object.size, eTag: object.eTag)
        }
        return (items, page.nextContinuationToken)
    }

    /// A prefix read as a folder: `p` → `p/`; `p/` and the empty prefix unchanged.
    public static func folderPrefix(_ key: String) -> String {
        key.isEmpty || key.hasSuffix("/") ? key : key + "/"
    }
}
