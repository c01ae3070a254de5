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

    /// Creates a task value (tests, fakes).
    public init(
        taskID: String, status: Status, niceStatus: String? = nil, fatalError: FatalError? = nil,
        files: Int? = nil, filesTransferred: Int? = nil, bytesTransferred: Int64? = nil,
        completionTime: String? = nil, label: String? = nil, historyDeleted: Bool = false, dataType: String? = "task"
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
    }

    /// The `fields=` list copypt asks `task_list` for (docs.globus.org/api/transfer/overview,
    /// "Limiting Result Fields").
    static let fieldList = "task_id,status,nice_status,fatal_error,files,files_transferred,"
        + "bytes_transferred,completion_time,label,history_deleted"
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
