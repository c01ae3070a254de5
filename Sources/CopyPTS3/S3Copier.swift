import Logging

/// How the copy engine runs: concurrency, multipart threshold and part limits.
public struct S3CopierConfiguration: Sendable, Hashable {
    /// Copies (CopyObject or UploadPartCopy requests) in flight at once; default 16.
    public var concurrency: Int
    /// Objects up to this size are copied with one CopyObject, larger ones in parts;
    /// default and maximum 5 GiB (CopyObject's limit).
    public var multipartThreshold: Int64
    /// The multipart limits; default S3's (5 MiB–5 GiB parts, at most 10,000).
    public var partLimits: MultipartLimits

    /// The largest object CopyObject accepts, 5 GiB.
    public static let maximumSingleCopySize: Int64 = 5 * PartPlan.gibibyte

    /// Creates a configuration.
    /// - Parameters:
    ///   - concurrency: copies in flight at once, default 16.
    ///   - multipartThreshold: the largest single-request copy, default 5 GiB (values above are capped).
    ///   - partLimits: part size and count limits, default ``MultipartLimits/s3``.
    public init(concurrency: Int = 16, multipartThreshold: Int64 = maximumSingleCopySize, partLimits: MultipartLimits = .s3) {
        self.concurrency = max(concurrency, 1)
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

    /// Creates an engine.
    /// - Parameters:
    ///   - client: the S3 client.
    ///   - configuration: concurrency, multipart threshold, part limits; default ``S3CopierConfiguration/init(concurrency:multipartThreshold:partLimits:)``.
    ///   - logger: progress is logged at debug, retries and resumes at info.
    public init(client: S3Client, configuration: S3CopierConfiguration = .init(), logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Copies `items`, at most ``S3CopierConfiguration/concurrency`` requests at a time.
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
        let limiter = ConcurrencyLimiter(limit: configuration.concurrency)
        let run = CopyRun(options: options, resume: resume, limiter: limiter, onEvent: onEvent)
        var summary = CopySummary()
        do {
            // Each copy is mostly waiting on the transport: run the copies on its I/O thread
            // (when it has one), which spares two thread switches per request.
            try await withTaskExecutorPreference(client.transport.taskExecutor) {
            try await withThrowingTaskGroup(of: CopyOutcome.self) { group in
                var next = items.startIndex
                func addNext() {
                    guard next < items.endIndex else { return }
                    let item = items[next]
                    next += 1
                    group.addTask { try await copyOne(item, run: run) }
                }
                for _ in 0..<configuration.concurrency { addNext() }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .verified(let item):
                        summary.verified += 1
                        summary.bytes += item.size
                    case .failed(let item, let error):
                        summary.failures.append(CopyFailure(item: item, error: error))
                    }
                    addNext()
                }
            }
            }
        } catch let error as EventHandlerError {
            throw error.underlying
        }
        summary.requests = client.requestCount - startRequests
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
        let result = try await run.limiter.run { try await client.copyObject(item, options: run.options) }
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
        a.trimmingQuotes == b.trimmingQuotes
    }
}

// MARK: - Run state

/// The result of one object's copy, for the summary.
enum CopyOutcome: Sendable {
    case verified(CopyItem)
    case failed(CopyItem, S3Error)
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

extension String {
    /// The string without surrounding double quotes (ETags are quoted).
    var trimmingQuotes: Substring {
        var text = Substring(self)
        if text.hasPrefix("\"") { text = text.dropFirst() }
        if text.hasSuffix("\"") { text = text.dropLast() }
        return text
    }
}
