import Foundation

extension TransferRecord {
    /// `true` once the sweep has planned or copied anything (so a retry resumes the copy).
    public var copyBegan: Bool { progress.hasStarted }

    /// Sets `updatedAt` to `date` (to the second).
    public mutating func touch(at date: Date) {
        updatedAt = RFC3339.truncated(date)
    }

    /// Cancels the transfer: `submitting`, `waiting`, `copying` or `failed` → `cancelled`. The
    /// Globus task itself is not touched (nor is a submission already on its way).
    /// - Returns: `false` when it was already cancelled (nothing changes).
    /// - Throws: `RecordError.invalidTransition` when it is `done`.
    @discardableResult
    public mutating func cancel(at date: Date) throws -> Bool {
        switch state {
        case .cancelled:
            return false
        case .done:
            throw RecordError.invalidTransition(id: id, state: state, action: "cancel")
        case .submitting, .waiting, .copying, .failed:
            state = .cancelled
            touch(at: date)
            return true
        }
    }

    /// Re-queues a `failed` or `cancelled` transfer: back to `copying` when a copy had begun
    /// (progress is kept; the sweep resumes), to `submitting` when its Globus task was never
    /// accepted (the sweep submits it again, with the same `submission_id`), else to `waiting`.
    /// Clears `lastError` and `attempts`.
    /// - Throws: `RecordError.invalidTransition` from `submitting`, `waiting`, `copying` or `done`.
    public mutating func retry(at date: Date) throws {
        guard state == .failed || state == .cancelled else {
            throw RecordError.invalidTransition(id: id, state: state, action: "retry")
        }
        state = copyBegan || batch != nil ? .copying : (globusTaskID.isEmpty && submission != nil ? .submitting : .waiting)
        batch?.retry(recordID: id)
        lastError = nil
        attempts = 0
        touch(at: date)
    }

    /// Globus accepted the submission (`Accepted`, or `Duplicate` for one made before): the
    /// record takes the task id and becomes an ordinary `waiting` transfer.
    /// - Returns: `false` when it is not `submitting` (nothing changes).
    @discardableResult
    public mutating func accept(taskID: String, at date: Date) -> Bool {
        guard state == .submitting else { return false }
        globusTaskID = taskID
        submission?.acceptedAt = RFC3339.truncated(date)
        state = .waiting
        lastError = nil
        attempts = 0
        transientTrouble = nil
        touch(at: date)
        return true
    }
}
