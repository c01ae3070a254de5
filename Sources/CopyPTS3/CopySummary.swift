/// The outcome of one ``S3Copier/copy(_:options:resume:onEvent:)`` run.
public struct CopySummary: Sendable, Equatable {
    /// Objects copied and verified.
    public var verified: Int = 0
    /// Bytes of the verified objects.
    public var bytes: Int64 = 0
    /// Objects that failed, with why.
    public var failures: [CopyFailure] = []
    /// S3 requests sent (retries included).
    public var requests: Int = 0
    /// How wide the run went; `nil` before any run.
    public var concurrency: CopyConcurrency?

    /// Creates an empty summary.
    public init() {}

    /// Adds what another run of the same copy did.
    public mutating func add(_ other: CopySummary) {
        verified += other.verified
        bytes = bytes.addingSaturated(other.bytes)
        failures += other.failures
        requests += other.requests
        if let later = other.concurrency {
            concurrency = concurrency.map { $0.followed(by: later) } ?? later
        }
    }

    /// `true` when at least one failure is permanent.
    public var hasPermanentFailure: Bool { failures.contains { !$0.error.isRetryable } }

    /// `true` when every object was copied and verified.
    public var isComplete: Bool { failures.isEmpty }
}

/// One object that could not be copied.
public struct CopyFailure: Sendable, Equatable {
    /// The object.
    public var item: CopyItem
    /// Why.
    public var error: S3Error

    /// Creates a failure.
    public init(item: CopyItem, error: S3Error) {
        self.item = item
        self.error = error
    }
}
