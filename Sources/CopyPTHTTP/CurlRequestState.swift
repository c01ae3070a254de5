import CCurl
import Foundation

/// One request's life inside ``CurlEngine``: its continuation and the bytes libcurl
/// hands back. Body and header buffers are touched only on the engine thread; the
/// continuation and the cancelled flag are guarded by `lock`.
final class CurlRequestState: @unchecked Sendable {
    let request: HTTPRequest
    let host: String

    // Engine thread only.
    var status = 0
    var headers = HTTPHeaders()
    var body: [UInt8] = []
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>

    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private var pendingResult: Result<HTTPResponse, any Error>?
    private var finished = false
    private var cancelled = false

    init(request: HTTPRequest) {
        self.request = request
        self.host = URLParts(request.url).hostHeader
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Stores the continuation, or resumes it at once when the request already ended.
    func attach(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
        let early: Result<HTTPResponse, any Error>? = lock.withLock {
            if let pendingResult { return pendingResult }
            self.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Ends the request once; later calls do nothing.
    func complete(_ result: Result<HTTPResponse, any Error>) {
        let waiting: CheckedContinuation<HTTPResponse, any Error>? = lock.withLock {
            guard !finished else { return nil }
            finished = true
            if let continuation {
                self.continuation = nil
                return continuation
            }
            pendingResult = result
            return nil
        }
        waiting?.resume(with: result)
    }

    func markCancelled() { lock.withLock { cancelled = true } }

    var isCancelled: Bool { lock.withLock { cancelled } }

    var isFinished: Bool { lock.withLock { finished } }

    /// The text libcurl left in the error buffer, or `fallback`.
    func errorDetail(fallback: String) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? fallback : text
    }

    // MARK: - Callbacks from libcurl (engine thread)

    func appendBody(_ pointer: UnsafeMutablePointer<CChar>, count: Int) {
        pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            body.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
    }

    func appendHeaderLine(_ pointer: UnsafeMutablePointer<CChar>, count: Int) {
        let line = pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue, say) starts a fresh header block.
            headers = HTTPHeaders()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if !name.isEmpty { headers.add(name: name, value: value) }
        // Size the body once rather than doubling it chunk by chunk (a 1,000-task Globus page
        // is about a megabyte); capped, since the header is the server's word.
        if name.caseInsensitiveCompare("content-length") == .orderedSame, let length = Int(value), length > 0 {
            body.reserveCapacity(min(length, 16 << 20))
        }
    }
}
