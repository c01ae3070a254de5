import CopyPTHTTP
import CopyPTS3
import Foundation
import Logging

/// What `copypt copy` does once its arguments are parsed: check them, resolve AWS settings,
/// plan, copy, report, and choose the exit status. Separate from the command so tests run it
/// with their own environment and output.
struct CopyCommandRunner {
    let command: CopyPTCommand.Copy
    let environment: [String: String]
    let output: CopyOutput
    let showsProgress: Bool
    /// Overrides the transport (tests); `nil` makes a ``CurlTransport``.
    var transport: (any HTTPTransport)?

    /// Exit statuses, as documented in `copypt copy --help`.
    enum Status {
        static let success: Int32 = 0
        static let failed: Int32 = 1
        static let usage: Int32 = 2
        static let transient: Int32 = 75
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
        let started = Date()
        let input: Input
        do {
            input = try checkedInput()
        } catch {
            output.err("copypt copy: \(error)\n")
            return Status.usage
        }
        let copier: S3Copier
        do {
            copier = try makeCopier(input)
        } catch {
            output.err("copypt copy: \(error)\n")
            return Status.usage
        }

        let items: [CopyItem]
        do {
            items = try await copier.plan(
                source: input.source, destination: input.destination, recursive: command.recursive,
                sourceOwner: input.options.sourceOwner)
        } catch {
            output.err("copypt copy: \(error)\n")
            let status = (error as? S3Error)?.isRetryable == true ? Status.transient : Status.failed
            report(input, items: [], summary: nil, requests: copier.client.requestCount, started: started, status: status)
            return status
        }
        if items.isEmpty {
            output.err("copypt copy: no objects under \(input.source) (a prefix is read as \(input.source.bucket)/\(S3Copier.folderPrefix(input.source.key)))\n")
        }
        if command.dryRun {
            if !command.json {
                for item in items { output.out("\(item.source) → \(item.destination) (\(CopyByteSize.format(item.size)))\n") }
            }
            report(input, items: items, summary: nil, requests: copier.client.requestCount, started: started, status: Status.success)
            return Status.success
        }

        let progress = CopyProgress(items: items, output: output, enabled: showsProgress && !items.isEmpty)
        let summary: CopySummary
        do {
            summary = try await copier.copy(items, options: input.options) { await progress.record($0) }
        } catch {
            // Only cancellation reaches here: the event handler never throws.
            output.err("copypt copy: \(error)\n")
            return Status.transient
        }
        await progress.finish()
        for failure in summary.failures {
            output.err("copypt copy: \(failure.error)\n")
        }
        let status = summary.isComplete ? Status.success : summary.hasPermanentFailure ? Status.failed : Status.transient
        report(input, items: items, summary: summary, requests: copier.client.requestCount, started: started, status: status)
        if showsProgress, !command.json {
            output.err("\(summary.verified) of \(items.count) objects copied and verified (\(CopyByteSize.format(summary.bytes)))\n")
        }
        return status
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
        for (name, value) in [("--dest-owner", command.destOwner), ("--source-owner", command.sourceOwner)] {
            if let value, value.count != 12 || !value.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw CopyInputError("\(name) must be a 12-digit AWS account id, not \(value)")
            }
        }
        let sse: CopyOptions.ServerSideEncryption?
        switch (command.sse, command.sseKmsKeyId) {
        case (.aes256, .some):
            throw CopyInputError("--sse-kms-key-id needs --sse aws:kms, not AES256")
        case (.aes256, nil): sse = .aes256
        case (.kms, let key): sse = .kms(keyID: key)
        case (nil, let key?): sse = .kms(keyID: key)
        case (nil, nil): sse = nil
        }
        let options = CopyOptions(
            acl: command.acl.acl, storageClass: command.storageClass?.rawValue, serverSideEncryption: sse,
            destinationOwner: command.destOwner, sourceOwner: command.sourceOwner)
        let configuration = S3CopierConfiguration(concurrency: command.concurrency, multipartThreshold: threshold)
        return Input(source: source, destination: destination, configuration: configuration, options: options)
    }

    /// The engine over libcurl, with AWS settings resolved like the AWS CLI.
    func makeCopier(_ input: Input) throws -> S3Copier {
        var logger = Logger(label: "copypt") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = command.verbose ? .info : .warning
        let curl = CurlTransport.Configuration(
            maxConcurrentRequests: max(64, input.configuration.concurrency + 8), caBundlePath: environment["AWS_CA_BUNDLE"])
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
            requests: requests, seconds: (Date().timeIntervalSince(started) * 1000).rounded() / 1000, exitStatus: status,
            planned: command.dryRun ? items.map { .init(source: $0.source.description, destination: $0.destination.description, size: $0.size, eTag: $0.eTag) } : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(report) {
            output.out(String(decoding: data, as: UTF8.self) + "\n")
        }
    }
}

/// A bad argument to `copypt copy`, found before any request.
struct CopyInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
