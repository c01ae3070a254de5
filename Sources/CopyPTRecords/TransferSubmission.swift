import Foundation

/// How `copypt transfer` submits (or submitted) a record's Globus task: record key
/// `submission`, absent for transfers queued with `copypt add`.
///
/// Written, with a fresh Globus `submission_id`, before the task is submitted. Globus answers a
/// second submission with the same `submission_id` as `Duplicate` with the original task, so a
/// run killed at any instant is finished by submitting this very document again: never two
/// tasks, never none. The destination path is the record's `globus_path`; the label, its `label`.
public struct TransferSubmission: Sendable, Hashable, Codable {
    /// Globus's `sync_level`: which files already at the destination are left alone.
    public enum SyncLevel: String, Sendable, Hashable, Codable, CaseIterable {
        /// Skip files that exist at the destination.
        case exists
        /// Skip files of the same size.
        case size
        /// Skip files of the same size whose destination is not older.
        case mtime
        /// Skip files with the same checksum.
        case checksum
    }

    /// The `submission_id` from `GET submission_id`, lower-case.
    public var submissionID: String
    /// The source collection (endpoint id), lower-case UUID.
    public var sourceCollection: String
    /// The source path in that collection; a folder ends in `/` and is sent `recursive`.
    public var sourcePath: String
    /// The staging S3 collection the task writes into, lower-case UUID.
    public var stagingCollection: String
    /// `sync_level`, when given. Default `nil` (Globus copies every file).
    public var syncLevel: SyncLevel?
    /// `verify_checksum`. Default `true`.
    public var verifyChecksum: Bool
    /// `deadline`, when given.
    public var deadline: Date?
    /// When the record was written, before the first submission.
    public var submittedAt: Date
    /// When Globus answered `Accepted` or `Duplicate` with the task id, once it has.
    public var acceptedAt: Date?

    /// A submission; timestamps are truncated to whole seconds, as every record timestamp.
    public init(
        submissionID: String, sourceCollection: String, sourcePath: String, stagingCollection: String,
        syncLevel: SyncLevel? = nil, verifyChecksum: Bool = true, deadline: Date? = nil,
        submittedAt: Date, acceptedAt: Date? = nil
    ) {
        self.submissionID = submissionID
        self.sourceCollection = sourceCollection
        self.sourcePath = sourcePath
        self.stagingCollection = stagingCollection
        self.syncLevel = syncLevel
        self.verifyChecksum = verifyChecksum
        self.deadline = deadline.map(RFC3339.truncated)
        self.submittedAt = RFC3339.truncated(submittedAt)
        self.acceptedAt = acceptedAt.map(RFC3339.truncated)
    }

    /// `true` when the source path names a folder (sent as one recursive `transfer_item`).
    public var isFolder: Bool { sourcePath.hasSuffix("/") }

    enum CodingKeys: String, CodingKey {
        case submissionID = "submission_id"
        case sourceCollection = "source_collection"
        case sourcePath = "source_path"
        case stagingCollection = "staging_collection"
        case syncLevel = "sync_level"
        case verifyChecksum = "verify_checksum"
        case deadline
        case submittedAt = "submitted_at"
        case acceptedAt = "accepted_at"
    }

    /// Decodes a submission; `verify_checksum` defaults to `true` when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        submissionID = try c.decode(String.self, forKey: .submissionID)
        sourceCollection = try c.decode(String.self, forKey: .sourceCollection)
        sourcePath = try c.decode(String.self, forKey: .sourcePath)
        stagingCollection = try c.decode(String.self, forKey: .stagingCollection)
        syncLevel = try c.decodeIfPresent(SyncLevel.self, forKey: .syncLevel)
        verifyChecksum = try c.decodeIfPresent(Bool.self, forKey: .verifyChecksum) ?? true
        deadline = try c.decodeIfPresent(Date.self, forKey: .deadline)
        submittedAt = try c.decode(Date.self, forKey: .submittedAt)
        acceptedAt = try c.decodeIfPresent(Date.self, forKey: .acceptedAt)
    }

    /// Encodes every key, absent values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(submissionID, forKey: .submissionID)
        try c.encode(sourceCollection, forKey: .sourceCollection)
        try c.encode(sourcePath, forKey: .sourcePath)
        try c.encode(stagingCollection, forKey: .stagingCollection)
        try c.encode(syncLevel, forKey: .syncLevel)
        try c.encode(verifyChecksum, forKey: .verifyChecksum)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(submittedAt, forKey: .submittedAt)
        try c.encode(acceptedAt, forKey: .acceptedAt)
    }
}
