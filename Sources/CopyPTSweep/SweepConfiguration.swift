import CopyPTS3
import Foundation

/// How a sweep runs. Flow is one way: CLI options → `SweepConfiguration` → ``Sweeper``.
public struct SweepConfiguration: Sendable {
    /// Only report what would happen: no record writes, no copies, no journal. Default `false`.
    public var dryRun: Bool
    /// Fail a transfer whose Globus task is still ACTIVE or INACTIVE this long after it was
    /// added. Default `nil`: wait for ever.
    public var giveUpAfter: Duration?
    /// Objects copied at once within a batch (the engine's concurrency). Default 16. With
    /// ``adaptiveConcurrency`` set, the width a fresh multipart plan's parts aim for.
    public var concurrency: Int
    /// Adaptive concurrency (AIMD) in place of the fixed ``concurrency``: one budget shared by
    /// every transfer copied with the same AWS profile. Default `nil`, fixed.
    public var adaptiveConcurrency: AIMDController.Settings?
    /// Transfers copied at once. Default 4.
    public var parallelTransfers: Int
    /// Objects above this size are copied in parts (UploadPartCopy). Default 5 GiB, S3's
    /// CopyObject limit.
    public var multipartThreshold: Int64
    /// The smallest multipart part but the last. Default 5 MiB, S3's limit (lower only for
    /// test servers configured to accept smaller parts).
    public var minimumPartSize: Int64
    /// Objects copied, journalled and checkpointed together; also the most a transfer re-copies
    /// after a kill. Default 1,000 (one ListObjectsV2 page).
    public var batchSize: Int
    /// Most "missing from staging" keys named in a failure reason. Default 5.
    public var exampleLimit: Int
    /// A transfer's transient errors (network, throttling, 5xx, Globus unreachable) are not
    /// reported until its run of them has lasted this long; the record keeps when it began
    /// (`transient_trouble`). Default `.zero`: every transient error is reported at once.
    public var quietTransientFor: Duration
    /// Once reported, persisting transient trouble is reported again at most this often per
    /// transfer (only when ``quietTransientFor`` is longer than zero). Default 24 hours.
    public var transientReportInterval: Duration
    /// Warn about a transfer whose lock another process has held longer than this. Default 6 h:
    /// server-side copies of even many TiB finish well within it, so a longer hold means a
    /// stuck or stopped process.
    public var busyWarnAfter: Duration
    /// A waiting transfer whose Globus task moved no byte and no file this long is `stalled`
    /// (``GlobusHealthCheck``). Default 6 hours. (Set after `init`, to keep the initializer's
    /// argument list stable for the other additions of this stop.)
    public var stallAfter: Duration = .seconds(6 * 3600)
    /// Sweep only the records with these ids (`copypt transfer --wait` follows its own).
    /// Default `nil`: every record.
    public var onlyIDs: Set<String>? = nil
    /// The clock. Default the system clock.
    public var now: @Sendable () -> Date
    /// How a repeating sweep waits between sweeps. Default `Task.sleep`.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Called at a batch transfer's named steps (`after-manifest`, `after-create-job`), so a
    /// test can kill the process there. Default: nothing.
    public var batchStepHook: @Sendable (String) -> Void = { _ in }

    /// A configuration; every default is documented on its property.
    public init(
        dryRun: Bool = false,
        giveUpAfter: Duration? = nil,
        concurrency: Int = 16,
        parallelTransfers: Int = 4,
        multipartThreshold: Int64 = 5 << 30,
        minimumPartSize: Int64 = 5 << 20,
        batchSize: Int = 1000,
        exampleLimit: Int = 5,
        quietTransientFor: Duration = .zero,
        transientReportInterval: Duration = .seconds(86_400),
        busyWarnAfter: Duration = .seconds(6 * 3600),
        adaptiveConcurrency: AIMDController.Settings? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.dryRun = dryRun
        self.giveUpAfter = giveUpAfter
        self.concurrency = max(concurrency, 1)
        self.parallelTransfers = max(parallelTransfers, 1)
        self.multipartThreshold = multipartThreshold
        self.minimumPartSize = max(minimumPartSize, 1)
        self.batchSize = min(max(batchSize, 1), 1000)
        self.exampleLimit = max(exampleLimit, 1)
        self.quietTransientFor = max(quietTransientFor, .zero)
        self.transientReportInterval = max(transientReportInterval, .zero)
        self.busyWarnAfter = busyWarnAfter
        self.adaptiveConcurrency = adaptiveConcurrency
        self.now = now
        self.sleep = sleep
    }
}
