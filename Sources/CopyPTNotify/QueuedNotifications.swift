import Foundation

/// The ids of records the `willSave` hook queued notifications in during this process, so the
/// sweep's delivery pass finds them without reading every record again.
public final class QueuedNotifications: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: Set<String> = []

    /// An empty set.
    public init() {}

    /// Notes that `id` has a queued notification.
    public func insert(_ id: String) { _ = lock.withLock { ids.insert(id) } }

    /// The ids noted so far, emptying the set.
    public func take() -> Set<String> {
        lock.withLock {
            defer { ids = [] }
            return ids
        }
    }
}
