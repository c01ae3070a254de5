/// A counting semaphore for async tasks: at most `limit` bodies run at once.
///
/// The copy engine shares one limiter between CopyObject and UploadPartCopy requests, so
/// large and small objects together never have more than `--concurrency` copies in flight.
actor ConcurrencyLimiter {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a limiter with `limit` permits (at least 1).
    init(limit: Int) {
        available = max(limit, 1)
    }

    /// Runs `body` while holding a permit.
    nonisolated func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            try Task.checkCancellation()
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
