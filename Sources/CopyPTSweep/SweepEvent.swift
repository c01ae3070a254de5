import CopyPTRecords

/// What a sweep reports as it goes. The CLI prints these: state changes on stdout, problems on
/// stderr, the rest only with `--verbose`; `--json` prints each as one object.
public enum SweepEvent: Sendable, Equatable {
    /// A record file could not be read; it is left untouched and the sweep goes on.
    case unreadableRecord(fileName: String, reason: String)
    /// A transfer changed state (or, in a dry run, would).
    case stateChanged(SweepStateChange)
    /// A Globus task is INACTIVE and needs a person (reported once, when first seen).
    case needsAttention(id: String, label: String?, taskID: String, niceStatus: String)
    /// A transient error: the transfer keeps its state and the next sweep retries.
    case transientError(id: String, label: String?, error: SweepError)
    /// A problem with the whole run (Globus unreachable, not logged in, no AWS credentials).
    case runError(SweepError)
    /// Something a person should know about a transfer (paths outside the Globus path,
    /// fallback to listing); also kept in the record's notes.
    case note(id: String, label: String?, message: String)
    /// A batch was copied and checkpointed (for `--verbose`).
    case progress(id: String, label: String?, progress: TransferProgress)
    /// Another sweep holds the transfer's lock; it was skipped (for `--verbose`).
    case busy(id: String)
    /// Another process has held the transfer's lock longer than
    /// ``SweepConfiguration/busyWarnAfter``: a warning, sent by every sweep that finds it so.
    case busyTooLong(id: String, label: String?, owner: LockOwner, after: Duration)
    /// Dry run: what a copy would do (for every `copying` transfer and every SUCCEEDED task).
    case wouldCopy(id: String, label: String?, objects: Int, bytes: Int64, alreadyDone: Int)
}

/// One transfer's state change in a sweep: from the state it had when the sweep loaded it to
/// the one it has now (`waiting → done` when it was copied within the same sweep).
public struct SweepStateChange: Sendable, Equatable {
    /// The record id.
    public var id: String
    /// Its label.
    public var label: String?
    /// The state before.
    public var from: TransferState
    /// The state after.
    public var to: TransferState
    /// Objects copied and verified in all (for `done`), else `nil`.
    public var objects: Int?
    /// Bytes copied and verified in all (for `done`), else `nil`.
    public var bytes: Int64?
    /// Why, for `failed` (the record's `last_error.message`).
    public var reason: String?
    /// `true` when nothing was written (`--dry-run`).
    public var dryRun: Bool

    /// A state change.
    public init(
        id: String, label: String?, from: TransferState, to: TransferState,
        objects: Int? = nil, bytes: Int64? = nil, reason: String? = nil, dryRun: Bool = false
    ) {
        self.id = id
        self.label = label
        self.from = from
        self.to = to
        self.objects = objects
        self.bytes = bytes
        self.reason = reason
        self.dryRun = dryRun
    }
}
