import CopyPTRecords
import Foundation

/// What to do with a `waiting` transfer given its Globus task status: a pure function of the
/// record, the status and the time, so it is tested without Globus.
enum WaitingDecision: Sendable, Equatable {
    /// Nothing changed: no write.
    case unchanged
    /// The task went INACTIVE (first seen): note the status, tell a person once.
    case attention(niceStatus: String)
    /// The task is ACTIVE again after being INACTIVE: note the status quietly.
    case recovered
    /// Fail the transfer.
    case fail(SweepError)
    /// The task succeeded: copy.
    case copy

    /// The decision for `record` whose task has `status` (`nil`: Globus does not know it).
    static func decide(_ record: TransferRecord, status: TaskStatus?, giveUpAfter: Duration?, now: Date) -> WaitingDecision {
        guard let status else { return .fail(.globusTaskNotFound(taskID: record.globusTaskID)) }
        switch status.state {
        case .succeeded:
            return .copy
        case .failed:
            var reason = status.fatalError ?? status.niceStatus ?? "FAILED"
            // Globus's longer account of the failure, when it adds to the code and description.
            if let details = status.niceStatusDetails, !details.isEmpty, !reason.contains(details) {
                reason += " (\(details))"
            }
            return .fail(.globusTaskFailed(taskID: record.globusTaskID, reason: reason))
        case .active, .inactive:
            if let giveUpAfter {
                let waited = now.timeIntervalSince(record.createdAt)
                if waited >= giveUpAfter.timeInterval {
                    let shown = status.niceStatus.map { "\(status.state.rawValue) (\($0))" } ?? status.state.rawValue
                    return .fail(.gaveUp(taskID: record.globusTaskID, status: shown, after: DurationText.format(giveUpAfter)))
                }
            }
            let before = record.globusStatus?.status
            if status.state == .inactive {
                return before == TaskStatus.State.inactive.rawValue ? .unchanged : .attention(niceStatus: status.niceStatus ?? "INACTIVE")
            }
            return before == TaskStatus.State.inactive.rawValue ? .recovered : .unchanged
        }
    }
}
