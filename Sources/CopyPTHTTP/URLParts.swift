/// An absolute URL split into its parts without any decoding or normalisation.
///
/// Hand-rolled rather than Foundation's `URL`, because SigV4 needs the path and query
/// exactly as sent (`//a//b`, `%2F`, `..` all kept), which `URL` may rewrite; and rather than
/// libcurl's `curl_url` (``CurlURL``), which costs 5× as much a URL at the least (set and five
/// gets 1.5–1.6 µs against 0.29 µs, `-O`, measured) on a path every request takes. Tests hold
/// it to `curl_url`.
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
        // Scanned as contiguous UTF-8 with integer offsets (every request's URL is split to sign
        // it; String index arithmetic showed in scripts/bench P1). The delimiters are ASCII, so
        // every piece cut at them is valid UTF-8.
        var url = url
        (scheme, host, port, path, query) = url.withUTF8 { bytes in
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            func firstIndex(in range: Range<Int>, where matches: (UInt8) -> Bool) -> Int? {
                range.first { matches(bytes[$0]) }
            }
            var start = 0
            var scheme = "http"
            if let separator = bytes.firstOffset(ofASCII: "://") {
                let name = text(0..<separator)
                scheme = bytes[0..<separator].contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? name.lowercased() : name
                start = separator + 3
            }
            let authorityEnd = firstIndex(in: start..<bytes.count) { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? bytes.count
            var authorityStart = start
            if let at = (start..<authorityEnd).last(where: { bytes[$0] == UInt8(ascii: "@") }) {
                authorityStart = at + 1
            }
            let host: String
            var port: Int?
            if authorityStart < authorityEnd, bytes[authorityStart] == UInt8(ascii: "["),
               let close = firstIndex(in: authorityStart..<authorityEnd, where: { $0 == UInt8(ascii: "]") }) {
                host = text(authorityStart..<close + 1)
                if close + 1 < authorityEnd, bytes[close + 1] == UInt8(ascii: ":") {
                    port = Int(text(close + 2..<authorityEnd))
                }
            } else if let colon = (authorityStart..<authorityEnd).last(where: { bytes[$0] == UInt8(ascii: ":") }) {
                host = text(authorityStart..<colon)
                port = Int(text(colon + 1..<authorityEnd))
            } else {
                host = text(authorityStart..<authorityEnd)
            }
            var path: String
            let query: String
            if let mark = firstIndex(in: authorityEnd..<bytes.count, where: { $0 == UInt8(ascii: "?") }) {
                path = text(authorityEnd..<mark)
                query = text(mark + 1..<bytes.count)
            } else {
                path = text(authorityEnd..<bytes.count)
                query = ""
            }
            if path.isEmpty { path = "/" }
            return (scheme, host, port, path, query)
        }
    }

    /// The value of a `Host` header: host, plus the port when it is not the scheme's default.
    public var hostHeader: String {
        guard let port else { return host }
        if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { return host }
        return "\(host):\(port)"
    }
}
