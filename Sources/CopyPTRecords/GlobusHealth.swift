import Foundation

/// What the sweep last concluded about a waiting transfer's Globus task: its class (why it is
/// or is not moving), a one-line reason saying what to do, and the figures the next sweep
/// compares against. Kept in the record as `globus_health` (optional within version 1).
///
/// It is rewritten only when something a person would care about changed: the class, the
/// bracket of the fault count (``faultBracket(_:)``), the decile of files done, or progress
/// after half the stall time without a write (so a slow task is not taken for stalled).
/// An idle task therefore costs no write, however many sweeps see it.
public struct GlobusHealth: Sendable, Hashable, Codable {
    /// Why a waiting task is or is not moving; snake_case on disk.
    public enum Class: String, Sendable, Hashable, Codable, CaseIterable {
        /// Running normally (or queued) and not near its deadline.
        case progressing
        /// No progress for the sweep's `--stall-after` duration.
        case stalled
        /// Faults are rising, or Globus's `nice_status` is an error code.
        case faulting
        /// Paused by an activity manager or a pause rule.
        case paused
        /// INACTIVE: credentials on an endpoint expired; a person must reactivate them.
        case inactive
        /// Less than a day before Globus gives the task up.
        case deadlineNear = "deadline_near"

        /// The classes a person is told about on entering them (issue 18: stalled, faulting,
        /// inactive, deadline near). Paused is not among them: a pause is a person's or a
        /// rule's doing, and its reason is shown by `copypt status`.
        public var needsAttention: Bool {
            switch self {
            case .stalled, .faulting, .inactive, .deadlineNear: return true
            case .progressing, .paused: return false
            }
        }
    }

    /// The class.
    public var `class`: Class
    /// What is going on and what to do, one line.
    public var reason: String
    /// When the task entered this class (as first seen by a sweep).
    public var since: Date
    /// Globus `bytes_transferred` when last written.
    public var bytesTransferred: Int64
    /// Globus `files_transferred` when last written.
    public var filesTransferred: Int
    /// Globus `files` (files in the task) when last written, if given.
    public var files: Int?
    /// When a sweep last saw the byte or file count move (stall detection counts from here).
    public var progressAt: Date
    /// Globus `faults` when last written.
    public var faults: Int
    /// The latest fault descriptions from the task's event list, newest first (at most 3).
    public var lastFaults: [String]
    /// Globus `deadline`, when given.
    public var deadline: Date?

    /// A health observation; timestamps are truncated to whole seconds, as on disk.
    public init(
        class kind: Class, reason: String, since: Date, bytesTransferred: Int64 = 0, filesTransferred: Int = 0,
        files: Int? = nil, progressAt: Date, faults: Int = 0, lastFaults: [String] = [], deadline: Date? = nil
    ) {
        self.class = kind
        self.reason = reason
        self.since = RFC3339.truncated(since)
        self.bytesTransferred = bytesTransferred
        self.filesTransferred = filesTransferred
        self.files = files
        self.progressAt = RFC3339.truncated(progressAt)
        self.faults = faults
        self.lastFaults = lastFaults
        self.deadline = deadline.map(RFC3339.truncated)
    }

    /// The most fault descriptions kept.
    public static let lastFaultsKept = 3

    /// Fault counts grouped so a task retrying for days is not rewritten at every fault:
    /// 0, 1, 2–4, 5–9, 10–49, 50–99, then one bracket per decade.
    public static func faultBracket(_ faults: Int) -> Int {
        switch faults {
        case ..<1: return 0
        case 1: return 1
        case 2...4: return 2
        case 5...9: return 3
        case 10...49: return 4
        case 50...99: return 5
        default:
            var bracket = 6
            var value = faults / 1000
            while value > 0 {
                bracket += 1
                value /= 10
            }
            return bracket
        }
    }

    /// Tenths of the files done (0…10), or 0 when the task's file count is unknown.
    public static func progressDecile(filesTransferred: Int, files: Int?) -> Int {
        guard let files, files > 0 else { return 0 }
        return min(10, max(0, filesTransferred) * 10 / files)
    }

    enum CodingKeys: String, CodingKey {
        case `class`, reason, since
        case bytesTransferred = "bytes_transferred"
        case filesTransferred = "files_transferred"
        case files
        case progressAt = "progress_at"
        case faults
        case lastFaults = "last_faults"
        case deadline
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.class = try c.decode(Class.self, forKey: .class)
        reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
        since = try c.decode(Date.self, forKey: .since)
        bytesTransferred = try c.decodeIfPresent(Int64.self, forKey: .bytesTransferred) ?? 0
        filesTransferred = try c.decodeIfPresent(Int.self, forKey: .filesTransferred) ?? 0
        files = try c.decodeIfPresent(Int.self, forKey: .files)
        progressAt = try c.decodeIfPresent(Date.self, forKey: .progressAt) ?? since
        faults = try c.decodeIfPresent(Int.self, forKey: .faults) ?? 0
        lastFaults = try c.decodeIfPresent([String].self, forKey: .lastFaults) ?? []
        deadline = try c.decodeIfPresent(Date.self, forKey: .deadline)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.class, forKey: .class)
        try c.encode(reason, forKey: .reason)
        try c.encode(since, forKey: .since)
        try c.encode(bytesTransferred, forKey: .bytesTransferred)
        try c.encode(filesTransferred, forKey: .filesTransferred)
        try c.encode(files, forKey: .files)
        try c.encode(progressAt, forKey: .progressAt)
        try c.encode(faults, forKey: .faults)
        try c.encode(lastFaults, forKey: .lastFaults)
        try c.encode(deadline, forKey: .deadline)
    }
}
