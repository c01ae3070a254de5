/// The fields copypt reads from a Transfer `task` document
/// (docs.globus.org/api/transfer/task, "Task Fields"); every other field is skipped.
public struct GlobusTask: Sendable, Equatable, Decodable {
    /// A task's one-word status. Unknown future values are kept as they are.
    public struct Status: RawRepresentable, Sendable, Hashable, Decodable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        /// In progress.
        public static let active = Status(rawValue: "ACTIVE")
        /// Suspended, will not continue without intervention (e.g. expired credentials).
        public static let inactive = Status(rawValue: "INACTIVE")
        /// Completed successfully.
        public static let succeeded = Status(rawValue: "SUCCEEDED")
        /// The task or a subtask failed, expired or was canceled.
        public static let failed = Status(rawValue: "FAILED")

        /// `true` for ACTIVE and INACTIVE.
        public var isUnfinished: Bool { self == .active || self == .inactive }
        public var description: String { rawValue }
    }

    /// Why a FAILED task failed: `code` and `description` of its fatal event.
    public struct FatalError: Sendable, Equatable, Decodable {
        /// e.g. `CANCELED`, `EXPIRED`, `PERMISSION_DENIED`.
        public var code: String
        /// Human-readable text.
        public var description: String

        /// Creates a fatal error.
        public init(code: String, description: String) {
            self.code = code
            self.description = description
        }
    }

    /// `DATA_TYPE`, `task` (absent when `fields=` trimmed it).
    public var dataType: String?
    /// `task_id`.
    public var taskID: String
    /// `status`.
    public var status: Status
    /// `nice_status`, e.g. `Queued`, `OK`, or an error summary while ACTIVE/INACTIVE.
    public var niceStatus: String?
    /// `fatal_error`, set when FAILED.
    public var fatalError: FatalError?
    /// `files`: files in the task.
    public var files: Int?
    /// `files_transferred`.
    public var filesTransferred: Int?
    /// `bytes_transferred`.
    public var bytesTransferred: Int64?
    /// `completion_time`, ISO 8601; `nil` while ACTIVE/INACTIVE.
    public var completionTime: String?
    /// `label`.
    public var label: String?
    /// `history_deleted`: per-file history is gone (kept ~30 days), so `successful_transfers` is too.
    public var historyDeleted: Bool
    /// `nice_status_details`: Globus's longer text for `nice_status` (kept when a task FAILED).
    public var niceStatusDetails: String?
    /// `is_paused`: an activity manager or a pause rule paused the task (`pause_info` says who).
    public var isPaused: Bool
    /// `faults`: how many times the task met an error and retried.
    public var faults: Int?
    /// `deadline`, ISO 8601: when Globus gives the task up (FAILED, `EXPIRED`).
    public var deadline: String?
    /// `subtasks_*` counters: progress in subtasks (one per file plus bookkeeping).
    public var subtasks: Subtasks

    /// The `subtasks_*` counters of a task document, each `nil` when absent.
    public struct Subtasks: Sendable, Equatable {
        /// `subtasks_total`.
        public var total: Int?
        /// `subtasks_pending`.
        public var pending: Int?
        /// `subtasks_retrying`.
        public var retrying: Int?
        /// `subtasks_succeeded`.
        public var succeeded: Int?
        /// `subtasks_failed`.
        public var failed: Int?

        /// Counters (tests, fakes).
        public init(total: Int? = nil, pending: Int? = nil, retrying: Int? = nil, succeeded: Int? = nil, failed: Int? = nil) {
            self.total = total
            self.pending = pending
            self.retrying = retrying
            self.succeeded = succeeded
            self.failed = failed
        }
    }

    /// Creates a task value (tests, fakes).
    public init(
        taskID: String, status: Status, niceStatus: String? = nil, fatalError: FatalError? = nil,
        files: Int? = nil, filesTransferred: Int? = nil, bytesTransferred: Int64? = nil,
        completionTime: String? = nil, label: String? = nil, historyDeleted: Bool = false, dataType: String? = "task",
        niceStatusDetails: String? = nil, isPaused: Bool = false, faults: Int? = nil, deadline: String? = nil,
        subtasks: Subtasks = Subtasks()
    ) {
        self.dataType = dataType
        self.taskID = taskID
        self.status = status
        self.niceStatus = niceStatus
        self.fatalError = fatalError
        self.files = files
        self.filesTransferred = filesTransferred
        self.bytesTransferred = bytesTransferred
        self.completionTime = completionTime
        self.label = label
        self.historyDeleted = historyDeleted
        self.niceStatusDetails = niceStatusDetails
        self.isPaused = isPaused
        self.faults = faults
        self.deadline = deadline
        self.subtasks = subtasks
    }

    enum CodingKeys: String, CodingKey {
        case dataType = "DATA_TYPE"
        case taskID = "task_id"
        case status
        case niceStatus = "nice_status"
        case fatalError = "fatal_error"
        case files
        case filesTransferred = "files_transferred"
        case bytesTransferred = "bytes_transferred"
        case completionTime = "completion_time"
        case label
        case historyDeleted = "history_deleted"
        case niceStatusDetails = "nice_status_details"
        case isPaused = "is_paused"
        case faults, deadline
        case subtasksTotal = "subtasks_total"
        case subtasksPending = "subtasks_pending"
        case subtasksRetrying = "subtasks_retrying"
        case subtasksSucceeded = "subtasks_succeeded"
        case subtasksFailed = "subtasks_failed"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataType = try c.decodeIfPresent(String.self, forKey: .dataType)
        taskID = try c.decode(String.self, forKey: .taskID)
        status = try c.decode(Status.self, forKey: .status)
        niceStatus = try c.decodeIfPresent(String.self, forKey: .niceStatus)
        fatalError = try c.decodeIfPresent(FatalError.self, forKey: .fatalError)
        files = try c.decodeIfPresent(Int.self, forKey: .files)
        filesTransferred = try c.decodeIfPresent(Int.self, forKey: .filesTransferred)
        bytesTransferred = try c.decodeIfPresent(Int64.self, forKey: .bytesTransferred)
        completionTime = try c.decodeIfPresent(String.self, forKey: .completionTime)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        historyDeleted = try c.decodeIfPresent(Bool.self, forKey: .historyDeleted) ?? false
        niceStatusDetails = try c.decodeIfPresent(String.self, forKey: .niceStatusDetails)
        isPaused = try c.decodeIfPresent(Bool.self, forKey: .isPaused) ?? false
        faults = try c.decodeIfPresent(Int.self, forKey: .faults)
        deadline = try c.decodeIfPresent(String.self, forKey: .deadline)
        subtasks = Subtasks(
            total: try c.decodeIfPresent(Int.self, forKey: .subtasksTotal),
            pending: try c.decodeIfPresent(Int.self, forKey: .subtasksPending),
            retrying: try c.decodeIfPresent(Int.self, forKey: .subtasksRetrying),
            succeeded: try c.decodeIfPresent(Int.self, forKey: .subtasksSucceeded),
            failed: try c.decodeIfPresent(Int.self, forKey: .subtasksFailed))
    }

    /// The `fields=` list copypt asks `task_list` for (docs.globus.org/api/transfer/overview,
    /// "Limiting Result Fields"). Every name is a "Task Fields" entry, and each appears in
    /// globus-sdk's recorded `task_list` response (`testing/data/transfer/task_list.py`).
    static let fieldList = "task_id,status,nice_status,fatal_error,files,files_transferred,"
        + "bytes_transferred,completion_time,label,history_deleted,nice_status_details,is_paused,faults,"
        + "deadline,subtasks_total,subtasks_pending,subtasks_retrying,subtasks_succeeded,subtasks_failed"
}

/// One page of `GET task_list` (offset paging: `offset`, `limit`, `total`, `DATA`).
struct GlobusTaskListPage: Decodable {
    var offset: Int?
    var limit: Int?
    var total: Int?
    var tasks: [GlobusTask]

    enum CodingKeys: String, CodingKey {
        case offset, limit, total
        case tasks = "DATA"
    }
}
