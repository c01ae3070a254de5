import CopyPTHTTP
import Foundation
import Logging

/// Sends one Globus request: pace → send → retry 429/500/502/503/504 and transport failures.
///
/// Returns the final response whatever its status; the caller decodes errors. Logs the
/// method, URL and status only: never a header (the `Authorization` value) or a body.
struct GlobusRequestSender: Sendable {
    let transport: any HTTPTransport
    let pacer: RequestPacer?
    let policy: GlobusRetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date
    let logger: Logger
    /// Error-document codes containing one of these are not retried within the run even with a
    /// retried status. Transfer: `ExternalError`, `EndpointError` (an endpoint's own trouble,
    /// which a few seconds do not cure; globus-sdk `services/transfer/transport.py`).
    var unretriedCodes: [String] = []

    func send(_ request: HTTPRequest, operation: String) async throws -> HTTPResponse {
        var attempt = 1
        while true {
            try Task.checkCancellation()
            if let pacer { try await pacer.acquire() }
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch let error as HTTPError {
                guard error.isRetryable, let wait = policy.delay(afterAttempt: attempt) else {
                    throw GlobusError.transport(operation: operation, error: error)
                }
                logger.info("\(operation): \(error); retrying in \(wait) (attempt \(attempt + 1)/\(policy.maxAttempts))")
                try await sleep(wait)
                attempt += 1
                continue
            }
            logger.debug("\(request.method) \(Self.loggable(request.url)) -> \(response.status)")
            if GlobusError.retryableStatuses.contains(response.status), !hasUnretriedCode(response) {
                let retryAfter = GlobusRetryPolicy.retryAfter(response.headers["Retry-After"], now: now())
                if let wait = policy.delay(afterAttempt: attempt, retryAfter: retryAfter) {
                    logger.info("\(operation): HTTP \(response.status); retrying in \(wait) (attempt \(attempt + 1)/\(policy.maxAttempts))")
                    try await sleep(wait)
                    attempt += 1
                    continue
                }
            }
            return response
        }
    }

    private func hasUnretriedCode(_ response: HTTPResponse) -> Bool {
        guard !unretriedCodes.isEmpty, let code = GlobusErrorDocument.decode(response.body)?.code else { return false }
        return unretriedCodes.contains { code.contains($0) }
    }

    /// The URL as logged: a long `filter=task_id:…` query is shortened to its length.
    static func loggable(_ url: String) -> String {
        url.utf8.count <= 200 ? url : String(url.prefix(160)) + "…(\(url.utf8.count) bytes)"
    }
}
