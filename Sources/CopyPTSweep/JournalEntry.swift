import CopyPTRecords

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
        if let key = line.done, let eTag = line.etag, let size = line.size, (0...TransferRecord.counterLimit).contains(size) {
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

extension JournalEntry {
    /// The entry as one line of the journal, newline included: the bytes `JSONEncoder` writes for
    /// ``Line`` with sorted keys and unescaped slashes. Written by hand, since a sweep appends one
    /// per object copied and `JSONEncoder` was ~5% of a 1,000-object sweep's CPU (scripts/bench
    /// P1); tests hold the two together.
    var jsonLine: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        out.append(UInt8(ascii: "{"))
        switch self {
        case .upload(let key, let uploadID):
            Self.append(field: "id", string: uploadID, to: &out)
            out.append(UInt8(ascii: ","))
            Self.append(field: "upload", string: key, to: &out)
        case .done(let key, let eTag, let size):
            Self.append(field: "done", string: key, to: &out)
            out.append(UInt8(ascii: ","))
            Self.append(field: "etag", string: eTag, to: &out)
            out.append(contentsOf: ",\"size\":".utf8)
            out.append(contentsOf: String(size).utf8)
        case .deleted(let key):
            Self.append(field: "deleted", string: key, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
        return out
    }

    private static func append(field: StaticString, string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: field.utf8Start, count: field.utf8CodeUnitCount))
        out.append(contentsOf: "\":\"".utf8)
        var string = string
        string.withUTF8 { bytes in
            // Runs that need no escaping (all of a key, all of an ETag but its quotes) are
            // copied whole rather than byte by byte.
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscaped(byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        default:
            out.append(contentsOf: "\\u00".utf8)
            out.append(hex.utf8Start[Int(byte >> 4)])
            out.append(hex.utf8Start[Int(byte & 0x0F)])
        }
    }
}

