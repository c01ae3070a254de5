/// The objects already at a copy's destination, read from one listing (ListObjectsV2 pages,
/// never a HEAD per object), for `copypt copy --skip-existing`: the analogue of
/// `aws s3 sync`'s and rclone's size and checksum comparison.
public struct ExistingObjects: Sendable {
    private var objects: [String: (size: Int64, eTag: String)] = [:]

    /// An empty index (nothing is skipped).
    public init() {}

    /// Lists every object under `prefix` in `bucket`.
    /// - Parameters:
    ///   - client: the S3 client.
    ///   - bucket: the destination bucket.
    ///   - prefix: the destination prefix (a copy's destination key, or its folder).
    ///   - expectedOwner: the account id that must own the bucket, default none.
    /// - Throws: ``S3Error`` from the listing.
    public static func list(client: S3Client, bucket: String, prefix: String, expectedOwner: String? = nil) async throws -> ExistingObjects {
        var index = ExistingObjects()
        try await client.listAllObjects(bucket: bucket, prefix: prefix, expectedOwner: expectedOwner) { page in
            for object in page { index.objects[object.key] = (object.size, object.eTag) }
        }
        return index
    }

    /// The number of objects listed.
    public var count: Int { objects.count }

    /// `true` when `item`'s destination holds an object of the same size and ETag as its source.
    ///
    /// ETags match for objects copied whole (CopyObject keeps the source's MD5 ETag) without
    /// SSE-KMS; a multipart copy or a KMS-encrypted destination has another ETag, so such an
    /// object is copied again rather than taken on trust.
    public func contains(_ item: CopyItem) -> Bool {
        guard let existing = objects[item.destination.key] else { return false }
        return existing.size == item.size && S3Copier.sameETag(existing.eTag, item.eTag)
    }
}
