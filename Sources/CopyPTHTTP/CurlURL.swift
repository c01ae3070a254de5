import CCurl

/// An absolute URL as libcurl's URL API (`curl_url`) parses it: the reference `URLParts` is
/// held to, and the parser for URLs that come from configuration.
///
/// Parsed with `CURLU_PATH_AS_IS` (dot segments kept, as S3 keys need) and without decoding:
/// every part is as written, except that libcurl lower-cases the scheme.
public struct CurlURL: Sendable, Hashable {
    /// The scheme, lower-cased (`http`, `https`; other schemes only with `allowAnyScheme`).
    public var scheme: String
    /// The host; IPv6 literals keep their brackets.
    public var host: String
    /// The explicit port, if any.
    public var port: Int?
    /// The percent-encoded path; `/` when the URL has none.
    public var path: String
    /// The query without `?`, or `nil` when there is none.
    public var query: String?
    /// The user name of a `user:password@` authority, or `nil`.
    public var user: String?
    /// The fragment without `#`, or `nil` when there is none.
    public var fragment: String?

    /// Parses `text` with libcurl.
    /// - Parameter allowAnyScheme: accept schemes libcurl was not built for (default `false`).
    /// - Throws: ``CurlURLError`` when libcurl refuses the text.
    public init(_ text: String, allowAnyScheme: Bool = false) throws(CurlURLError) {
        guard let handle = curl_url() else { throw CurlURLError(code: Int32(CURLUE_OUT_OF_MEMORY.rawValue)) }
        defer { curl_url_cleanup(handle) }
        var flags = UInt32(CURLU_PATH_AS_IS)
        if allowAnyScheme { flags |= UInt32(CURLU_NON_SUPPORT_SCHEME) }
        let code = curl_url_set(handle, CURLUPART_URL, text, flags)
        guard code == CURLUE_OK else { throw CurlURLError(code: Int32(code.rawValue)) }
        func part(_ which: CURLUPart) throws(CurlURLError) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            let code = curl_url_get(handle, which, &value, 0)
            defer { curl_free(value) }
            switch code {
            case CURLUE_OK: return value.map { String(cString: $0) }
            case CURLUE_NO_PORT, CURLUE_NO_QUERY, CURLUE_NO_FRAGMENT, CURLUE_NO_USER, CURLUE_NO_HOST: return nil
            default: throw CurlURLError(code: Int32(code.rawValue))
            }
        }
        scheme = try part(CURLUPART_SCHEME) ?? ""
        host = try part(CURLUPART_HOST) ?? ""
        port = try part(CURLUPART_PORT).flatMap { Int($0) }
        path = try part(CURLUPART_PATH) ?? "/"
        query = try part(CURLUPART_QUERY)
        user = try part(CURLUPART_USER)
        fragment = try part(CURLUPART_FRAGMENT)
    }
}
