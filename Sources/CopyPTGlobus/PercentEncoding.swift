/// Percent-encoding for the URLs and form bodies copypt sends to Globus.
enum PercentEncoding {
    /// RFC 3986 unreserved characters: never encoded.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Encodes every byte but the unreserved ones and `kept`.
    static func encode(_ text: String, keeping kept: Set<UInt8> = []) -> String {
        if text.utf8.allSatisfy({ isUnreserved($0) || kept.contains($0) }) { return text }
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || kept.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A query value: `,` `:` `/` stay literal (RFC 3986 allows them in a query), so a Transfer
    /// filter such as `task_id:a,b/status:ACTIVE` reads as globus-sdk sends it and stays short.
    static func query(_ text: String) -> String {
        encode(text, keeping: [UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "/")])
    }

    /// A path segment.
    static func pathSegment(_ text: String) -> String { encode(text) }

    /// An `application/x-www-form-urlencoded` name or value (space as `%20`, which servers accept).
    static func form(_ text: String) -> String { encode(text) }

    /// `name=value&…` for a form body or a query string.
    static func formBody(_ fields: [(String, String)]) -> String {
        fields.map { form($0.0) + "=" + form($0.1) }.joined(separator: "&")
    }

    /// `name=value&…` for a query string, values encoded by ``query(_:)``.
    static func queryString(_ fields: [(String, String)]) -> String {
        fields.map { form($0.0) + "=" + query($0.1) }.joined(separator: "&")
    }
}
