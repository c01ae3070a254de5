import Foundation

/// Passes each distinct run error once per sweep: when Globus is unreachable or no AWS
/// credentials work, every transfer meets the same error, and cron should get one line.
final class RunErrorFilter: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: Set<String> = []

    /// `true` unless `event` is a run error already passed.
    func shouldPass(_ event: SweepEvent) -> Bool {
        guard case .runError(let error) = event else { return true }
        return lock.withLock { seen.insert(error.description).inserted }
    }
}
