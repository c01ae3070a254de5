import CopyPTRecords
import Foundation

/// Where the sweep learns what Globus knows about tasks: the seam between the sweep and
/// ``GlobusTaskStatusSource`` (the real Globus Transfer client), so the sweep logic can be
/// tested without Globus.
public protocol TaskStatusSource: Sendable {
    /// The status of every task in `taskIDs`, fetched in as few requests as the service allows.
    /// A task Globus does not know (or does not show this identity) is absent from the answer.
    /// - Throws: ``SweepError`` when the status could not be fetched at all.
    func statuses(for taskIDs: [String]) async throws -> [String: TaskStatus]

    /// Streams the `destination_path` of every file the task delivered, page by page.
    /// - Returns: `false` when Globus no longer has the task's per-file history (it keeps it
    ///   about 30 days), so the caller must fall back to listing the staging prefix.
    /// - Throws: ``SweepError`` for any other failure, or what `onPage` throws.
    func deliveredPaths(taskID: String, onPage: ([String]) async throws -> Void) async throws -> Bool

    /// The newest fault of a task, one line (`CODE: description`), or `nil` when Globus lists
    /// none. Asked only for tasks entering the faulting class, never for healthy ones.
    /// - Throws: ``SweepError``.
    func latestFault(taskID: String) async throws -> String?

    /// Who or what paused a task, one line, or `nil` when Globus says nothing. Asked only for
    /// tasks entering the paused class.
    /// - Throws: ``SweepError``.
    func pauseReason(taskID: String) async throws -> String?

    /// Submits the Globus task of a `submitting` record made by `copypt transfer`, with its
    /// `submission_id`: a second call for the same record answers the same task.
    /// - Returns: the task id.
    /// - Throws: ``SweepError``; by default (a source that cannot submit) a configuration error.
    func submit(_ record: TransferRecord) async throws -> String
}

extension TaskStatusSource {
    /// No detail: the class's reason goes without it.
    public func latestFault(taskID: String) async throws -> String? { nil }
    /// No detail: the class's reason goes without it.
    public func pauseReason(taskID: String) async throws -> String? { nil }
    /// A source that cannot submit tasks: every submission is a configuration error.
    public func submit(_ record: TransferRecord) async throws -> String {
        throw SweepError.remote(
            code: "CannotSubmit", message: "this sweep cannot submit Globus tasks (transfer \(record.id))", kind: .configuration)
    }
}

/// What the sweep needs of one Globus task.
public struct TaskStatus: Sendable, Hashable {
    /// Globus's `status`.
    public enum State: String, Sendable, Hashable {
        /// Running.
        case active = "ACTIVE"
        /// Stalled: a person must act (expired credentials, permissions); `niceStatus` says why.
        case inactive = "INACTIVE"
        /// Every file arrived.
        case succeeded = "SUCCEEDED"
        /// Failed or cancelled; `fatalError` says why.
        case failed = "FAILED"
    }

    /// The task's state.
    public var state: State
    /// Globus's `nice_status`, e.g. `Queued`, `PERMISSION_DENIED`, when given.
    public var niceStatus: String?
    /// Globus's `fatal_error` as `CODE: description`, when the task failed.
    public var fatalError: String?
    /// Globus's `nice_status_details`, when given (kept in a FAILED transfer's reason).
    public var niceStatusDetails: String?
    /// Globus's `is_paused`.
    public var isPaused: Bool = false
    /// Globus's `faults`.
    public var faults: Int = 0
    /// Globus's `deadline`, when given and readable.
    public var deadline: Date?
    /// Globus's `bytes_transferred`.
    public var bytesTransferred: Int64 = 0
    /// Globus's `files_transferred`.
    public var filesTransferred: Int = 0
    /// Globus's `files` (files in the task), when given.
    public var files: Int?
    /// Globus's `subtasks_total` and `subtasks_succeeded`, when given (progress before `files` is known).
    public var subtasksTotal: Int?
    /// See ``subtasksTotal``.
    public var subtasksSucceeded: Int?
    /// Globus's `history_deleted`.
    public var historyDeleted: Bool = false

    /// A task status.
    public init(state: State, niceStatus: String? = nil, fatalError: String? = nil) {
        self.state = state
        self.niceStatus = niceStatus
        self.fatalError = fatalError
    }
}
