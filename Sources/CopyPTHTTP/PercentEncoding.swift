/// RFC 3986 percent-encoding, shared by the S3 and Globus clients (which may not import
/// each other): every byte of the UTF-8 form becomes `%XY` (upper-case hex) except the
/// unreserved characters `A–Z a–z 0–9 - . _ ~` and any bytes the caller keeps.
public enum PercentEncoding {
    /// `true` for RFC 3986 unreserved bytes: `A–Z a–z 0–9 - . _ ~`.
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Encodes every byte of `bytes` but the unreserved ones and `kept`.
    public static func encode(_ bytes: [UInt8], keeping kept: Set<UInt8> = []) -> String {
        bytes.withUnsafeBufferPointer { encode(buffer: $0, keeping: ByteSet(kept)) }
    }

    /// Encodes every byte of `bytes` but the unreserved ones and `kept`.
    public static func encode(_ bytes: some Sequence<UInt8>, keeping kept: Set<UInt8> = []) -> String {
        encode(Array(bytes), keeping: kept)
    }

    /// Encodes a string's UTF-8 bytes; returns it unchanged when nothing needs encoding.
    public static func encode(_ text: String, keeping kept: Set<UInt8> = []) -> String {
        let keep = ByteSet(kept)
        var text = text
        return text.withUTF8 { bytes in
            bytes.allSatisfy({ isUnreserved($0) || keep.contains($0) }) ? nil : encode(buffer: bytes, keeping: keep)
        } ?? text
    }

    private static func encode(buffer: UnsafeBufferPointer<UInt8>, keeping keep: ByteSet) -> String {
        String(unsafeUninitializedCapacity: buffer.count * 3) { out in
            let hex: StaticString = "0123456789ABCDEF"
            var index = 0
            for byte in buffer {
                if isUnreserved(byte) || keep.contains(byte) {
                    out[index] = byte
                    index += 1
                } else {
                    out[index] = UInt8(ascii: "%")
                    out[index + 1] = hex.utf8Start[Int(byte >> 4)]
                    out[index + 2] = hex.utf8Start[Int(byte & 0x0F)]
                    index += 3
                }
            }
            return index
        }
    }

    /// A set of bytes as a 256-bit table: `Set<UInt8>.contains` hashes, once per byte encoded.
    private struct ByteSet {
        private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

        init(_ bytes: Set<UInt8>) {
            for byte in bytes {
                let bit = UInt64(1) << UInt64(byte & 63)
                switch byte >> 6 {
                case 0: words.0 |= bit
                case 1: words.1 |= bit
                case 2: words.2 |= bit
                default: words.3 |= bit
                }
            }
        }

        func contains(_ byte: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(byte & 63)
            switch byte >> 6 {
            case 0: return words.0 & bit != 0
            case 1: return words.1 & bit != 0
            case 2: return words.2 & bit != 0
            default: return words.3 & bit != 0
            }
        }
    }

    /// Decodes `%XY` escapes into bytes; a `%` not followed by two hex digits stays literal.
    public static func decode(_ text: Substring) -> [UInt8] {
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

    /// The value of one hex digit (either case), or `nil` for any other byte.
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
