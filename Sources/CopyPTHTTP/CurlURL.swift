import CCurl

/// A URL as libcurl reads it (its URL API, `curl_url`): the very parser the transport uses, so
/// a check made on these parts holds for the request that is sent. Parts are as libcurl gives
/// them: the scheme and an IPv4 host normalized, an IPv6 host in brackets, nothing decoded.
public struct CurlURL: Sendable, Equatable {
    /// The whole URL, normalized by libcurl.
    public let url: String
    /// The scheme, lower case, e.g. `http`.
    public let scheme: String
    /// The host, e.g. `127.0.0.1`, `example.com` or `[fd00:ec2::23]`.
    public let host: String
    /// The port written in the URL, if any.
    public let port: Int?
    /// The path, at least `/`.
    public let path: String
    /// The query, without `?`.
    public let query: String?
    /// The user name before `@`, if any.
    public let user: String?
    /// The password after `user:`, if any.
    public let password: String?
    /// The fragment, without `#`.
    public let fragment: String?

    /// Why a string is not a URL libcurl accepts.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// libcurl's `CURLUcode`.
        public let code: Int
        /// libcurl's text for it.
        public let reason: String

        public var description: String { "not a usable URL: \(reason)" }
    }

    /// Parses `text` (an absolute URL with a scheme libcurl supports).
    /// - Parameter pathAsIs: keep `.` and `..` segments in the path as written
    ///   (`CURLU_PATH_AS_IS`, as copypt sends S3 paths); default `false`, libcurl removes them.
    /// - Throws: ``ParseError``.
    public init(parsing text: String, pathAsIs: Bool = false) throws {
        guard let handle = curl_url() else { throw ParseError(code: -1, reason: "out of memory") }
        defer { curl_url_cleanup(handle) }
        let flags = pathAsIs ? UInt32(CURLU_PATH_AS_IS) : 0
        let code = text.withCString { curl_url_set(handle, CURLUPART_URL, $0, flags) }
        guard code == CURLUE_OK else { throw ParseError(code: Int(code.rawValue), reason: String(cString: curl_url_strerror(code))) }
        func part(_ which: CURLUPart) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, 0) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let url = part(CURLUPART_URL), let scheme = part(CURLUPART_SCHEME), let host = part(CURLUPART_HOST) else {
            throw ParseError(code: -1, reason: "no scheme or host")
        }
        self.url = url
        self.scheme = scheme
        self.host = host
        self.port = part(CURLUPART_PORT).flatMap { Int($0) }
        self.path = part(CURLUPART_PATH) ?? "/"
        self.query = part(CURLUPART_QUERY)
        self.user = part(CURLUPART_USER)
        self.password = part(CURLUPART_PASSWORD)
        self.fragment = part(CURLUPART_FRAGMENT)
    }
}
