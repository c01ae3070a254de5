import Foundation

/// One transfer: a Globus task into a staging prefix, and the server-side copy of what it
/// delivered into a destination prefix. Stored as `<state>/transfers/<id>.json`.
///
/// The schema is `"version": 1`. Within version 1, new keys may only be added as optional
/// (readers take a default when a key is absent, and ignore keys they do not know); anything
/// else bumps the version, and a reader refuses a version it does not know rather than guess.
/// State that is not part of the record proper (the sweep's journal, `<id>.journal`, and the
/// lock, `<id>.lock`) lives in sidecar files beside it. Timestamps are kept to the second.
public struct TransferRecord: Sendable, Hashable, Codable {
    /// The schema version this code writes and reads.
    public static let currentVersion = 1

    /// Schema version; always `currentVersion` for a record this code loaded or made.
    public var version: Int
    /// Record id, e.g. `20261125-3f9a2c` (see `RecordID`).
    public var id: String
    /// Free text from `--label`, one line.
    public var label: String?
    /// The Globus task id (lower-case UUID); empty while `submitting`, before Globus has
    /// answered (`globus_task_id` stays a string, so readers of older records still read it).
    public var globusTaskID: String
    /// The staging location Globus writes into.
    public var from: S3Prefix
    /// The destination location copies go to.
    public var to: S3Prefix
    /// The Globus path of the staging prefix (`/<bucket>/<prefix>/` on an S3 collection), used to
    /// map the task's `destination_path`s to staging keys; ends in `/`.
    public var globusPath: String
    /// How copies are made.
    public var options: CopyOptions
    /// Where the transfer is in its life.
    public var state: TransferState
    /// When it was added.
    public var createdAt: Date
    /// When the record last changed.
    public var updatedAt: Date
    /// The Globus task status seen last, if any.
    public var globusStatus: GlobusStatusSeen?
    /// Copy progress counters.
    public var progress: TransferProgress
    /// The last error met, cleared by `retry` and on success.
    public var lastError: RecordedError?
    /// Sweep attempts since the last state change or retry (transient errors count up).
    public var attempts: Int
    /// Where the copy plan came from (`successful_transfers`, `listing`, …), set by the sweep.
    public var planSource: String?
    /// Notes the sweep wants a person to read (one line each), oldest first.
    public var notes: [String]
    /// The run of transient trouble the transfer is in, if any (`transient_trouble`; optional
    /// within version 1, absent in records written before it).
    public var transientTrouble: TransientTrouble? = nil
    /// Notifications waiting for delivery and the transfer's own webhook (`notifications`;
    /// optional within version 1, absent when there is neither).
    public var notifications: NotificationState? = nil
    /// Why the Globus task of a waiting transfer is or is not moving (`globus_health`; optional
    /// within version 1, absent until a sweep saw something worth writing).
    public var globusHealth: GlobusHealth? = nil
    /// How `copypt transfer` submits the Globus task (`submission`; optional within version 1,
    /// absent for records made by `copypt add`). While the state is `submitting`,
    /// ``globusTaskID`` is the empty string.
    public var submission: TransferSubmission? = nil
    /// The S3 Batch Operations job copying this transfer, if any (`batch`; optional within version 1).
    public var batch: BatchJobRecord? = nil

    /// A record; timestamps are truncated to whole seconds, the precision kept on disk.
    public init(
        id: String,
        label: String? = nil,
        globusTaskID: String,
        from: S3Prefix,
        to: S3Prefix,
        globusPath: String,
        options: CopyOptions = CopyOptions(),
        state: TransferState = .waiting,
        createdAt: Date,
        updatedAt: Date? = nil,
        globusStatus: GlobusStatusSeen? = nil,
        progress: TransferProgress = TransferProgress(),
        lastError: RecordedError? = nil,
        attempts: Int = 0,
        planSource: String? = nil,
        notes: [String] = []
    ) {
        self.version = TransferRecord.currentVersion
        self.id = id
        self.label = label
        self.globusTaskID = globusTaskID
        self.from = from
        self.to = to
        self.globusPath = globusPath
        self.options = options
        self.state = state
        self.createdAt = RFC3339.truncated(createdAt)
        self.updatedAt = RFC3339.truncated(updatedAt ?? createdAt)
        self.globusStatus = globusStatus
        self.progress = progress
        self.lastError = lastError
        self.attempts = attempts
        self.planSource = planSource
        self.notes = notes
    }

    // MARK: - Codable

    enum CodingKeys: String, CodingKey {
        case version, id, label
        case globusTaskID = "globus_task_id"
        case from, to
        case globusPath = "globus_path"
        case options, state
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case globusStatus = "globus_status"
        case progress
        case lastError = "last_error"
        case attempts
        case planSource = "plan_source"
        case notes
        case transientTrouble = "transient_trouble"
        case notifications
        case globusHealth = "globus_health"
        case submission
        case batch
    }

    /// A record whose `version` is missing or not `currentVersion`; thrown before any other
    /// key is read, so a future schema is refused rather than misread (see `RecordCoding`).
    public struct VersionMismatch: Error {
        /// The version found, or `nil` when the key is absent.
        public var found: Int?
    }

    /// Decodes a record, checking `version` before anything else.
    /// - Throws: `VersionMismatch` for a missing or unknown version, `DecodingError` otherwise.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let found = try c.decodeIfPresent(Int.self, forKey: .version)
        guard found == TransferRecord.currentVersion else { throw VersionMismatch(found: found) }
        version = TransferRecord.currentVersion
        id = try c.decode(String.self, forKey: .id)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        globusTaskID = try c.decode(String.self, forKey: .globusTaskID)
        from = try c.decode(S3Prefix.self, forKey: .from)
        to = try c.decode(S3Prefix.self, forKey: .to)
        globusPath = try c.decode(String.self, forKey: .globusPath)
        options = try c.decodeIfPresent(CopyOptions.self, forKey: .options) ?? CopyOptions()
        state = try c.decode(TransferState.self, forKey: .state)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        globusStatus = try c.decodeIfPresent(GlobusStatusSeen.self, forKey: .globusStatus)
        progress = try c.decodeIfPresent(TransferProgress.self, forKey: .progress) ?? TransferProgress()
        lastError = try c.decodeIfPresent(RecordedError.self, forKey: .lastError)
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
        planSource = try c.decodeIfPresent(String.self, forKey: .planSource)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        transientTrouble = try c.decodeIfPresent(TransientTrouble.self, forKey: .transientTrouble)
        notifications = try c.decodeIfPresent(NotificationState.self, forKey: .notifications)
        globusHealth = try c.decodeIfPresent(GlobusHealth.self, forKey: .globusHealth)
        submission = try c.decodeIfPresent(TransferSubmission.self, forKey: .submission)
        batch = try c.decodeIfPresent(BatchJobRecord.self, forKey: .batch)
    }

    /// Encodes every key, absent values as `null`, so a hand-reader sees the whole schema;
    /// only `transient_trouble` and `notifications` are left out when there is none.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(id, forKey: .id)
        try c.encode(label, forKey: .label)
        try c.encode(globusTaskID, forKey: .globusTaskID)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(globusPath, forKey: .globusPath)
        try c.encode(options, forKey: .options)
        try c.encode(state, forKey: .state)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(globusStatus, forKey: .globusStatus)
        try c.encode(progress, forKey: .progress)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(planSource, forKey: .planSource)
        try c.encode(notes, forKey: .notes)
        // Written only while there is trouble: a record without it reads as before.
        try c.encodeIfPresent(transientTrouble, forKey: .transientTrouble)
        try c.encodeIfPresent(notifications, forKey: .notifications)
        try c.encodeIfPresent(globusHealth, forKey: .globusHealth)
        // Only records made by `copypt transfer` have one.
        try c.encodeIfPresent(submission, forKey: .submission)
        try c.encodeIfPresent(batch, forKey: .batch)
    }
}
