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
        var rest = Substring(url)
        if let range = rest.firstRange(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        } else {
            scheme = "http"
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = Int(authority[authority.index(after: colon)...])
        } else {
            host = String(authority)
            port = nil
        }
        if let q = rest.firstIndex(of: "?") {
            path = String(rest[..<q])
            query = String(rest[rest.index(after: q)...])
        } else {
            path = String(rest)
            query = ""
        }
        if path.isEmpty { path = "/" }
    }

    /// The value of a `Host` header: host, plus the port when it is not the scheme's default.
    public var hostHeader: String {
        guard let port else { return host }
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { return host }
        return "\(host):\(port)"
    }
}
