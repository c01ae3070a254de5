import CCurl
import Foundation
import Synchronization

/// One request's life inside ``CurlEngine``: its continuation and the bytes libcurl
/// hands back. Body and header buffers are touched only on the engine thread; the
/// continuation and the cancelled flag are guarded by `shared`.
final class CurlRequestState: @unchecked Sendable {
    let request: HTTPRequest
    /// The request's host, for error messages (split from the URL only when one is needed).
    var host: String { URLParts(request.url).hostHeader }

    // Engine thread only.
    var status = 0
    var headerBlock = HTTPHeaders.Block()
    var headers: HTTPHeaders { HTTPHeaders(block: headerBlock) }
    var body: [UInt8] = []
    /// The most body bytes accepted (set when the request starts).
    var maxBodyBytes = Int.max
    /// `true` once the body outgrew ``maxBodyBytes`` and the transfer was stopped.
    var bodyTooLarge = false
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// What the requesting task and the engine thread share. A `Mutex` kept inline rather than
    /// an `NSLock` object: one allocation fewer per request.
    private struct Shared {
        var continuation: UnsafeContinuation<HTTPResponse, any Error>?
        var pendingResult: Result<HTTPResponse, any Error>?
        var finished = false
        var cancelled = false
    }

    private let shared = Mutex(Shared())

    init(request: HTTPRequest) {
        self.request = request
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Stores the continuation, or resumes it at once when the request already ended.
    ///
    /// An unsafe continuation (no checking object allocated per request): ``complete(_:)``
    /// resumes it exactly once, guarded by `finished`.
    func attach(_ continuation: UnsafeContinuation<HTTPResponse, any Error>) {
        let early: Result<HTTPResponse, any Error>? = shared.withLock { shared in
            if let pendingResult = shared.pendingResult { return pendingResult }
            shared.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Ends the request once; later calls do nothing.
    func complete(_ result: Result<HTTPResponse, any Error>) {
        let waiting: UnsafeContinuation<HTTPResponse, any Error>? = shared.withLock { shared in
            guard !shared.finished else { return nil }
            shared.finished = true
            if let continuation = shared.continuation {
                shared.continuation = nil
                return continuation
            }
            shared.pendingResult = result
            return nil
        }
        waiting?.resume(with: result)
    }

    func markCancelled() { shared.withLock { $0.cancelled = true } }

    var isCancelled: Bool { shared.withLock { $0.cancelled } }

    var isFinished: Bool { shared.withLock { $0.finished } }

    /// The text libcurl left in the error buffer, or `fallback`.
    func errorDetail(fallback: String) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? fallback : text
    }

    // MARK: - Callbacks from libcurl (engine thread)

    /// Appends a chunk of body; `false` (stop the transfer) when it would pass ``maxBodyBytes``.
    func appendBody(_ pointer: UnsafeMutablePointer<CChar>, count: Int) -> Bool {
        guard count <= maxBodyBytes - body.count else {
            bodyTooLarge = true
            return false
        }
        pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            body.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
        return true
    }

    func appendHeaderLine(_ pointer: UnsafeMutablePointer<CChar>, count: Int) {
        // Parsed as bytes: Foundation's trimming bridged every header through NSString and was
        // the largest single cost of a small CopyObject (scripts/bench P1).
        pointer.withMemoryRebound(to: UInt8.self, capacity: count) { start in
            let line = UnsafeBufferPointer(start: start, count: count)
            if line.count >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
               line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
                // A new status line (after 100 Continue, say) starts a fresh header block.
                headerBlock.removeAll()
                return
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
            let name = UnsafeBufferPointer(rebasing: Self.trimmed(line[..<colon]))
            guard !name.isEmpty else { return }
            let value = UnsafeBufferPointer(rebasing: Self.trimmed(line[(colon + 1)...]))
            headerBlock.append(name: name, value: value)
            // Size the body once rather than doubling it chunk by chunk (a 1,000-task Globus page
            // is about a megabyte); capped, since the header is the server's word.
            if HTTPHeaders.equalIgnoringASCIICase(name, "content-length".utf8),
               let length = Int(String(decoding: value, as: UTF8.self)), length > 0 {
                body.reserveCapacity(min(length, 16 << 20, maxBodyBytes))
            }
        }
    }

    /// `bytes` without leading and trailing spaces, tabs, CR and LF.
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return bytes[bytes.startIndex..<bytes.startIndex]
        }
        return bytes[first...last]
    }
}
