/// The CSV manifest of a Batch Operations job, format `S3BatchOperations_CSV_20180820` with
/// fields `Bucket,Key`: one object a line, the key URL-encoded as the format requires
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html#specify-batchjob-manifest).
///
/// Lines are gathered into parts of ``partSize`` bytes; the caller uploads each full part and
/// drops it, so memory holds at most one part however many objects the transfer has.
public struct BatchManifest: Sendable {
    /// The size at which a part is handed over. Default 8 MiB (S3's multipart minimum is 5 MiB).
    public let partSize: Int
    /// The current part's bytes.
    public private(set) var part: [UInt8] = []
    /// Lines written so far, all parts.
    public private(set) var count = 0

    /// A manifest.
    /// - Parameter partSize: bytes per part, default 8 MiB.
    public init(partSize: Int = 8 << 20) {
        self.partSize = max(partSize, 1)
        part.reserveCapacity(min(self.partSize, 8 << 20) + 2048)
    }

    /// Appends one object's line.
    /// - Returns: `true` when the part is full and should be taken with ``takePart()``.
    public mutating func append(bucket: String, key: String) -> Bool {
        part.append(contentsOf: bucket.utf8)
        part.append(UInt8(ascii: ","))
        Self.encode(key, into: &part)
        part.append(UInt8(ascii: "\n"))
        count += 1
        return part.count >= partSize
    }

    /// The current part's bytes, leaving the part empty.
    public mutating func takePart() -> [UInt8] {
        defer { part.removeAll(keepingCapacity: true) }
        return part
    }

    /// The line for `key` of `bucket`, as ``append(bucket:key:)`` writes it.
    public static func line(bucket: String, key: String) -> String {
        var bytes = Array(bucket.utf8) + [UInt8(ascii: ",")]
        encode(key, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encodes every byte but the unreserved ones and `/` (so a `+`, a `,` or a space
    /// survives both `unquote` and `unquote_plus`-style decoding).
    static func encode(_ key: String, into out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
    }

    /// Decodes a URL-encoded key (`%XX`, and `+` as a space as S3's reports write it); `nil`
    /// for a broken escape or bytes that are not UTF-8.
    public static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        func hexValue(_ byte: UInt8?) -> UInt8? {
            guard let byte else { return nil }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = hexValue(iterator.next()), let low = hexValue(iterator.next()) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
