/// One line of a transfer's journal (`<id>.journal`, JSON lines, append-only):
///
/// ```
/// {"id":"2~abc","upload":"incoming/run42/big.h5"}           multipart upload created, before its first part
/// {"done":"incoming/run42/a.txt","etag":"\"9b2c…\"","size":31}  destination object copied and verified
/// {"deleted":"run42/a.txt"}                                   staging object deleted after verification
/// ```
/// `upload` and `done` name destination keys, `deleted` a staging key. Unknown keys are ignored,
/// so later versions may add entries.
public enum JournalEntry: Sendable, Hashable {
    /// A multipart upload of `destinationKey` was created with `uploadID`.
    case upload(destinationKey: String, uploadID: String)
    /// `destinationKey` was copied and verified.
    case done(destinationKey: String, eTag: String, size: Int64)
    /// The staging object `stagingKey` was deleted.
    case deleted(stagingKey: String)

    /// The JSON object's fields, every one optional so any entry decodes.
    struct Line: Codable {
        var upload: String?
        var id: String?
        var done: String?
        var etag: String?
        var size: Int64?
        var deleted: String?
    }

    var line: Line {
        switch self {
        case .upload(let key, let uploadID): return Line(upload: key, id: uploadID)
        case .done(let key, let eTag, let size): return Line(done: key, etag: eTag, size: size)
        case .deleted(let key): return Line(deleted: key)
        }
    }

    /// The entry a decoded line stands for, or `nil` for a line of no known kind.
    init?(_ line: Line) {
        if let key = line.done, let eTag = line.etag, let size = line.size {
            self = .done(destinationKey: key, eTag: eTag, size: size)
        } else if let key = line.upload, let uploadID = line.id {
            self = .upload(destinationKey: key, uploadID: uploadID)
        } else if let key = line.deleted {
            self = .deleted(stagingKey: key)
        } else {
            return nil
        }
    }
}
