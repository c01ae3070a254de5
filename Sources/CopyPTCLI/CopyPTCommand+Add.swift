import ArgumentParser
import CopyPTNotify
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt add` / `copypt-add`: queue a transfer for the sweep.
    public struct Add: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Queue a transfer: when the Globus task has succeeded, copy what it delivered from --from to --to.",
            discussion: """
                Prints the new transfer's id (or the record, with --json). Adding the same transfer \
                again prints the existing id. Everything is checked before anything is written: on \
                invalid input copypt-add prints one line saying what is wrong and exits 2.

                --from is the staging prefix the Globus task writes into (a bucket you own); --to \
                is the destination prefix, usually in another AWS account's bucket. A prefix \
                without a trailing slash gets one. --globus-path is where --from appears in the \
                Globus collection; it defaults to /<staging bucket>/<prefix>/, the layout of an \
                S3 collection rooted at the top of the bucket.

                Unless --no-check, add first checks, without writing anything, that both buckets \
                exist and answer HeadBucket for copypt's AWS identity (and --profile, --dest-owner, \
                --source-owner), and that the Globus task is visible to the configured Globus \
                identity (GET task/{id}); each problem is one line on stderr. Use --no-check offline.

                EXIT STATUS: 0 queued (or already queued), 2 invalid input, a failed check or \
                unusable state dir (nothing written), 75 a check could not reach S3 or Globus (try again).
                """
        )

        @Option(help: ArgumentHelp("The Globus task that writes into the staging bucket.", valueName: "uuid"),
                transform: AddArguments.taskID)
        var task: String

        @Option(help: ArgumentHelp("Staging location the Globus task writes into.", valueName: "s3://bucket/prefix/"),
                transform: AddArguments.location)
        var from: S3Prefix

        @Option(help: ArgumentHelp("Destination location to copy to.", valueName: "s3://bucket/prefix/"),
                transform: AddArguments.location)
        var to: S3Prefix

        @Option(name: .customLong("globus-path"),
                help: ArgumentHelp("Globus path of the staging prefix (default: /<staging bucket>/<prefix>/).", valueName: "path"),
                transform: AddArguments.globusPath)
        var globusPath: String?

        @OptionGroup var copy: CopyOptionArguments

        @Option(help: ArgumentHelp("A short note shown by `copypt status`.", valueName: "text"),
                transform: AddArguments.label)
        var label: String?

        @Flag(name: .customLong("no-check"),
              help: "Write the record without checking the buckets (HeadBucket) and the Globus task (task/{id}): for offline use.")
        var noCheck = false

        @Option(name: .customLong("notify-url"),
                help: ArgumentHelp("This transfer's webhook for notifications (a JSON POST with `text`), instead of the sweep's --notify-url.", valueName: "url"))
        var notifyURL: String?

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func validate() throws {
            if from == to {
                throw ValidationError("--from and --to are the same location (\(from.url)); the destination must be elsewhere.")
            }
            if let notifyURL {
                do { _ = try NotifyURL(notifyURL, setting: "--notify-url") } catch { throw ValidationError("\(error)") }
            }
            if from.overlaps(to) {
                throw ValidationError("--from \(from.url) and --to \(to.url) overlap, so the copy would read what it writes; use separate prefixes.")
            }
            try copy.engine.check(copy.copyOptions, from: from, to: to)
        }

        public func run() async throws {
            let context = CommandContext.current
            let logger = global.makeLogger(context)
            let store = try global.store(context)
            let now = context.now()
            var wanted = TransferRecord(
                id: "new", label: label, globusTaskID: task, from: from, to: to,
                globusPath: globusPath ?? "/\(from.bucket)/\(from.prefix)",
                options: copy.copyOptions,
                createdAt: now)
            wanted.notifications = notifyURL.map { NotificationState(url: $0) }
            if !noCheck {
                let problems = await AddChecks(environment: context.environment, logger: logger).problems(wanted)
                if !problems.isEmpty {
                    let invoked = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent }
                    let name = invoked == "copypt-add" ? "copypt-add" : "copypt add"
                    for problem in problems { context.printError("\(name): \(problem)") }
                    let transient = problems.allSatisfy(\.transient)
                    throw ExitCode(transient ? ExitStatus.temporaryFailure.rawValue : ExitStatus.usage.rawValue)
                }
            }

            let record: TransferRecord = try store.withCreationLock {
                let listing = try store.loadAll()
                for problem in listing.problems { logger.warning("\(problem)") }
                if let existing = listing.records.first(where: { $0.state != .cancelled && $0.isSameTransfer(as: wanted) }) {
                    guard existing.hasSameRequest(as: wanted) else {
                        throw CLIError.conflictingTransfer(existingID: existing.id, task: task)
                    }
                    logger.debug("already queued", metadata: ["id": "\(existing.id)"])
                    return existing
                }
                return try Self.createWithFreshID(wanted, in: store, at: now)
            }
            if global.json {
                context.standardOutput(String(decoding: try RecordCoding.encode(record.redactingSecrets), as: UTF8.self))
            } else {
                context.print(record.id)
            }
        }

        /// Creates `record` under a new random id, drawing again on the rare clash.
        static func createWithFreshID(_ record: TransferRecord, in store: RecordStore, at now: Date) throws -> TransferRecord {
            var generator = SystemRandomNumberGenerator()
            var record = record
            for attempt in 1...20 {
                record.id = RecordID.make(at: now, using: &generator)
                do {
                    try store.create(record)
                    return record
                } catch RecordError.alreadyExists where attempt < 20 {
                    continue
                }
            }
            preconditionFailure("unreachable: the last attempt rethrows")
        }
    }
}

extension TransferRecord {
    /// Same task, source and destination: the same transfer, whatever its options.
    func isSameTransfer(as other: TransferRecord) -> Bool {
        globusTaskID == other.globusTaskID && from == other.from && to == other.to
    }

    /// Same transfer asked for in exactly the same way (what makes a re-add a no-op).
    func hasSameRequest(as other: TransferRecord) -> Bool {
        isSameTransfer(as: other) && globusPath == other.globusPath && options == other.options && label == other.label
    }
}
