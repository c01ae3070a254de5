import CopyPTHTTP
import Foundation

/// A transport for unit tests: records every request and answers from a queue of
/// canned responses (or a handler), so tests can assert on exactly what was sent.
public final class StubTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Result<HTTPResponse, HTTPError>] = []
    private var recorded: [HTTPRequest] = []
    private let handler: (@Sendable (HTTPRequest) throws -> HTTPResponse)?

    /// A stub answering from `responses` in order; when they run out, 500 with an empty body.
    public init(responses: [HTTPResponse] = []) {
        self.queue = responses.map { .success($0) }
        self.handler = nil
    }

    /// A stub answering each request with `handler`.
    public init(handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        self.handler = handler
    }

    /// Queues a response.
    public func enqueue(_ response: HTTPResponse) {
        lock.withLock { queue.append(.success(response)) }
    }

    /// Queues a transport failure.
    public func enqueue(failure: HTTPError) {
        lock.withLock { queue.append(.failure(failure)) }
    }

    /// Every request sent so far, in order.
    public var requests: [HTTPRequest] { lock.withLock { recorded } }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let next: Result<HTTPResponse, HTTPError>? = lock.withLock {
            recorded.append(request)
            return queue.isEmpty ? nil : queue.removeFirst()
        }
        if let next { return try next.get() }
        if let handler { return try handler(request) }
        return HTTPResponse(status: 500)
    }
}
