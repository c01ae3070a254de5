import CopyPTRecords

/// What a replayed journal says: the objects already done, the multipart uploads to resume,
/// the staging objects already deleted.
public struct JournalState: Sendable, Equatable {
    /// Verified destination keys and their sizes.
    public var done: [String: Int64] = [:]
    /// UploadIds of multipart copies begun but not done, by destination key.
    public var uploads: [String: String] = [:]
    /// Staging keys deleted.
    public var deleted: Set<String> = []
    /// Lines that could not be read (a line cut short by a kill is expected, at the end).
    public var unreadableLines: Int = 0

    /// An empty state.
    public init() {}

    /// Bytes of the verified objects, held at `TransferRecord.counterLimit` (so the record that
    /// stores it stays readable, however the journal was edited).
    public var bytesDone: Int64 { min(Saturating.sum(done.values), TransferRecord.counterLimit) }

    /// Applies one entry.
    public mutating func apply(_ entry: JournalEntry) {
        switch entry {
        case .upload(let key, let uploadID):
            if done[key] == nil { uploads[key] = uploadID }
        case .done(let key, _, let size):
            done[key] = size
            uploads[key] = nil
        case .deleted(let key):
            deleted.insert(key)
        }
    }
}
