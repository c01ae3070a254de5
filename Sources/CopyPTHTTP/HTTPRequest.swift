/// One HTTP request, as a plain value.
///
/// `url` is absolute and already percent-encoded exactly as it goes on the wire: the
/// transport never re-encodes it, so a signer can sign the very bytes that are sent.
public struct HTTPRequest: Sendable, Hashable {
    /// The request method.
    public var method: HTTPMethod
    /// The absolute, percent-encoded URL, e.g. `http://127.0.0.1:5000/bucket/a%20b?uploads=`.
    public var url: String
    /// Header fields sent as given. The transport adds none but `Host` and, for bodies, `Content-Length`.
    public var headers: HTTPHeaders
    /// The request body; empty for none.
    public var body: [UInt8]
    /// The whole-request time limit; `nil` uses the transport's. The transport's own limit
    /// (``CurlTransport/Configuration/requestTimeout``) caps it either way.
    public var timeout: Duration?
    /// The most body bytes this request's reply may carry; `nil` uses the transport's
    /// (``CurlTransport/Configuration/maxResponseBytes``). A longer body fails the request
    /// with ``HTTPError/responseTooLarge(host:limit:)``.
    public var maxResponseBytes: Int?

    /// Creates a request.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - url: an absolute URL, already percent-encoded.
    ///   - headers: header fields, default none.
    ///   - body: the body bytes, default empty.
    ///   - timeout: the whole-request time limit, default the transport's.
    ///   - maxResponseBytes: the most body bytes accepted in the reply, default the transport's.
    public init(
        method: HTTPMethod,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        timeout: Duration? = nil,
        maxResponseBytes: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The URL split into parts (scheme, authority, path, query), without decoding.
    public var components: URLParts { URLParts(url) }
}
