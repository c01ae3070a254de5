import CopyPTSweep
import Foundation

/// What went wrong while `copypt transfer` submitted, gathered from the sweep's events so the
/// command says it on one line with what happens next.
final class SubmissionProblems: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    /// The problems, in order.
    var lines: [String] { lock.withLock { collected } }

    /// Keeps the problem an event reports, if any.
    func note(_ event: SweepEvent) {
        let line: String
        switch event {
        case .runError(let error): line = error.description
        case .transientError(_, _, let error): line = error.description + " (transient)"
        case .busy(let id): line = "transfer \(id) is being submitted by another copypt process"
        default: return
        }
        lock.withLock { collected.append(line) }
    }
}
