import ArgumentParser
import CopyPTRecords
import CopyPTSweep
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension CopyPTCommand {
    /// `copypt transfer`: submit the Globus transfer into staging and queue the copy, in one step.
    public struct Transfer: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "transfer",
            abstract: "Start the Globus transfer into the staging bucket and queue its server-side copy to the destination.",
            discussion: """
                SOURCE is COLLECTION_UUID:/path/ in a Globus collection (a folder when it ends in /, \
                sent recursively); DESTINATION is s3://BUCKET/prefix/. The files go through \
                --staging s3://STAGING/prefix/, a bucket you own behind the Globus S3 collection \
                --staging-collection, at --globus-path (default /<staging bucket>/<prefix>/). Then \
                the transfer is an ordinary queued record: cron's `copypt sweep` copies it once \
                Globus has delivered. Prints the record's id (the record, with --json).

                The record is written, with a Globus submission_id, before the submission: a run \
                killed at any instant, run again or followed by a sweep, submits the same \
                submission_id again and Globus answers with the one task (Duplicate), so there is \
                never a second task and never none. Globus's own e-mail notifications are off; \
                verify_checksum is on unless --no-verify-checksum.

                Unless --no-check, nothing is submitted until both collections answer \
                endpoint/{id} for the configured Globus identity, the staging one is an S3 \
                collection (when its document says), and both buckets answer HeadBucket as for \
                `copypt add`. A collection that needs your consent is named with the command to \
                give it: `copypt login --collection UUID`.

                --wait sweeps this one transfer until it is done, showing Globus's progress and \
                then the copy's; Ctrl-C (exit 130) leaves it to cron.

                EXIT STATUS: 0 submitted (or done, with --wait), 1 the transfer failed, 2 invalid \
                input, a failed check or a consent/login to give (nothing submitted), 75 Globus or \
                S3 could not be reached (the record waits; run again or let cron submit it), 130 \
                --wait interrupted.
                """
        )

        @Argument(help: ArgumentHelp("The Globus collection and path to send: COLLECTION_UUID:/path/.", valueName: "source"),
                  transform: TransferSourceArgument.parse)
        var source: TransferSourceArgument

        @Argument(help: ArgumentHelp("Destination location to copy to.", valueName: "s3://bucket/prefix/"),
                  transform: AddArguments.location)
        var destination: S3Prefix

        @Option(help: ArgumentHelp("Staging location the Globus transfer writes into (a bucket you own).", valueName: "s3://bucket/prefix/"),
                transform: AddArguments.location)
        var staging: S3Prefix

        @Option(name: .customLong("staging-collection"),
                help: ArgumentHelp("The Globus S3 collection on the staging bucket.", valueName: "uuid"),
                transform: AddArguments.collectionID)
        var stagingCollection: String

        @Option(name: .customLong("globus-path"),
                help: ArgumentHelp("Globus path of the staging prefix in that collection (default: /<staging bucket>/<prefix>/).", valueName: "path"),
                transform: AddArguments.globusPath)
        var globusPath: String?

        @Option(name: .customLong("sync-level"), help: "Globus sync_level: skip files already at staging that match (default: copy all).")
        var syncLevel: TransferSubmission.SyncLevel?

        @Flag(name: .customLong("no-verify-checksum"), help: "Do not have Globus verify checksums after each file (verify_checksum is on by default).")
        var noVerifyChecksum = false

        @Option(help: ArgumentHelp("Globus deadline: a duration from now (e.g. 2d) or an RFC 3339 time.", valueName: "deadline"),
                transform: TransferDeadline.init(parsing:))
        var deadline: TransferDeadline?

        @OptionGroup var copy: CopyOptionArguments

        @Option(help: ArgumentHelp("A short note shown by `copypt status`, also the Globus task's label.", valueName: "text"),
                transform: AddArguments.label)
        var label: String?

        @Flag(name: .customLong("no-check"),
              help: "Submit without checking the collections (endpoint/{id}) and the buckets (HeadBucket).")
        var noCheck = false

        @Flag(help: "Sweep this transfer until it is done, with progress; Ctrl-C leaves it to cron.")
        var wait = false

        @Option(help: ArgumentHelp("With --wait, time between looks (e.g. 10s).", valueName: "duration"))
        var interval = DurationArgument(.seconds(10))

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func validate() throws {
            if staging == destination {
                throw ValidationError("--staging and the destination are the same location (\(staging.url)); the destination must be elsewhere.")
            }
            if staging.overlaps(destination) {
                throw ValidationError("--staging \(staging.url) and the destination \(destination.url) overlap, so the copy would read what it writes; use separate prefixes.")
            }
            guard interval.duration > .zero else { throw ValidationError("--interval must be longer than 0, e.g. --interval 10s.") }
            try copy.engine.check(copy.copyOptions, from: staging, to: destination)
        }

        public func run() async throws {
            try await TransferRunner(command: self, context: CommandContext.current).run()
        }

        /// The record this command asks for, before it has an id and a submission_id.
        func wanted(at now: Date) -> TransferRecord {
            var record = TransferRecord(
                id: "new", label: label, globusTaskID: "", from: staging, to: destination,
                globusPath: globusPath ?? "/\(staging.bucket)/\(staging.prefix)", options: copy.copyOptions,
                state: .submitting, createdAt: now)
            record.submission = TransferSubmission(
                submissionID: "", sourceCollection: source.collection, sourcePath: source.path,
                stagingCollection: stagingCollection, syncLevel: syncLevel, verifyChecksum: !noVerifyChecksum,
                deadline: deadline?.date(from: now), submittedAt: now)
            return record
        }
    }
}
