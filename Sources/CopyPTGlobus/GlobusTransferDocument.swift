import Foundation

/// The `transfer` document `POST /v0.10/transfer` submits (docs.globus.org/api/transfer/task_submit,
/// "Transfer submission"; globus-sdk `TransferData`): one task from a source collection into a
/// destination collection.
///
/// copypt sends one `transfer_item` (a folder recursively, or one file), its own
/// `submission_id` (so a repeated submission is answered `Duplicate`, never a second task), and
/// turns Globus's own e-mail notifications off by default: copypt reports the whole journey.
public struct GlobusTransferDocument: Sendable, Hashable, Encodable {
    /// `submission_id` from ``GlobusTransferClient/submissionID()``.
    public var submissionID: String
    /// `source_endpoint`: the source collection id.
    public var sourceEndpoint: String
    /// `destination_endpoint`: the destination collection id.
    public var destinationEndpoint: String
    /// The item's `source_path`.
    public var sourcePath: String
    /// The item's `destination_path`.
    public var destinationPath: String
    /// The item's `recursive` (a folder).
    public var recursive: Bool
    /// `label`, when given (Globus allows 128 characters).
    public var label: String?
    /// `sync_level` as the number Globus takes (0 `exists`, 1 `size`, 2 `mtime`, 3 `checksum`,
    /// as globus-sdk's `TransferData` sends the names), when given.
    public var syncLevel: Int?
    /// `verify_checksum`. Default `true`.
    public var verifyChecksum: Bool
    /// `deadline`, when given.
    public var deadline: Date?
    /// `notify_on_succeeded`, `notify_on_failed` and `notify_on_inactive`. Default `false`.
    public var notify: Bool

    /// A document; every default is stated on its property.
    public init(
        submissionID: String, sourceEndpoint: String, destinationEndpoint: String, sourcePath: String,
        destinationPath: String, recursive: Bool, label: String? = nil, syncLevel: Int? = nil,
        verifyChecksum: Bool = true, deadline: Date? = nil, notify: Bool = false
    ) {
        self.submissionID = submissionID
        self.sourceEndpoint = sourceEndpoint
        self.destinationEndpoint = destinationEndpoint
        self.sourcePath = sourcePath
        self.destinationPath = destinationPath
        self.recursive = recursive
        self.label = label
        self.syncLevel = syncLevel
        self.verifyChecksum = verifyChecksum
        self.deadline = deadline
        self.notify = notify
    }

    enum CodingKeys: String, CodingKey {
        case dataType = "DATA_TYPE"
        case submissionID = "submission_id"
        case sourceEndpoint = "source_endpoint"
        case destinationEndpoint = "destination_endpoint"
        case label
        case syncLevel = "sync_level"
        case verifyChecksum = "verify_checksum"
        case deadline
        case notifyOnSucceeded = "notify_on_succeeded"
        case notifyOnFailed = "notify_on_failed"
        case notifyOnInactive = "notify_on_inactive"
        case data = "DATA"
    }

    private struct Item: Encodable {
        var sourcePath: String
        var destinationPath: String
        var recursive: Bool

        enum CodingKeys: String, CodingKey {
            case dataType = "DATA_TYPE"
            case sourcePath = "source_path"
            case destinationPath = "destination_path"
            case recursive
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode("transfer_item", forKey: .dataType)
            try c.encode(sourcePath, forKey: .sourcePath)
            try c.encode(destinationPath, forKey: .destinationPath)
            try c.encode(recursive, forKey: .recursive)
        }
    }

    /// Encodes the document; optional fields are left out when not set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("transfer", forKey: .dataType)
        try c.encode(submissionID, forKey: .submissionID)
        try c.encode(sourceEndpoint, forKey: .sourceEndpoint)
        try c.encode(destinationEndpoint, forKey: .destinationEndpoint)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encodeIfPresent(syncLevel, forKey: .syncLevel)
        try c.encode(verifyChecksum, forKey: .verifyChecksum)
        // Globus's documented deadline format is a date-time string; copypt sends RFC 3339 in UTC.
        try c.encodeIfPresent(deadline.map { $0.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }, forKey: .deadline)
        try c.encode(notify, forKey: .notifyOnSucceeded)
        try c.encode(notify, forKey: .notifyOnFailed)
        try c.encode(notify, forKey: .notifyOnInactive)
        try c.encode([Item(sourcePath: sourcePath, destinationPath: destinationPath, recursive: recursive)], forKey: .data)
    }

    /// The document as JSON bytes, keys sorted.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
