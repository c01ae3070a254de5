import Logging
import Synchronization

/// How the copy engine runs: concurrency, multipart threshold and part limits.
public struct S3CopierConfiguration: Sendable, Hashable {
    /// Copies (CopyObject or UploadPartCopy requests) in flight at once; default 16. With
    /// ``adaptive`` set, the width a fresh plan's parts aim for.
    public var concurrency: Int
    /// Adaptive concurrency (AIMD between 1 and ``AIMDController/Settings/maximum``, starting at
    /// its `start`), in place of the fixed ``concurrency``; default `nil`, fixed. An adaptive
    /// engine keeps one limiter for all its runs, so copies of several transfers at once share
    /// one budget and a later batch starts at the width the last one reached.
    public var adaptive: AIMDController.Settings?
    /// Objects up to this size are copied with one CopyObject, larger ones in parts;
    /// default and maximum 5 GiB (CopyObject's limit).
    public var multipartThreshold: Int64
    /// The multipart limits; default S3's (5 MiB–5 GiB parts, at most 10,000).
    public var partLimits: MultipartLimits

    /// The most requests that may be in flight: the fixed width, or the adaptive cap.
    public var maximumInFlight: Int { adaptive?.maximum ?? concurrency }

    /// The largest object CopyObject accepts, 5 GiB.
    public static let maximumSingleCopySize: Int64 = 5 * PartPlan.gibibyte

    /// Creates a configuration.
    /// - Parameters:
    ///   - concurrency: copies in flight at once, default 16.
    ///   - multipartThreshold: the largest single-request copy, default 5 GiB (values above are capped).
    ///   - partLimits: part size and count limits, default ``MultipartLimits/s3``.
    ///   - adaptive: adaptive concurrency's settings, default `nil` (fixed ``concurrency``).
    public init(
        concurrency: Int = 16, multipartThreshold: Int64 = maximumSingleCopySize, partLimits: MultipartLimits = .s3,
        adaptive: AIMDController.Settings? = nil
    ) {
        self.concurrency = max(concurrency, 1)
        self.adaptive = adaptive
        self.multipartThreshold = min(max(multipartThreshold, 0), Self.maximumSingleCopySize)
        self.partLimits = partLimits
    }
}

/// The server-side copy engine: copies many objects with bounded concurrency, each by one
/// CopyObject or by a multipart UploadPartCopy, verifies each, and reports every step as a
/// ``CopyEvent`` so a caller can journal progress and resume after a crash.
public struct S3Copier: Sendable {
    /// The S3 client used for every request.
    public let client: S3Client
    /// Concurrency, threshold and part limits.
    public let configuration: S3CopierConfiguration
    let logger: Logger
    /// The adaptive limiter every run shares, or `nil` for a fixed width (a limiter per run).
    let adaptiveLimiter: ConcurrencyLimiter?

    /// Creates an engine.
    /// - Parameters:
    ///   - client: the S3 client.
    ///   - configuration: concurrency, multipart threshold, part limits; default ``S3CopierConfiguration/init(concurrency:multipartThreshold:partLimits:)``.
    ///   - logger: progress is logged at debug, retries and resumes at info.
    ///   - now: a monotonic clock for adaptive concurrency's windows, default `ContinuousClock`.
    public init(
        client: S3Client, configuration: S3CopierConfiguration = .init(), logger: Logger,
        now: (@Sendable () -> Duration)? = nil
    ) {
        var client = client
        if let settings = configuration.adaptive {
            let origin = ContinuousClock.now
            let limiter = ConcurrencyLimiter(adaptive: settings, now: now ?? { ContinuousClock.now - origin })
            client.loadLimiter = limiter
            adaptiveLimiter = limiter
        } else {
            adaptiveLimiter = nil
        }
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// How wide this engine's copies have run: for adaptive concurrency, the width now, its
    /// peak and cuts since the engine was made; for a fixed width, that width.
    public var concurrency: CopyConcurrency {
        guard let adaptiveLimiter else {
            return CopyConcurrency(adaptive: false, peak: configuration.concurrency, final: configuration.concurrency, cuts: 0)
        }
        let width = adaptiveLimiter.snapshot
        return CopyConcurrency(adaptive: true, peak: width.peak, final: width.width, cuts: width.cuts)
    }

    /// Copies `items`, at most ``S3CopierConfiguration/concurrency`` requests at a time (or
    /// as many as adaptive concurrency allows).
    ///
    /// A failed object does not stop the others: it is reported as ``CopyEvent/failed(_:_:)``
    /// and in the summary. Objects above the multipart threshold whose destination is a key
    /// of `resume` continue that upload (ListParts, then only the missing parts).
    /// - Parameters:
    ///   - items: what to copy, e.g. from ``plan(source:destination:recursive:sourceOwner:)``.
    ///   - options: ACL, storage class, encryption and expected owners for every copy.
    ///   - resume: UploadIds of interrupted multipart copies, by destination, from earlier
    ///     ``CopyEvent/multipartStarted(_:uploadID:plan:)`` events; default none.
    ///   - onEvent: called as each step happens, possibly from several tasks at once.
    ///     If it throws, the run stops and `copy` rethrows that error.
    /// - Returns: what was verified and what failed.
    /// - Throws: only what `onEvent` throws, or `CancellationError` when the task is cancelled
    ///   (multipart uploads are then left in place for resuming).
    public func copy(
        _ items: [CopyItem],
        options: CopyOptions,
        resume: [S3Location: String] = [:],
        onEvent: @escaping @Sendable (CopyEvent) async throws -> Void = { _ in }
    ) async throws -> CopySummary {
        let startRequests = client.requestCount
        let limiter = adaptiveLimiter ?? ConcurrencyLimiter(limit: configuration.concurrency)
        let run = CopyRun(options: options, resume: resume, limiter: limiter, onEvent: onEvent)
        var summary = CopySummary()
        var failures: [(index: Int, failure: CopyFailure)] = []
        do {
            // Each copy is mostly waiting on the transport: run the copies on its I/O thread
            // (when it has one), which spares two thread switches per request.
            try await withTaskExecutorPreference(client.transport.taskExecutor) {
            // A fixed set of workers taking items in turn, rather than a child task per item:
            // creating and destroying a task (and growing its stack afresh) for each of many
            // small copies was a visible share of their CPU (scripts/bench P1).
            let queue = CopyQueue(count: items.count)
            try await withThrowingTaskGroup(of: CopyTally.self) { group in
                for _ in 0..<min(configuration.maximumInFlight, items.count) {
                    group.addTask {
                        var tally = CopyTally()
                        while let index = queue.next() {
                            switch try await copyOne(items[index], run: run) {
                            case .verified(let item):
                                tally.verified += 1
                                tally.bytes = tally.bytes.addingSaturated(item.size)
                            case .failed(let item, let error):
                                tally.failures.append((index, CopyFailure(item: item, error: error)))
                            }
                        }
                        return tally
                    }
                }
                for try await tally in group {
                    summary.verified += tally.verified
                    summary.bytes = summary.bytes.addingSaturated(tally.bytes)
                    failures += tally.failures
                }
            }
            }
        } catch let error as EventHandlerError {
            throw error.underlying
        }
        summary.failures = failures.sorted { $0.index < $1.index }.map(\.failure)
        summary.requests = client.requestCount - startRequests
        summary.concurrency = concurrency
        return summary
    }

    // MARK: - One object

    /// Copies and verifies one object, turning its S3 errors into a `.failed` event.
    func copyOne(_ item: CopyItem, run: CopyRun) async throws -> CopyOutcome {
        do {
            let verification: CopyVerification
            if item.size <= configuration.multipartThreshold {
                verification = try await copySingle(item, run: run)
            } else {
                verification = try await copyMultipart(item, run: run)
            }
            try await run.emit(.verified(item, verification))
            return .verified(item)
        } catch let error as S3Error {
            logger.info("\(item): \(error)")
            try await run.emit(.failed(item, error))
            return .failed(item, error)
        }
    }

    /// One CopyObject, verified from its own response whenever the ETags can match.
    func copySingle(_ item: CopyItem, run: CopyRun) async throws -> CopyVerification {
        let result = try await run.limiter.run {
            try run.options.checkContained(item.destination, before: "CopyObject")
            return try await client.copyObject(item, options: run.options)
        }
        try await run.emit(.copied(item, eTag: result.eTag))
        if Self.sameETag(result.eTag, item.eTag) { return .eTagMatch }
        let explained = item.eTag.contains("-") || run.options.changesETag
            || (result.serverSideEncryption?.hasPrefix("aws:kms") ?? false)
        if !explained {
            // A server that ignores x-amz-copy-source-if-match may have copied a changed source.
            try await checkSourceUnchanged(item, options: run.options, removing: item.destination)
        }
        try await verifySize(item, options: run.options)
        return .sizeMatch
    }

    /// Throws ``S3Error/sourceChanged(source:expectedETag:actualETag:)`` when the source no
    /// longer has the planned ETag and size, first deleting `removing` (a copy of the wrong data).
    func checkSourceUnchanged(_ item: CopyItem, options: CopyOptions, removing: S3Location?) async throws {
        let actual: String
        do {
            let head = try await client.headObject(item.source, expectedOwner: options.sourceOwner)
            if Self.sameETag(head.eTag, item.eTag) && head.size == item.size { return }
            actual = head.eTag
        } catch let error as S3Error where error.code == "NoSuchKey" {
            actual = "(deleted)"
        }
        if let removing {
            _ = try? await client.deleteObjects([removing.key], in: removing.bucket, expectedOwner: options.destinationOwner)
        }
        throw S3Error.sourceChanged(source: item.source.description, expectedETag: item.eTag, actualETag: actual)
    }

    /// HeadObject on the destination: its size must be the source's.
    func verifySize(_ item: CopyItem, options: CopyOptions) async throws {
        let head = try await client.headObject(item.destination, expectedOwner: options.destinationOwner)
        guard head.size == item.size else {
            throw S3Error.verificationFailed(
                destination: item.destination.description,
                detail: "destination has \(head.size) bytes, source had \(item.size)")
        }
    }

    /// ETags compared without their quotes.
    static func sameETag(_ a: String, _ b: String) -> Bool {
        // As bytes: ETags are ASCII, and String's Character-wise prefix, suffix and comparison
        // (grapheme breaking) cost as much as signing a request (scripts/bench P1).
        var a = a
        var b = b
        return a.withUTF8 { a in b.withUTF8 { b in a.trimmingQuotes.elementsEqual(b.trimmingQuotes) } }
    }
}

// MARK: - Run state

/// The result of one object's copy, for the summary.
enum CopyOutcome: Sendable {
    case verified(CopyItem)
    case failed(CopyItem, S3Error)
}

/// What one worker of a ``S3Copier/copy(_:options:resume:onEvent:)`` run copied.
struct CopyTally: Sendable {
    var verified = 0
    var bytes: Int64 = 0
    /// Failures with the position of their item, so the summary lists them in plan order.
    var failures: [(index: Int, failure: CopyFailure)] = []
}

/// Hands out the positions `0..<count` once each, to any number of workers.
final class CopyQueue: Sendable {
    private let count: Int
    private let taken = Atomic<Int>(0)

    init(count: Int) {
        self.count = count
    }

    /// The next position, or `nil` when all are taken.
    func next() -> Int? {
        let index = taken.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}

/// An error thrown by the caller's event handler, kept apart from S3 errors.
struct EventHandlerError: Error {
    let underlying: any Error
}

/// What every object of one ``S3Copier/copy(_:options:resume:onEvent:)`` run shares.
struct CopyRun: Sendable {
    let options: CopyOptions
    let resume: [S3Location: String]
    let limiter: ConcurrencyLimiter
    let onEvent: @Sendable (CopyEvent) async throws -> Void

    /// Calls the handler; its errors are wrapped so they stop the run.
    func emit(_ event: CopyEvent) async throws {
        do {
            try await onEvent(event)
        } catch {
            throw EventHandlerError(underlying: error)
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes without surrounding double quotes (ETags are quoted).
    fileprivate var trimmingQuotes: Slice<UnsafeBufferPointer<UInt8>> {
        var bytes = self[...]
        if bytes.first == UInt8(ascii: "\"") { bytes = bytes.dropFirst() }
        if bytes.last == UInt8(ascii: "\"") { bytes = bytes.dropLast() }
        return bytes
    }
}
