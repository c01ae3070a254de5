import Synchronization

/// A counting semaphore for async tasks whose width may change: at most `width` bodies run
/// at once.
///
/// The copy engine shares one limiter between CopyObject and UploadPartCopy requests, so
/// large and small objects together never have more requests in flight than the width, and
/// an object waiting for its parts holds no permit (no deadlock however many big objects
/// there are). A fixed limiter keeps its width; an adaptive one holds an ``AIMDController``
/// fed by ``record(_:)`` with every answer, and wakes waiters as the width grows.
///
/// A lock rather than an actor: a permit is taken and given back around every request, and
/// the two actor hops that cost were measurable in a run of small copies (scripts/bench P1).
final class ConcurrencyLimiter: Sendable {
    private struct State {
        var width: Int
        var inUse = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
        var controller: AIMDController?

        var waiting: Int { waiters.count - head }

        /// Hands out the permits that are free to the longest waiters, and returns them.
        mutating func admitted() -> [CheckedContinuation<Void, Never>] {
            var ready: [CheckedContinuation<Void, Never>] = []
            while inUse < width && head < waiters.count {
                ready.append(waiters[head])
                head += 1
                inUse += 1
            }
            compact()
            return ready
        }

        mutating func compact() {
            if head == waiters.count {
                waiters.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 256 && head * 2 > waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
        }
    }

    private let state: Mutex<State>
    private let now: @Sendable () -> Duration

    /// Creates a limiter with a fixed `limit` (at least 1).
    init(limit: Int) {
        state = Mutex(State(width: max(limit, 1)))
        now = { .zero }
    }

    /// Creates an adaptive limiter, starting at `settings.start`.
    /// - Parameter now: a monotonic clock, read when a controller window opens or closes.
    init(adaptive settings: AIMDController.Settings, now: @escaping @Sendable () -> Duration) {
        let controller = AIMDController(settings: settings)
        state = Mutex(State(width: controller.width, controller: controller))
        self.now = now
    }

    /// Runs `body` while holding a permit.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        try Task.checkCancellation()
        return try await body()
    }

    /// Feeds one answer to the controller (nothing for a fixed limiter); a wider limit lets
    /// waiters in at once.
    func record(_ signal: AIMDController.Signal) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard var controller = state.controller else { return [] }
            let changed = controller.record(signal, now: now())
            state.controller = controller
            guard changed else { return [] }
            state.width = controller.width
            return state.waiting > 0 ? state.admitted() : []
        }
        for continuation in ready { continuation.resume() }
    }

    /// The width now, the largest so far and the number of cuts (overloads that narrowed it).
    var snapshot: (width: Int, peak: Int, cuts: Int) {
        state.withLock { state in
            (state.width, state.controller?.peak ?? state.width, state.controller?.cuts ?? 0)
        }
    }

    private func acquire() async {
        let taken = state.withLock { state in
            guard state.inUse < state.width, state.waiting == 0 else { return false }
            state.inUse += 1
            return true
        }
        if taken { return }
        await withCheckedContinuation { continuation in
            // A permit may have come back between the first look and now.
            let takenNow = state.withLock { state in
                guard state.inUse < state.width, state.waiting == 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.inUse += 1
                return true
            }
            if takenNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.inUse -= 1
            guard state.inUse < state.width, state.head < state.waiters.count else { return nil }
            let next = state.waiters[state.head]
            state.head += 1
            state.inUse += 1
            state.compact()
            return next
        }
        next?.resume()
    }
}
