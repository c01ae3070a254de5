import CopyPTHTTP
import CopyPTS3
import Foundation
import Logging

/// What `copypt copy` does once its arguments are parsed: check them, resolve AWS settings,
/// plan, copy, report, and choose the exit status. Separate from the command so tests run it
/// with their own environment and output.
struct CopyCommandRunner {
    let command: CopyPTCommand.Copy
    let context: CommandContext
    var showsProgress = false
    /// Overrides the transport (tests); `nil` makes a ``CurlTransport``.
    var transport: (any HTTPTransport)?

    var environment: [String: String] { context.environment }

    /// Exit statuses, as documented in `copypt copy --help`.
    enum Status {
        static let success = ExitStatus.success.rawValue
        static let failed = ExitStatus.failure.rawValue
        static let usage = ExitStatus.usage.rawValue
        static let transient = ExitStatus.temporaryFailure.rawValue
    }

    /// The checked arguments.
    struct Input: Sendable {
        var source: S3Location
        var destination: S3Location
        var configuration: S3CopierConfiguration
        var options: CopyOptions
    }

    /// Runs the copy and returns the exit status.
    func run() async -> Int32 {
        let started = context.now()
        let input: Input
        do {
            input = try checkedInput()
        } catch {
            context.standardError("copypt copy: \(error)\n")
            return Status.usage
        }
        let copier: S3Copier
        do {
            copier = try makeCopier(input)
        } catch {
            context.standardError("copypt copy: \(error)\n")
            return Status.usage
        }

        var items: [CopyItem]
        // Listed while the first items copy (see `S3Copier.firstPageKeys`).
        var rest: Task<[CopyItem], any Error>?
        do {
            if command.recursive && !command.dryRun {
                let first = try await copier.planPage(
                    source: input.source, destination: input.destination, sourceOwner: input.options.sourceOwner,
                    maxKeys: S3Copier.firstPageKeys)
                items = first.items
                if let token = first.nextContinuationToken {
                    rest = Task {
                        try await copier.plan(
                            source: input.source, destination: input.destination, sourceOwner: input.options.sourceOwner, after: token)
                    }
                }
            } else {
                items = try await copier.plan(
                    source: input.source, destination: input.destination, recursive: command.recursive,
                    sourceOwner: input.options.sourceOwner)
            }
        } catch {
            context.standardError("copypt copy: \(error)\n")
            let status = Self.status(forPlanning: error)
            report(input, items: [], summary: nil, requests: copier.client.requestCount, started: started, status: status)
            return status
        }
        defer { rest?.cancel() }
        if command.dryRun {
            if items.isEmpty { context.standardError(noObjectsMessage(input)) }
            if !command.json {
                for item in items { context.standardOutput("\(item.source) → \(item.destination) (\(ByteCount.text(item.size)))\n") }
            }
            report(input, items: items, summary: nil, requests: copier.client.requestCount, started: started, status: Status.success)
            return Status.success
        }

        let progress = CopyProgress(items: items, context: context, enabled: showsProgress && (!items.isEmpty || rest != nil))
        var summary = CopySummary()
        var listingError: (any Error)?
        do {
            // A hidden display needs no events: spare each copy two hops to its actor.
            let onEvent: @Sendable (CopyEvent) async throws -> Void
            if progress.enabled {
                onEvent = { await progress.record($0) }
            } else {
                onEvent = { _ in }
            }
            summary = try await copier.copy(items, options: input.options, onEvent: onEvent)
            if let rest {
                do {
                    let more = try await rest.value
                    items += more
                    await progress.add(more)
                    summary.add(try await copier.copy(more, options: input.options, onEvent: onEvent))
                } catch let error as CancellationError {
                    throw error
                } catch {
                    listingError = error
                }
            }
        } catch {
            // Only cancellation reaches here: the event handler never throws.
            context.standardError("copypt copy: \(error)\n")
            return Status.transient
        }
        await progress.finish()
        for failure in summary.failures {
            context.standardError("copypt copy: \(failure.error)\n")
        }
        var status = summary.isComplete ? Status.success : summary.hasPermanentFailure ? Status.failed : Status.transient
        if let listingError {
            // The copies listed so far stand; the rest of the listing failed.
            context.standardError("copypt copy: \(listingError)\n")
            if status != Status.failed { status = Self.status(forPlanning: listingError) }
        }
        if items.isEmpty && listingError == nil { context.standardError(noObjectsMessage(input)) }
        report(input, items: items, summary: summary, requests: copier.client.requestCount, started: started, status: status)
        if showsProgress, !command.json {
            context.standardError("\(summary.verified) of \(items.count) objects copied and verified (\(ByteCount.text(summary.bytes)))\n")
        }
        return status
    }

    /// Said when a recursive source has nothing under it.
    func noObjectsMessage(_ input: Input) -> String {
        "copypt copy: no objects under \(input.source) (a prefix is read as \(input.source.bucket)/\(S3Copier.folderPrefix(input.source.key)))\n"
    }

    /// The exit status for an error from listing or HeadObject.
    static func status(forPlanning error: any Error) -> Int32 {
        let s3Error = error as? S3Error
        return s3Error?.isRetryable == true ? Status.transient : s3Error?.isConfigurationProblem == true ? Status.usage : Status.failed
    }

    // MARK: - Steps

    /// The arguments checked, before any request: locations, sizes, owners, encryption.
    func checkedInput() throws -> Input {
        let source = try S3Location(parsing: command.source)
        let destination = try S3Location(parsing: command.destination)
        guard command.recursive || !source.key.isEmpty, !source.key.hasSuffix("/") || command.recursive else {
            throw CopyInputError("the source \(command.source) is a prefix: add --recursive, or name one object")
        }
        guard (1...1000).contains(command.concurrency) else {
            throw CopyInputError("--concurrency must be between 1 and 1000, not \(command.concurrency)")
        }
        guard let threshold = CopyByteSize.parse(command.multipartThreshold) else {
            throw CopyInputError("--multipart-threshold \(command.multipartThreshold) is not a size: write bytes, or e.g. 64MiB, 5GiB")
        }
        guard threshold <= S3CopierConfiguration.maximumSingleCopySize else {
            throw CopyInputError("--multipart-threshold may be at most 5GiB, the largest CopyObject S3 accepts")
        }
        let sse: CopyOptions.ServerSideEncryption?
        switch (command.sse?.rawValue, command.sseKmsKeyId) {
        case ("AES256", .some):
            throw CopyInputError("--sse-kms-key-id needs --sse aws:kms, not AES256")
        case ("AES256", nil): sse = .aes256
        case (nil, nil): sse = nil
        case (_, let key): sse = .kms(keyID: key)
        }
        let options = CopyOptions(
            acl: command.acl.rawValue == "none" ? nil : .bucketOwnerFullControl, storageClass: command.storageClass?.rawValue, serverSideEncryption: sse,
            destinationOwner: command.destOwner, sourceOwner: command.sourceOwner)
        let configuration = S3CopierConfiguration(concurrency: command.concurrency, multipartThreshold: threshold)
        return Input(source: source, destination: destination, configuration: configuration, options: options)
    }

    /// The engine over libcurl, with AWS settings resolved like the AWS CLI.
    func makeCopier(_ input: Input) throws -> S3Copier {
        var logger = Logger(label: "copypt") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = command.verbose ? .info : .warning
        let curl = try HTTPTimeoutSetting.applied(environment, to: CurlTransport.Configuration(
            maxConcurrentRequests: max(64, input.configuration.concurrency + 8), caBundlePath: environment["AWS_CA_BUNDLE"]))
        let base = try transport ?? CurlTransport(configuration: curl)
        let aws = try AWSConfiguration.resolve(environment: environment, profile: command.profile, transport: base)
        var s3Transport = base
        if transport == nil, let bundle = aws.caBundle, bundle != environment["AWS_CA_BUNDLE"] {
            var withBundle = curl
            withBundle.caBundlePath = bundle
            s3Transport = try CurlTransport(configuration: withBundle)
        }
        let client = S3Client(transport: s3Transport, configuration: aws, logger: logger)
        return S3Copier(client: client, configuration: input.configuration, logger: logger)
    }

    /// Prints the `--json` summary.
    func report(_ input: Input, items: [CopyItem], summary: CopySummary?, requests: Int, started: Date, status: Int32) {
        guard command.json else { return }
        let report = CopyReport(
            source: input.source.description, destination: input.destination.description, dryRun: command.dryRun,
            objects: items.count, bytes: items.reduce(0) { $0 + $1.size }, verified: summary?.verified ?? 0,
            failed: (summary?.failures ?? []).map {
                .init(source: $0.item.source.description, destination: $0.item.destination.description, error: $0.error.description, retryable: $0.error.isRetryable)
            },
            requests: requests, seconds: (context.now().timeIntervalSince(started) * 1000).rounded() / 1000, exitStatus: status,
            planned: command.dryRun ? items.map { .init(source: $0.source.description, destination: $0.destination.description, size: $0.size, eTag: $0.eTag) } : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(report) {
            context.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
        }
    }
}

/// A bad argument to `copypt copy`, found before any request.
struct CopyInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
