import Synchronization

/// A count shared by concurrent handlers (signals, events).
final class Counter: Sendable {
    private let count = Atomic<Int>(0)

    /// Adds one.
    func add() { count.add(1, ordering: .relaxed) }

    /// The count so far.
    var value: Int { count.load(ordering: .relaxed) }
}
