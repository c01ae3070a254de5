/// Why an HTTP request got no response.
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL could not be used (unsupported scheme, malformed).
    case invalidURL(String)
    /// Name resolution failed.
    case resolveFailed(host: String, detail: String)
    /// The TCP connection could not be made.
    case connectFailed(host: String, detail: String)
    /// The connection dropped or the server sent an empty or malformed reply.
    case connectionLost(host: String, detail: String)
    /// TLS failed: certificate not trusted, handshake error.
    case tls(host: String, detail: String)
    /// The request exceeded its time limit.
    case timedOut(host: String, seconds: Double)
    /// The reply's body grew past the request's cap (``HTTPRequest/maxResponseBytes``): no valid
    /// answer to the request is that long, so the request is not retried.
    case responseTooLarge(host: String, limit: Int)
    /// Any other transport failure, with libcurl's code and message.
    case transport(host: String, code: Int, detail: String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            return "invalid URL \(url): check the endpoint setting"
        case .resolveFailed(let host, let detail):
            return "cannot resolve host \(host): \(detail); check the endpoint and your network"
        case .connectFailed(let host, let detail):
            return "cannot connect to \(host): \(detail); is the service reachable?"
        case .connectionLost(let host, let detail):
            return "connection to \(host) lost: \(detail)"
        case .tls(let host, let detail):
            return "TLS failure talking to \(host): \(detail); check AWS_CA_BUNDLE or the system CA certificates"
        case .timedOut(let host, let seconds):
            return "request to \(host) timed out after \(seconds) s"
        case .responseTooLarge(let host, let limit):
            return "reply from \(host) was longer than \(limit) bytes, more than any valid answer: check the endpoint setting"
        case .transport(let host, let code, let detail):
            return "HTTP transport error talking to \(host): \(detail) (curl code \(code))"
        }
    }

    /// Every transport failure may pass; retry policies treat them all as transient
    /// except a bad URL, a TLS trust failure or an oversized reply, which will not fix itself.
    public var isRetryable: Bool {
        switch self {
        case .invalidURL, .tls, .responseTooLarge: return false
        default: return true
        }
    }
}
