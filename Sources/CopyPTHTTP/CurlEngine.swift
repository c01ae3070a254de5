import CCurl
import Foundation
import Synchronization

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
///
/// The thread is also a task executor (``CurlTransport/taskExecutor``): jobs of tasks that
/// prefer it run between libcurl events, so a copy that awaits a response is resumed on the
/// thread that received it, and its next request is queued without a lock, a wake-up or a
/// thread switch (the same idea as a SwiftNIO event loop serving as a task executor).
final class CurlEngine: @unchecked Sendable {
    private let configuration: CurlTransport.Configuration
    /// The configuration's limits in libcurl's units, worked out once.
    private let limits: CurlRequestSetup.Limits
    private let multi: UnsafeMutableRawPointer

    private let lock = NSLock()
    private var submitted: [CurlRequestState] = []
    private var stopping = false
    private var cancelRequested = false
    private var remoteJobs: [(UnownedJob, UnownedTaskExecutor)] = []
    private let inFlight = Atomic<Int>(0)
    /// `pthread_self()` of the engine thread, once it runs (0 before).
    private let threadID = Atomic<UInt>(0)

    // Engine thread only.
    private var waiting: [CurlRequestState] = []
    private var waitingHead = 0
    private var active: [UnsafeMutableRawPointer: CurlRequestState] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []
    /// The sockets libcurl wants watched, and the wake-up pipe's read end.
    private let sockets: SocketWatcher
    /// When libcurl wants `CURL_SOCKET_TIMEOUT` handled next, in ``monotonicNanoseconds()``;
    /// `nil` for no timer.
    private var timerDeadline: UInt64?
    /// Jobs enqueued from the engine thread itself.
    private var localJobs: [(UnownedJob, UnownedTaskExecutor)] = []

    // The wake-up pipe: any thread writes a byte, the engine thread's wait returns.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    init(configuration: CurlTransport.Configuration) throws {
        limits = CurlRequestSetup.Limits(configuration)
        guard CurlGlobal.initialized else {
            throw HTTPError.transport(host: "-", code: -1, detail: "curl_global_init failed")
        }
        guard let multi = curl_multi_init() else {
            throw HTTPError.transport(host: "-", code: -1, detail: "curl_multi_init failed")
        }
        let sockets: SocketWatcher
        do {
            sockets = try SocketWatcher()
        } catch {
            curl_multi_cleanup(multi)
            throw error
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
        sockets.watch(ends[0], readable: true, writable: false)
        self.sockets = sockets
        self.configuration = configuration
        self.multi = multi
        // libcurl's cache counts the connections in use too, and closes the oldest idle one
        // whenever it holds more than this: sized only for the idle ones, every transfer
        // beyond that width would open (over HTTPS, handshake) a fresh connection (issue 16).
        _ = copypt_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.connectionCacheSize)
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

    var pendingCount: Int { inFlight.load(ordering: .relaxed) }

    private var onEngineThread: Bool { threadID.load(ordering: .acquiring) == UInt(pthread_self()) }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let state = CurlRequestState(request: request)
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<HTTPResponse, any Error>) in
                state.attach(continuation)
                if onEngineThread {
                    // The loop takes it before it next waits; the engine cannot have
                    // stopped, since this thread is running it.
                    inFlight.add(1, ordering: .relaxed)
                    waiting.append(state)
                    return
                }
                let accepted: Bool = lock.withLock {
                    guard !stopping else { return false }
                    submitted.append(state)
                    inFlight.add(1, ordering: .relaxed)
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

    /// Runs `job` on the engine thread, as `executor` (the ``CurlTransport``'s executor
    /// object, which keeps the engine running while a task prefers it).
    func enqueue(_ job: UnownedJob, as executor: UnownedTaskExecutor) {
        if onEngineThread {
            localJobs.append((job, executor))
            return
        }
        lock.withLock { remoteJobs.append((job, executor)) }
        wake()
    }

    // MARK: - Engine thread

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        var running: Int32 = 0
        var jobs: [(UnownedJob, UnownedTaskExecutor)] = []
        while true {
            let (incoming, stop, checkCancelled) = lock.withLock {
                let taken = submitted
                submitted.removeAll(keepingCapacity: true)
                swap(&jobs, &remoteJobs)
                let check = cancelRequested
                cancelRequested = false
                return (taken, stopping, check)
            }
            waiting.append(contentsOf: incoming)
            runJobs(&jobs)
            if checkCancelled { dropCancelled() }
            startWaiting()
            // A task preferring this executor keeps its transport, hence the engine, alive:
            // `stop` with jobs queued cannot happen.
            if stop && active.isEmpty && waitingHead == waiting.count { break }

            sockets.wait(timeout: pollTimeout()) { descriptor, mask in
                if descriptor == wakeRead {
                    drainWakeups()
                } else {
                    curl_multi_socket_action(multi, descriptor, mask, &running)
                }
            }
            if let deadline = timerDeadline, deadline <= Self.monotonicNanoseconds() {
                timerDeadline = nil
                curl_multi_socket_action(multi, CURL_SOCKET_BAD, 0, &running)  // CURL_SOCKET_TIMEOUT
            }
            collectFinished()
        }
        threadID.store(0, ordering: .releasing)
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    deinit {
        // Here rather than when the loop ends: a late cancellation may still call wake().
        close(wakeRead)
        close(wakeWrite)
    }

    /// Runs `remote` (taken from other threads), then every job enqueued from this thread
    /// meanwhile, including those the jobs themselves enqueue, until none is left.
    private func runJobs(_ remote: inout [(UnownedJob, UnownedTaskExecutor)]) {
        for (job, executor) in remote { job.runSynchronously(on: executor) }
        remote.removeAll(keepingCapacity: true)
        while !localJobs.isEmpty {
            swap(&remote, &localJobs)
            for (job, executor) in remote { job.runSynchronously(on: executor) }
            remote.removeAll(keepingCapacity: true)
        }
    }

    /// Milliseconds until libcurl's timer is due (at most a second, so a lost wake-up
    /// costs no more than that).
    private func pollTimeout() -> Int32 {
        if !localJobs.isEmpty { return 0 }  // enqueued by a request that ended before starting
        guard let deadline = timerDeadline else { return 1000 }
        let now = Self.monotonicNanoseconds()
        if deadline <= now { return 0 }
        return Int32(min(1000, (deadline - now) / 1_000_000 + 1))
    }

    /// The monotonic clock in nanoseconds. The timer is read and set several times a request:
    /// `ContinuousClock` and `Duration` arithmetic (128-bit) showed in scripts/bench P1.
    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    // MARK: - libcurl's callbacks (engine thread, from inside curl_multi_* calls)

    fileprivate func watch(_ socket: curl_socket_t, what: Int32) {
        switch what {
        case CURL_POLL_IN: sockets.watch(socket, readable: true, writable: false)
        case CURL_POLL_OUT: sockets.watch(socket, readable: false, writable: true)
        case CURL_POLL_INOUT: sockets.watch(socket, readable: true, writable: true)
        default: sockets.remove(socket)  // CURL_POLL_REMOVE
        }
    }

    fileprivate func setTimer(milliseconds: Int) {
        // libcurl asks not to be called back from here: just note when.
        timerDeadline = milliseconds < 0 ? nil : Self.monotonicNanoseconds() + UInt64(milliseconds) * 1_000_000
    }

    // MARK: - Wake-ups

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // a full pipe already means "wake up"
    }

    private func drainWakeups() {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            while read(wakeRead, buffer.baseAddress, buffer.count) > 0 {}
        }
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
            if let problem = CurlRequestSetup.configure(handle, for: state, configuration: configuration, limits: limits) {
                curl_easy_reset(handle)
                idleHandles.append(handle)
                finish(state, .failure(problem))
                continue
            }
            active[handle] = state
            curl_multi_add_handle(multi, handle)
        }
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        } else if waitingHead > 256 && waitingHead * 2 > waiting.count {
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
                var microseconds: curl_off_t = 0
                _ = copypt_easy_getinfo_off(handle, CURLINFO_TOTAL_TIME_T, &microseconds)
                result = .failure(CurlErrorMapping.error(
                    for: code, state: state, configuration: configuration, elapsedMilliseconds: Int(microseconds / 1000)))
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
        inFlight.subtract(1, ordering: .relaxed)
        state.complete(result)
    }
}

/// `curl_global_init`, run once per process before the first handle.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}
