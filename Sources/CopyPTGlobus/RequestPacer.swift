/// Keeps Transfer requests to at most `limit` in any one-second window.
///
/// A sliding window over the send times of the last `limit` requests: a burst of `limit`
/// goes out at once, then each further request waits until the oldest leaves the window.
/// Shared by every copy of a ``GlobusTransferClient``, hence an actor.
actor RequestPacer {
    private let limit: Int
    private let window: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void
    private var sent: [ContinuousClock.Instant] = []

    /// - Parameters:
    ///   - limit: requests allowed per window (at least 1).
    ///   - window: the window, default one second.
    ///   - now: the monotonic clock, injected for tests.
    ///   - sleep: the injected sleep.
    init(
        limit: Int,
        window: Duration = .seconds(1),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.limit = max(1, limit)
        self.window = window
        self.now = now
        self.sleep = sleep
        sent.reserveCapacity(self.limit)
    }

    /// Waits until one more request fits in the window, then counts it.
    func acquire() async throws {
        while true {
            let current = now()
            while let oldest = sent.first, oldest.duration(to: current) >= window {
                sent.removeFirst()
            }
            if sent.count < limit {
                sent.append(current)
                return
            }
            let wait = window - sent[0].duration(to: current)
            try await sleep(wait)
        }
    }
}
