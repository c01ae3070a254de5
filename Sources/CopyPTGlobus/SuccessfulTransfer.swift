/// One file a task delivered: an item of `GET task/{id}/successful_transfers`.
///
/// Only files actually transferred are listed: no directories, no files a sync skipped, no
/// files skipped by `skip_source_errors` (globus-sdk-python `TransferClient.task_successful_transfers`).
public struct SuccessfulTransfer: Sendable, Equatable, Decodable {
    /// `source_path` on the source collection.
    public var sourcePath: String
    /// `destination_path` on the destination collection (the staging bucket's collection).
    public var destinationPath: String
    /// `size` in bytes, when Globus reports it.
    public var size: Int64?
    /// `checksum`, when the task verified checksums.
    public var checksum: String?
    /// `checksum_algorithm`, e.g. `MD5`, `SHA256`.
    public var checksumAlgorithm: String?

    /// Creates an item (tests, fakes).
    public init(sourcePath: String, destinationPath: String, size: Int64? = nil, checksum: String? = nil, checksumAlgorithm: String? = nil) {
        self.sourcePath = sourcePath
        self.destinationPath = destinationPath
        self.size = size
        self.checksum = checksum
        self.checksumAlgorithm = checksumAlgorithm
    }

    enum CodingKeys: String, CodingKey {
        case sourcePath = "source_path"
        case destinationPath = "destination_path"
        case size, checksum
        case checksumAlgorithm = "checksum_algorithm"
    }
}

/// One page of `successful_transfers` (marker paging: `marker`, `next_marker` null at the end).
public struct SuccessfulTransfersPage: Sendable, Equatable, Decodable {
    /// The marker this page started at (Globus sends a number; kept as text).
    public var marker: String?
    /// The marker of the next page; `nil` on the last page.
    public var nextMarker: String?
    /// The page's items.
    public var transfers: [SuccessfulTransfer]

    enum CodingKeys: String, CodingKey {
        case marker
        case nextMarker = "next_marker"
        case transfers = "DATA"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        marker = try Self.marker(c, .marker)
        nextMarker = try Self.marker(c, .nextMarker)
        transfers = try c.decodeIfPresent([SuccessfulTransfer].self, forKey: .transfers) ?? []
    }

    /// A marker may be a JSON number or string; both become text, `null` becomes `nil`.
    private static func marker(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        if let number = try? c.decode(Int64.self, forKey: key) { return String(number) }
        return try c.decode(String.self, forKey: key)
    }
}
