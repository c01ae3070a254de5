/// An absolute URL split into its parts without any decoding or normalisation.
///
/// Hand-rolled rather than Foundation's `URL`, because SigV4 needs the path and query
/// exactly as sent (`//a//b`, `%2F`, `..` all kept), which `URL` may rewrite.
public struct URLParts: Sendable, Hashable {
    /// `http` or `https`, lower-cased.
    public var scheme: String
    /// The host, without port; IPv6 literals keep their brackets.
    public var host: String
    /// The explicit port, if any.
    public var port: Int?
    /// The percent-encoded path; `/` when the URL has none.
    public var path: String
    /// The percent-encoded query without `?`; empty when there is none.
    public var query: String

    /// Splits an absolute URL such as `https://h:1/p?q`.
    public init(_ url: String) {
        // Scanned as UTF-8 (every request's URL is split several times; Character-by-Character
        // searching showed in scripts/bench P1). The delimiters are ASCII, so the byte indices
        // found are valid String indices.
        let bytes = url.utf8
        var start = bytes.startIndex
        if let separator = Self.firstIndex(of: "://", in: bytes) {
            let name = url[..<separator]
            scheme = name.utf8.allSatisfy({ !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? String(name) : name.lowercased()
            start = bytes.index(separator, offsetBy: 3)
        } else {
            scheme = "http"
        }
        let authorityEnd = bytes[start...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.endIndex
        var authorityStart = start
        if let at = bytes[start..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) {
            authorityStart = bytes.index(after: at)
        }
        let authority = bytes[authorityStart..<authorityEnd]
        if authority.first == UInt8(ascii: "["), let close = authority.firstIndex(of: UInt8(ascii: "]")) {
            host = String(url[authorityStart...close])
            let after = bytes.index(after: close)
            port = after < authorityEnd && bytes[after] == UInt8(ascii: ":")
                ? Int(url[bytes.index(after: after)..<authorityEnd]) : nil
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = String(url[authorityStart..<colon])
            port = Int(url[bytes.index(after: colon)..<authorityEnd])
        } else {
            host = String(url[authorityStart..<authorityEnd])
            port = nil
        }
        if let mark = bytes[authorityEnd...].firstIndex(of: UInt8(ascii: "?")) {
            path = String(url[authorityEnd..<mark])
            query = String(url[bytes.index(after: mark)...])
        } else {
            path = String(url[authorityEnd...])
            query = ""
        }
        if path.isEmpty { path = "/" }
    }

    private static func firstIndex(of pattern: StaticString, in bytes: String.UTF8View) -> String.Index? {
        let needle = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index...].starts(with: needle) { return index }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// The value of a `Host` header: host, plus the port when it is not the scheme's default.
    public var hostHeader: String {
        guard let port else { return host }
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { return host }
        return "\(host):\(port)"
    }
}
