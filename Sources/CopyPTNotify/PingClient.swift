import CopyPTHTTP

/// Dead-man pings in healthchecks.io's convention: `<url>/start` as a run begins, `<url>` when
/// it ends well, `<url>/fail` when it ends badly, the run's one-line summary as the body.
public struct PingClient: Sendable {
    /// Where a run's end is reported.
    public enum Kind: String, Sendable {
        /// `<url>/start`.
        case start
        /// `<url>`.
        case success
        /// `<url>/fail`.
        case fail

        var suffix: String {
            switch self {
            case .start: "/start"
            case .success: ""
            case .fail: "/fail"
            }
        }
    }

    /// The check's URL.
    public var url: NotifyURL
    /// The transport.
    public var transport: any HTTPTransport
    /// The request's time limit; default 10 s.
    public var timeout: Duration

    /// A client pinging `url` through `transport`.
    public init(url: NotifyURL, transport: any HTTPTransport, timeout: Duration = .seconds(10)) {
        self.url = url
        self.transport = transport
        self.timeout = timeout
    }

    /// Sends one ping (a POST with `body` as text).
    /// - Throws: ``NotifyError/unreachable(url:detail:)`` or ``NotifyError/rejected(url:status:)``,
    ///   the URL redacted.
    public func ping(_ kind: Kind, body: String) async throws {
        let headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8"]
        let request = HTTPRequest(
            method: .post, url: url.appending(kind.suffix), headers: headers, body: Array(body.utf8),
            timeout: timeout, maxResponseBytes: 64 << 10)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw NotifyError.unreachable(url: url.redacted, detail: Webhook.detail(error, url: url))
        }
        guard (200..<300).contains(response.status) else { throw NotifyError.rejected(url: url.redacted, status: response.status) }
    }
}
