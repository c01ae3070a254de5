import CCurl
import Foundation

/// The thread that owns a `curl_multi` handle and every easy handle in it.
///
/// Other threads only queue work (`submitted`, cancellation flags) under `lock` and
/// wake the thread with `curl_multi_wakeup`; every libcurl call except that one is
/// made on the engine thread, as libcurl requires.
final class CurlEngine: @unchecked Sendable {
    private let configuration: CurlTransport.Configuration
    private let multi: UnsafeMutableRawPointer

    private let lock = NSLock()
    private var submitted: [CurlRequestState] = []
    private var stopping = false
    private var cancelRequested = false
    private var inFlight = 0

    // Engine thread only.
    private var waiting: [CurlRequestState] = []
    private var waitingHead = 0
    private var active: [UnsafeMutableRawPointer: CurlRequestState] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(configuration: CurlTransport.Configuration) throws {
        guard CurlGlobal.initialized else {
            throw HTTPError.transport(host: "-", code: -1, detail: "curl_global_init failed")
        }
        guard let multi = curl_multi_init() else {
            throw HTTPError.transport(host: "-", code: -1, detail: "curl_multi_init failed")
        }
        self.configuration = configuration
        self.multi = multi
        _ = copypt_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxIdleConnections)
        let thread = Thread { [self] in self.run() }
        thread.name = "copypt-curl"
        thread.start()
    }

    var pendingCount: Int { lock.withLock { inFlight } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let state = CurlRequestState(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                state.attach(continuation)
                let accepted: Bool = lock.withLock {
                    guard !stopping else { return false }
                    submitted.append(state)
                    inFlight += 1
                    return true
                }
                if accepted {
                    curl_multi_wakeup(multi)
                } else {
                    state.complete(.failure(HTTPError.transport(host: state.host, code: -1, detail: "transport shut down")))
                }
            }
        } onCancel: {
            state.markCancelled()
            lock.withLock { cancelRequested = true }
            curl_multi_wakeup(multi)
        }
    }

    func shutdown() {
        lock.withLock { stopping = true }
        curl_multi_wakeup(multi)
    }

    // MARK: - Engine thread

    private func run() {
        var running: Int32 = 0
        while true {
            let (incoming, stop, checkCancelled) = lock.withLock {
                let taken = submitted
                submitted.removeAll(keepingCapacity: true)
                let check = cancelRequested
                cancelRequested = false
                return (taken, stopping, check)
            }
            waiting.append(contentsOf: incoming)
            if checkCancelled { dropCancelled() }
            startWaiting()
            if stop && active.isEmpty && waitingHead == waiting.count { break }
            curl_multi_perform(multi, &running)
            collectFinished()
            if waitingHead < waiting.count && active.count < configuration.maxConcurrentRequests {
                continue   // slots freed: start the next requests before sleeping
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    private func startWaiting() {
        while active.count < configuration.maxConcurrentRequests && waitingHead < waiting.count {
            let state = waiting[waitingHead]
            waitingHead += 1
            if state.isFinished { continue }
            if state.isCancelled {
                finish(state, .failure(CancellationError()))
                continue
            }
            guard let handle = idleHandles.popLast() ?? curl_easy_init() else {
                finish(state, .failure(HTTPError.transport(host: state.host, code: -1, detail: "curl_easy_init failed")))
                continue
            }
            if let problem = CurlRequestSetup.configure(handle, for: state, configuration: configuration) {
                curl_easy_reset(handle)
                idleHandles.append(handle)
                finish(state, .failure(problem))
                continue
            }
            active[handle] = state
            curl_multi_add_handle(multi, handle)
        }
        if waitingHead > 256 && waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let state = active.removeValue(forKey: handle) else { continue }
            let result: Result<HTTPResponse, any Error>
            if code == CURLE_OK {
                var status = 0
                _ = copypt_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
                result = .success(HTTPResponse(status: status, headers: state.headers, body: state.body))
            } else {
                result = .failure(CurlErrorMapping.error(for: code, state: state, configuration: configuration))
            }
            release(handle)
            finish(state, result)
        }
    }

    private func dropCancelled() {
        for (handle, state) in active where state.isCancelled {
            active.removeValue(forKey: handle)
            release(handle)
            finish(state, .failure(CancellationError()))
        }
        for state in waiting[waitingHead...] where state.isCancelled && !state.isFinished {
            finish(state, .failure(CancellationError()))
        }
    }

    private func release(_ handle: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(multi, handle)
        // Reset keeps the handle's caches; live connections stay in the multi's pool.
        curl_easy_reset(handle)
        if idleHandles.count < configuration.maxConcurrentRequests {
            idleHandles.append(handle)
        } else {
            curl_easy_cleanup(handle)
        }
    }

    private func finish(_ state: CurlRequestState, _ result: Result<HTTPResponse, any Error>) {
        lock.withLock { inFlight -= 1 }
        state.complete(result)
    }
}

/// `curl_global_init`, run once per process before the first handle.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}
