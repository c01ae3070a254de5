import CopyPTHTTP
import CopyPTS3
import Foundation
import Logging
import Synchronization

/// What `copypt copy` does once its arguments are parsed: check them, resolve AWS settings,
/// plan, copy, report, and choose the exit status. Separate from the command so tests run it
/// with their own environment and output.
// @unchecked: the parsed command is a value only read (argument-parser's property wrappers are not marked Sendable).
struct CopyCommandRunner: @unchecked Sendable {
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
        static let interrupted: Int32 = 130
    }

    /// The checked arguments.
    struct Input: Sendable {
        var source: S3Location
        var destination: S3Location
        var configuration: S3CopierConfiguration
        var options: CopyOptions
    }

    /// Runs the copy and returns the exit status (130 when the task is cancelled: Ctrl-C).
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
        let output = command.output

        // --skip-existing: the destination is listed once, beside the source.
        var existingListing: Task<ExistingObjects, any Error>?
        if command.skipExisting && command.recursive {
            existingListing = Task {
                try await ExistingObjects.list(
                    client: copier.client, bucket: input.destination.bucket, prefix: S3Copier.folderPrefix(input.destination.key),
                    expectedOwner: input.options.destinationOwner)
            }
        }
        defer { existingListing?.cancel() }

        var items: [CopyItem]
        // Keys left out because their copy could land outside the destination prefix.
        var skipped: [S3Location] = []
        // Listed while the first items copy (see `S3Copier.firstPageKeys`).
        var rest: Task<(items: [CopyItem], skipped: [S3Location]), any Error>?
        var existing = ExistingObjects()
        do {
            if command.recursive && !command.dryRun {
                let first = try await copier.planPage(
                    source: input.source, destination: input.destination, sourceOwner: input.options.sourceOwner,
                    maxKeys: S3Copier.firstPageKeys)
                items = first.items
                skipped = first.skipped
                if let token = first.nextContinuationToken {
                    rest = Task {
                        try await copier.plan(
                            source: input.source, destination: input.destination, sourceOwner: input.options.sourceOwner, after: token)
                    }
                }
            } else if command.recursive {
                (items, skipped) = try await copier.plan(
                    source: input.source, destination: input.destination, sourceOwner: input.options.sourceOwner, after: nil)
            } else {
                items = try await copier.plan(
                    source: input.source, destination: input.destination, recursive: command.recursive,
                    sourceOwner: input.options.sourceOwner)
            }
            if command.skipExisting {
                if let existingListing {
                    existing = try await existingListing.value
                } else if let item = items.first {
                    existing = try await ExistingObjects.list(
                        client: copier.client, bucket: item.destination.bucket, prefix: item.destination.key,
                        expectedOwner: input.options.destinationOwner)
                }
            }
        } catch {
            rest?.cancel()
            if Task.isCancelled { return interrupted(input, items: [], of: 0, copied: 0, requests: copier.client.requestCount, started: started) }
            context.standardError("copypt copy: \(error)\n")
            let status = Self.status(forPlanning: error)
            report(input, items: [], skipped: [], summary: nil, requests: copier.client.requestCount, started: started, status: status)
            return status
        }
        defer { rest?.cancel() }
        var planned = items.count
        var present = 0
        if command.skipExisting {
            let before = items.count
            items.removeAll { existing.contains($0) }
            present += before - items.count
        }
        if command.dryRun {
            if planned == 0 && skipped.isEmpty { context.standardError(noObjectsMessage(input)) }
            reportSkipped(skipped, input: input)
            if !output.json && !output.quiet {
                for item in items { context.standardOutput("\(item.source) → \(item.destination) (\(ByteCount.text(item.size)))\n") }
                context.standardOutput("would copy \(Self.objects(items.count)) (\(ByteCount.text(Self.bytes(items))))\(Self.presentNote(present))\n")
            }
            let status = skipped.isEmpty ? Status.success : Status.failed
            report(input, items: items, skipped: skipped, summary: nil, present: present, requests: copier.client.requestCount, started: started, status: status)
            return status
        }

        let progress = CopyProgress(
            items: items, listing: rest != nil, context: context, enabled: showsProgress && (!items.isEmpty || rest != nil),
            listsObjects: output.verbose && !output.json)
        let copied = CopyTracker()
        // The rest of the listing, filtered, reaches the display as soon as it is complete
        // (not only once the first page's copies are done), so the total and ETA show early.
        let index = existing
        let restPlanned = rest.map { rest in
            Task { () throws -> (items: [CopyItem], listed: Int, skipped: [S3Location]) in
                let listing = try await rest.value
                var more = listing.items
                more.removeAll { index.contains($0) }
                await progress.add(more)
                return (more, listing.items.count, listing.skipped)
            }
        }
        defer { restPlanned?.cancel() }
        var summary = CopySummary()
        var listingError: (any Error)?
        do {
            // Without a display or -v, events only count the copies (for Ctrl-C's message):
            // no hop to the display's actor per copy.
            let onEvent: @Sendable (CopyEvent) async throws -> Void
            if progress.wantsEvents {
                onEvent = { event in
                    copied.record(event)
                    await progress.record(event)
                }
            } else {
                onEvent = { event in copied.record(event) }
            }
            summary = try await copier.copy(items, options: input.options, onEvent: onEvent)
            if let restPlanned, !Task.isCancelled {
                do {
                    let (more, listed, unsafe) = try await restPlanned.value
                    skipped += unsafe
                    planned += listed
                    present += listed - more.count
                    items += more
                    summary.add(try await copier.copy(more, options: input.options, onEvent: onEvent))
                } catch let error as CancellationError {
                    throw error
                } catch {
                    listingError = error
                }
            }
        } catch {
            // Only cancellation reaches here: the event handler never throws.
            await progress.finish()
            await abortOpenUploads(copied, copier: copier, options: input.options)
            return interrupted(input, items: items, of: await progress.objectTotal, copied: copied.verified, requests: copier.client.requestCount, started: started)
        }
        await progress.finish()
        if Task.isCancelled {
            await abortOpenUploads(copied, copier: copier, options: input.options)
            return interrupted(input, items: items, of: await progress.objectTotal, copied: copied.verified, requests: copier.client.requestCount, started: started)
        }
        for failure in summary.failures {
            context.standardError("copypt copy: \(failure.error)\n")
        }
        await abortOpenUploads(copied, copier: copier, options: input.options)
        reportSkipped(skipped, input: input)
        var status = summary.isComplete ? Status.success : summary.hasPermanentFailure ? Status.failed : Status.transient
        // A skipped key leaves the destination incomplete for good: no rerun copies it.
        if !skipped.isEmpty { status = Status.failed }
        if let listingError {
            // The copies listed so far stand; the rest of the listing failed.
            context.standardError("copypt copy: \(listingError)\n")
            if status != Status.failed { status = Self.status(forPlanning: listingError) }
        }
        if planned == 0 && skipped.isEmpty && listingError == nil { context.standardError(noObjectsMessage(input)) }
        report(input, items: items, skipped: skipped, summary: summary, present: present, requests: copier.client.requestCount, started: started, status: status)
        if !output.json && !output.quiet {
            context.standardOutput(summaryLine(summary, items: items, present: present, started: started) + "\n")
        }
        return status
    }

    /// The last line of a copy: `copied 300 objects (1.2 GiB) in 4.2 s, 285.7 MiB/s`.
    func summaryLine(_ summary: CopySummary, items: [CopyItem], present: Int, started: Date) -> String {
        let elapsed = max(context.now().timeIntervalSince(started), 0)
        let count = summary.failures.isEmpty ? Self.objects(summary.verified) : "\(summary.verified) of \(Self.objects(items.count))"
        var line = "copied \(count) (\(ByteCount.text(summary.bytes))) in \(CopyProgress.duration(elapsed))"
        if elapsed > 0 { line += ", " + CopyProgress.rate(Double(summary.bytes) / elapsed) }
        if !summary.failures.isEmpty { line += "; \(summary.failures.count) failed" }
        if let width = summary.concurrency, width.cuts > 0 {
            line += "; S3 throttled: concurrency cut \(width.cuts)×, \(width.final) at the end (peak \(width.peak))"
        }
        return line + Self.presentNote(present)
    }

    /// Said on Ctrl-C: what was copied; the exit status is 130, as for any command a shell's SIGINT ends.
    /// - Parameter total: the objects known to copy so far (the whole listing, once it is complete).
    func interrupted(_ input: Input, items: [CopyItem], of total: Int, copied: Int, requests: Int, started: Date) -> Int32 {
        let status = Status.interrupted
        let total = max(total, items.count)
        context.standardError(total == 0
            ? "copypt copy: interrupted while listing; nothing was copied\n"
            : "copypt copy: interrupted: \(copied)/\(total) copied; run the same command with --skip-existing to copy the rest\n")
        var summary = CopySummary()
        summary.verified = copied
        report(input, items: items, skipped: [], summary: summary, requests: requests, started: started, status: status)
        return status
    }

    /// After Ctrl-C or transient trouble: aborts the multipart uploads the copy left open. A
    /// plain `copy` never resumes them (the sweep does, from its journal), so they would only
    /// cost storage.
    func abortOpenUploads(_ tracker: CopyTracker, copier: S3Copier, options: CopyOptions) async {
        let uploads = tracker.openUploads
        guard !uploads.isEmpty else { return }
        // A task of its own: the cancelled one would cancel these requests too.
        await Task {
            for (destination, uploadID) in uploads {
                do {
                    try await copier.client.abortMultipartUpload(destination, uploadID: uploadID, expectedOwner: options.destinationOwner)
                } catch {
                    context.standardError("copypt copy: \(error); the incomplete upload \(uploadID) stays until a lifecycle rule removes it\n")
                }
            }
        }.value
    }

    static func objects(_ count: Int) -> String { count == 1 ? "1 object" : "\(count) objects" }

    static func bytes(_ items: [CopyItem]) -> Int64 { items.reduce(0) { $0.addingSaturated($1.size) } }

    static func presentNote(_ present: Int) -> String {
        present == 0 ? "" : "; skipped \(objects(present)) already at the destination"
    }

    /// One line on stderr for each key left out of a recursive copy.
    func reportSkipped(_ skipped: [S3Location], input: Input) {
        let from = S3Location(bucket: input.source.bucket, key: S3Copier.folderPrefix(input.source.key))
        let to = S3Location(bucket: input.destination.bucket, key: S3Copier.folderPrefix(input.destination.key))
        for source in skipped {
            context.standardError(
                "copypt copy: skipped \(source): its path below \(from) has a `.` or `..` segment, so its copy could land outside \(to); "
                    + "rename it in the source to copy it\n")
        }
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
        let adaptive = try CopyConcurrencyArguments.adaptive(fixed: command.concurrency, maximum: command.maxConcurrency, range: 1...1000)
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
        // A prefix copy writes only under the destination prefix, checked before each write.
        let within = command.recursive ? S3Location(bucket: destination.bucket, key: S3Copier.folderPrefix(destination.key)) : nil
        let options = CopyOptions(
            acl: command.acl.rawValue == "none" ? nil : .bucketOwnerFullControl, storageClass: command.storageClass?.rawValue, serverSideEncryption: sse,
            destinationOwner: command.destOwner, sourceOwner: command.sourceOwner, destinationPrefix: within)
        let configuration = S3CopierConfiguration(
            concurrency: command.concurrency ?? adaptive?.start ?? 1, multipartThreshold: threshold, adaptive: adaptive)
        return Input(source: source, destination: destination, configuration: configuration, options: options)
    }

    /// The engine over libcurl, with AWS settings resolved like the AWS CLI.
    func makeCopier(_ input: Input) throws -> S3Copier {
        var logger = Logger(label: "copypt") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = command.output.verbose ? .info : (command.output.quiet ? .error : .warning)
        let curl = try HTTPTimeoutSetting.applied(
            environment, to: CurlTransport.Configuration(maxConcurrentRequests: max(64, input.configuration.maximumInFlight + 8)))
        let aws: AWSConfiguration
        let s3Transport: any HTTPTransport
        if let transport {
            aws = try AWSConfiguration.resolve(environment: environment, profile: command.profile, transport: transport)
            s3Transport = transport
        } else {
            (aws, s3Transport) = try CurlTransports(environment: environment, settings: curl).aws(profile: command.profile)
        }
        let client = S3Client(transport: s3Transport, configuration: aws, logger: logger)
        return S3Copier(client: client, configuration: input.configuration, logger: logger)
    }

    /// Prints the `--json` summary.
    func report(
        _ input: Input, items: [CopyItem], skipped: [S3Location], summary: CopySummary?, present: Int = 0, requests: Int, started: Date, status: Int32
    ) {
        guard command.output.json else { return }
        let report = CopyReport(
            source: input.source.description, destination: input.destination.description, dryRun: command.dryRun,
            objects: items.count, bytes: Self.bytes(items), verified: summary?.verified ?? 0, skippedExisting: present,
            failed: (summary?.failures ?? []).map {
                .init(source: $0.item.source.description, destination: $0.item.destination.description, error: $0.error.description, retryable: $0.error.isRetryable)
            },
            skipped: skipped.map(\.description), concurrency: summary?.concurrency.map(CopyReport.Concurrency.init), requests: requests, seconds: (context.now().timeIntervalSince(started) * 1000).rounded() / 1000, exitStatus: status,
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
