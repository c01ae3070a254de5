import Synchronization

/// Counts the HTTP requests a client sends (retries included), for summaries and benchmarks.
final class RequestCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// The requests counted so far.
    var value: Int { count.load(ordering: .relaxed) }

    /// Counts one request.
    func increment() {
        count.add(1, ordering: .relaxed)
    }
}
