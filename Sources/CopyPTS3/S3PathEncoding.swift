/// Percent-encoding of S3 object keys and query values, the way SigV4 wants them.
///
/// Every byte of the UTF-8 form is encoded as `%XY` (upper-case hex) except the unreserved
/// characters `A–Z a–z 0–9 - . _ ~`; keys keep `/` as the path separator. Because S3
/// signs the path exactly as sent, the client encodes a key once with ``encodeKey(_:)``
/// and the signer never encodes it again.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html ("URI encode").
public enum S3PathEncoding {
    /// Encodes an object key for the URL path: byte-wise, `/` kept.
    ///
    /// `"a b/c+d%.txt"` becomes `"a%20b/c%2Bd%25.txt"`.
    public static func encodeKey(_ key: String) -> String {
        percentEncode(Array(key.utf8), keepingSlash: true)
    }

    /// Encodes a query-string name or value (`/` encoded too, space as `%20`, never `+`).
    ///
    /// `"photos/2024 a"` becomes `"photos%2F2024%20a"`.
    public static func encodeQueryComponent(_ value: String) -> String {
        percentEncode(Array(value.utf8), keepingSlash: false)
    }

    // MARK: - Shared with the signer

    /// Percent-encodes `bytes` with the SigV4 rule.
    static func percentEncode(_ bytes: some Sequence<UInt8>, keepingSlash: Bool) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 3)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XY` escapes into bytes; a `%` not followed by two hex digits stays literal.
    static func percentDecode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// RFC 3986 unreserved: `A–Z a–z 0–9 - . _ ~`.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
