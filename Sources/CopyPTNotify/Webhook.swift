import CopyPTHTTP
import CopyPTRecords

/// Posts one notification to a webhook: a JSON body with `text` (Slack, Mattermost) and the
/// idempotency key both in the body and as the `Idempotency-Key` header.
public struct Webhook: Sendable {
    /// The webhook URL.
    public var url: NotifyURL
    /// The transport.
    public var transport: any HTTPTransport
    /// The request's time limit.
    public var timeout: Duration

    /// A webhook at `url`.
    public init(url: NotifyURL, transport: any HTTPTransport, timeout: Duration = .seconds(30)) {
        self.url = url
        self.transport = transport
        self.timeout = timeout
    }

    /// Sends `payload`; a 2xx answer is the acknowledgement.
    /// - Throws: ``NotifyError/rejected(url:status:)`` or ``NotifyError/unreachable(url:detail:)``.
    public func send(_ payload: NotificationPayload) async throws {
        let headers: HTTPHeaders = ["Content-Type": "application/json", "Idempotency-Key": payload.idempotencyKey]
        let request = HTTPRequest(
            method: .post, url: url.url, headers: headers, body: payload.encoded(), timeout: timeout,
            maxResponseBytes: 64 << 10)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw NotifyError.unreachable(url: url.redacted, detail: Self.detail(error, url: url))
        }
        guard (200..<300).contains(response.status) else { throw NotifyError.rejected(url: url.redacted, status: response.status) }
    }

    /// A transport error's text with the URL (and its path, the secret) taken out.
    static func detail(_ error: any Error, url: NotifyURL) -> String {
        var text = "\(error)".replacingOccurrences(of: url.url, with: url.redacted)
        let path = URLParts(url.url).path
        if path.count > 1 {
            text = text.replacingOccurrences(of: path, with: "/…")
        }
        return RecordedError.oneLine(text)
    }
}
