import Foundation

extension TransferRecord {
    /// `true` once the sweep has planned or copied anything (so a retry resumes the copy).
    public var copyBegan: Bool { progress.hasStarted }

    /// Sets `updatedAt` to `date` (to the second).
    public mutating func touch(at date: Date) {
        updatedAt = RFC3339.truncated(date)
    }

    /// Cancels the transfer: `waiting`, `copying` or `failed` → `cancelled`. The Globus task
    /// itself is not touched.
    /// - Returns: `false` when it was already cancelled (nothing changes).
    /// - Throws: `RecordError.invalidTransition` when it is `done`.
    @discardableResult
    public mutating func cancel(at date: Date) throws -> Bool {
        switch state {
        case .cancelled:
            return false
        case .done:
            throw RecordError.invalidTransition(id: id, state: state, action: "cancel")
        case .waiting, .copying, .failed:
            state = .cancelled
            touch(at: date)
            return true
        }
    }

    /// Re-queues a `failed` or `cancelled` transfer: back to `copying` when a copy had begun
    /// (progress is kept; the sweep resumes), else to `waiting`. Clears `lastError` and
    /// `attempts`.
    /// - Throws: `RecordError.invalidTransition` from `waiting`, `copying` or `done`.
    public mutating func retry(at date: Date) throws {
        guard state == .failed || state == .cancelled else {
            throw RecordError.invalidTransition(id: id, state: state, action: "retry")
        }
        state = copyBegan || batch != nil ? .copying : .waiting
        batch?.retry(recordID: id)
        lastError = nil
        attempts = 0
        touch(at: date)
    }
}
