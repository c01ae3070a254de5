import Synchronization

/// A counting semaphore for async tasks: at most `limit` bodies run at once.
///
/// The copy engine shares one limiter between CopyObject and UploadPartCopy requests, so
/// large and small objects together never have more than `--concurrency` copies in flight.
/// A lock rather than an actor: a permit is taken and given back around every request, and
/// the two actor hops that cost were measurable in a run of small copies (scripts/bench P1).
final class ConcurrencyLimiter: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// Creates a limiter with `limit` permits (at least 1).
    init(limit: Int) {
        state = Mutex(State(available: max(limit, 1)))
    }

    /// Runs `body` while holding a permit.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        try Task.checkCancellation()
        return try await body()
    }

    private func acquire() async {
        let taken = state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if taken { return }
        await withCheckedContinuation { continuation in
            // A permit may have come back between the first look and now.
            let takenNow = state.withLock { state in
                guard state.available > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.available -= 1
                return true
            }
            if takenNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
