import CCurl
import Foundation

/// The thread that owns a `curl_multi` handle and every easy handle in it.
///
/// Other threads only queue work (`submitted`, cancellation flags) under `lock` and wake
/// the thread through a pipe; every libcurl call is made on the engine thread, as libcurl
/// requires.
///
/// The thread drives libcurl event by event (`curl_multi_socket_action`, with libcurl
/// telling it which sockets to watch and when its next timeout is) rather than with
/// `curl_multi_perform`, which visits every transfer on each wake-up: with 16 small
/// CopyObjects in flight that meant ~50 poll(2) calls per request (scripts/bench P1).
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
    /// The sockets libcurl wants watched, and for what (`POLLIN`/`POLLOUT`).
    private var watched: [curl_socket_t: Int16] = [:]
    /// When libcurl wants `CURL_SOCKET_TIMEOUT` handled next; `nil` for no timer.
    private var timerDeadline: ContinuousClock.Instant?

    // The wake-up pipe: any thread writes a byte, the engine thread's poll(2) returns.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    init(configuration: CurlTransport.Configuration) throws {
        guard CurlGlobal.initialized else {
            throw HTTPError.transport(host: "-", code: -1, detail: "curl_global_init failed")
        }
        guard let multi = curl_multi_init() else {
            throw HTTPError.transport(host: "-", code: -1, detail: "curl_multi_init failed")
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            curl_multi_cleanup(multi)
            throw HTTPError.transport(host: "-", code: -1, detail: "pipe() failed (errno \(errno))")
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.wakeRead = ends[0]
        self.wakeWrite = ends[1]
        self.configuration = configuration
        self.multi = multi
        _ = copypt_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxIdleConnections)
        let context = Unmanaged.passUnretained(self).toOpaque()  // the engine outlives its thread's loop
        _ = copypt_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, context)
        _ = copypt_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, context)
        _ = copypt_multi_setopt_socket_cb(multi) { _, socket, what, context, _ in
            Unmanaged<CurlEngine>.fromOpaque(context!).takeUnretainedValue().watch(socket, what: what)
            return 0
        }
        _ = copypt_multi_setopt_timer_cb(multi) { _, milliseconds, context in
            Unmanaged<CurlEngine>.fromOpaque(context!).takeUnretainedValue().setTimer(milliseconds: milliseconds)
            return 0
        }
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
                    wake()
                } else {
                    state.complete(.failure(HTTPError.transport(host: state.host, code: -1, detail: "transport shut down")))
                }
            }
        } onCancel: {
            state.markCancelled()
            lock.withLock { cancelRequested = true }
            wake()
        }
    }

    func shutdown() {
        lock.withLock { stopping = true }
        wake()
    }

    // MARK: - Engine thread

    private func run() {
        var running: Int32 = 0
        var descriptors: [pollfd] = []
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

            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for (socket, events) in watched { descriptors.append(pollfd(fd: socket, events: events, revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), pollTimeout())
            if ready > 0 {
                if descriptors[0].revents != 0 { drainWakeups() }
                for descriptor in descriptors.dropFirst() where descriptor.revents != 0 {
                    var mask: Int32 = 0
                    if descriptor.revents & Int16(POLLIN | POLLHUP) != 0 { mask |= CURL_CSELECT_IN }
                    if descriptor.revents & Int16(POLLOUT) != 0 { mask |= CURL_CSELECT_OUT }
                    if descriptor.revents & Int16(POLLERR | POLLNVAL) != 0 { mask |= CURL_CSELECT_ERR }
                    curl_multi_socket_action(multi, descriptor.fd, mask, &running)
                }
            }
            if let deadline = timerDeadline, deadline <= .now {
                timerDeadline = nil
                curl_multi_socket_action(multi, CURL_SOCKET_BAD, 0, &running)  // CURL_SOCKET_TIMEOUT
            }
            collectFinished()
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    deinit {
        // Here rather than when the loop ends: a late cancellation may still call wake().
        close(wakeRead)
        close(wakeWrite)
    }

    /// Milliseconds until libcurl's timer is due (at most a second, so a lost wake-up
    /// costs no more than that).
    private func pollTimeout() -> Int32 {
        guard let deadline = timerDeadline else { return 1000 }
        let left = deadline - .now
        if left <= .zero { return 0 }
        let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
        return Int32(min(1000, milliseconds))
    }

    // MARK: - libcurl's callbacks (engine thread, from inside curl_multi_* calls)

    fileprivate func watch(_ socket: curl_socket_t, what: Int32) {
        switch what {
        case CURL_POLL_IN: watched[socket] = Int16(POLLIN)
        case CURL_POLL_OUT: watched[socket] = Int16(POLLOUT)
        case CURL_POLL_INOUT: watched[socket] = Int16(POLLIN | POLLOUT)
        default: watched.removeValue(forKey: socket)  // CURL_POLL_REMOVE
        }
    }

    fileprivate func setTimer(milliseconds: Int) {
        // libcurl asks not to be called back from here: just note when.
        timerDeadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
    }

    // MARK: - Wake-ups

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // a full pipe already means "wake up"
    }

    private func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
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
