import CopyPTRecords
import CopyPTS3
import Foundation

/// What one sweep did, for the exit status, the summary line and the metrics file.
public struct SweepReport: Sendable, Equatable {
    /// When the sweep started.
    public var startedAt: Date
    /// How long it took, in seconds.
    public var duration: Double = 0
    /// Every state change, in the order they happened.
    public var changes: [SweepStateChange] = []
    /// Transfers failed permanently in this run.
    public var permanentFailures: Int = 0
    /// Transient errors met (per transfer, plus one for a failed Globus status call).
    public var transientErrors: Int = 0
    /// Configuration errors met (not logged in, no credentials): the run could not do its job.
    public var configurationErrors: Int = 0
    /// Record files that could not be read.
    public var unreadableRecords: Int = 0
    /// Transfers skipped because another sweep held their lock.
    public var busy: Int = 0
    /// Objects copied and verified in this run.
    public var objectsCopied: Int = 0
    /// Bytes copied and verified in this run.
    public var bytesCopied: Int64 = 0
    /// Transfers by state once the sweep ended (readable records only).
    public var transfersByState: [TransferState: Int] = [:]
    /// Waiting transfers by Globus health class once the sweep ended (one never judged counts
    /// as progressing).
    public var waitingByGlobusClass: [GlobusHealth.Class: Int] = [:]
    /// Objects done over all records (the metrics counter `copypt_objects_copied_total`).
    public var objectsDoneAllTime: Int = 0
    /// Bytes done over all records (the metrics counter `copypt_bytes_copied_total`).
    public var bytesDoneAllTime: Int64 = 0
    /// How wide the copies ran (adaptive concurrency's peak, final width and cuts since the
    /// process started); `nil` when nothing has been copied.
    public var concurrency: CopyConcurrency?
    /// Records that held undelivered notifications when the sweep read them (for the notifier).
    public var notificationsPending: [String] = []

    /// An empty report for a sweep started at `startedAt`.
    public init(startedAt: Date) {
        self.startedAt = startedAt
    }

    /// Transfers still `submitting`, `waiting` or `copying`: a repeating sweep stops when this is 0.
    public var activeTransfers: Int {
        (transfersByState[.submitting] ?? 0) + (transfersByState[.waiting] ?? 0) + (transfersByState[.copying] ?? 0)
    }

    /// The exit status for cron: configuration error 2, else a permanent failure or an unreadable
    /// record 1, else transient trouble 75, else 0.
    public var exitStatus: SweepExitStatus {
        if configurationErrors > 0 { return .configuration }
        if permanentFailures > 0 || unreadableRecords > 0 { return .permanentFailure }
        if transientErrors > 0 { return .transient }
        return .success
    }
}

/// The sweep's exit statuses.
public enum SweepExitStatus: Int32, Sendable, Equatable {
    /// All fine, including nothing to do.
    case success = 0
    /// A transfer failed permanently in this run, or a record file is unreadable.
    case permanentFailure = 1
    /// Usage or configuration error.
    case configuration = 2
    /// Only transient trouble; the next run retries (EX_TEMPFAIL).
    case transient = 75
}
