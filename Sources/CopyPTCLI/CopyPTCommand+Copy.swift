import ArgumentParser
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt copy SRC DST`: a direct server-side copy of one object or a prefix, verified.
    public struct Copy: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy one S3 object or a whole prefix server side, and verify every copy.",
            discussion: """
                The same engine as the sweep: objects up to --multipart-threshold by one CopyObject, \
                larger ones by UploadPartCopy in few large parts. Every copy is conditional on the \
                source ETag seen when listing, so a source that changes is reported, never copied wrong.

                With --recursive, SRC is a folder like `aws s3 cp --recursive`: s3://b/run42 and \
                s3://b/run42/ both copy the keys under run42/ (not run420/), each to DST + its key \
                relative to run42/ (cut as bytes). A key whose path below SRC has a `.` or `..` segment \
                is not copied (its copy could land outside DST): it is named on standard error and \
                the exit status is 1. Without --recursive, SRC is one object; a DST ending in / receives its name.

                AWS settings come from the environment and the shared files as for the AWS CLI \
                (AWS_PROFILE or --profile, AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_MAX_ATTEMPTS, …).

                Concurrency adapts by default: it starts at 32 requests in flight, doubles while \
                throughput grows and then grows by 4 per round trip, up to --max-concurrency \
                (default 512); SlowDown, 503, 429 or a dropped connection cuts it to 70%, and the \
                request is retried after a back-off. Parts of big objects share the same budget. \
                --concurrency N fixes the width instead.

                Output: a summary line on stdout at the end (objects, bytes, time, rate), unless \
                --quiet; with --verbose also one line per object copied (`copy: s3://a/k -> s3://b/k`); \
                on a terminal, a progress line on stderr (rate, ETA), cleared at the end. --json \
                prints one JSON object instead.

                --skip-existing lists the destination once and skips each object already there \
                with the same key, size and ETag (the analogue of `aws s3 sync` and rclone's \
                default check), e.g. to finish a copy that Ctrl-C stopped. Objects copied in parts \
                or encrypted with SSE-KMS get another ETag and are copied again.

                EXIT STATUS
                  0   every object copied and verified
                  1   some object failed permanently (access denied, missing, source changed) or was skipped
                  2   bad arguments or AWS configuration; no S3 request was made
                  75  only transient trouble (network, throttling, 5xx): run again
                  130 interrupted (Ctrl-C): the copies made stand; rerun with --skip-existing
                """
        )

        @Argument(help: "The source: s3://bucket/key, or s3://bucket/prefix with --recursive.")
        var source: String

        @Argument(help: "The destination: s3://bucket/key, or a prefix (s3://bucket/prefix/).")
        var destination: String

        @Flag(name: [.short, .long], help: "Copy every object under the source prefix.")
        var recursive = false

        @Flag(help: "List what would be copied, and copy nothing.")
        var dryRun = false

        @Option(help: "A fixed number of copies in flight (1-1000), in place of adaptive concurrency.")
        var concurrency: Int?

        @Option(help: "The most copies adaptive concurrency may run at once (1-1000; default 512). Not with --concurrency.")
        var maxConcurrency: Int?

        @Option(help: "Largest object copied in one request: bytes or 64MiB, 5GiB (at most 5GiB).")
        var multipartThreshold = "5GiB"

        @Option(help: "Canned ACL of the copies; none for buckets with ACLs disabled.")
        var acl: CopyPTRecords.CopyOptions.ACL = .bucketOwnerFullControl

        @Option(help: "Storage class of the copies (default: S3's, STANDARD).")
        var storageClass: CopyPTRecords.CopyOptions.StorageClass?

        @Option(help: "Server-side encryption of the copies (default: the destination bucket's).")
        var sse: CopyPTRecords.CopyOptions.Encryption?

        @Option(help: "The KMS key id, alias/NAME or ARN for --sse aws:kms (implies it).", transform: AddArguments.kmsKeyID)
        var sseKmsKeyId: String?

        @Option(help: "The 12-digit account id that must own the destination bucket.", transform: AddArguments.accountID)
        var destOwner: String?

        @Option(help: "The 12-digit account id that must own the source bucket.", transform: AddArguments.accountID)
        var sourceOwner: String?

        @Option(help: "The AWS profile to use (else AWS_PROFILE, else default).", transform: AddArguments.profile)
        var profile: String?

        @Flag(help: "Skip objects already at the destination with the same key, size and ETag (one listing of the destination; like aws s3 sync, rclone copy).")
        var skipExisting = false

        @OptionGroup var output: OutputOptions

        public init() {}

        /// Checks the arguments together (locations, sizes, encryption); no request is made.
        public func validate() throws {
            do {
                _ = try CopyCommandRunner(command: self, context: .current).checkedInput()
            } catch let error as CopyInputError {
                throw ValidationError(error.description)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        public func run() async throws {
            let context = CommandContext.current
            let terminal = isatty(2) == 1 && !(context.environment["TERM"] ?? "dumb").isEmpty
                && context.environment["TERM"] != "dumb"
            let runner = CopyCommandRunner(command: self, context: context, showsProgress: terminal && !output.json && !output.quiet)
            let status = await Interruption.cancellingOnSIGINT { await runner.run() }
            if status != ExitStatus.success.rawValue { throw ExitCode(status) }
        }
    }
}
