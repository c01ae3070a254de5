import ArgumentParser
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
                relative to run42/. Without it, SRC is one object; a DST ending in / receives its name.

                AWS settings come from the environment and the shared files as for the AWS CLI \
                (AWS_PROFILE or --profile, AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_MAX_ATTEMPTS, …).

                EXIT STATUS
                  0   every object copied and verified
                  1   some object failed permanently (access denied, missing, source changed)
                  2   bad arguments or AWS configuration; no S3 request was made
                  75  only transient trouble (network, throttling, 5xx): run again
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

        @Option(help: "Copies in flight at once (1-1000).")
        var concurrency = 16

        @Option(help: "Largest object copied in one request: bytes or 64MiB, 5GiB (at most 5GiB).")
        var multipartThreshold = "5GiB"

        @Option(help: "Canned ACL of the copies.")
        var acl: CopyACLChoice = .bucketOwnerFullControl

        @Option(help: "Storage class of the copies (default: S3's, STANDARD).")
        var storageClass: CopyStorageClass?

        @Option(help: "Server-side encryption of the copies (default: the destination bucket's).")
        var sse: CopySSEChoice?

        @Option(help: "The KMS key id or ARN for --sse aws:kms.")
        var sseKmsKeyId: String?

        @Option(help: "The 12-digit account id that must own the destination bucket.")
        var destOwner: String?

        @Option(help: "The 12-digit account id that must own the source bucket.")
        var sourceOwner: String?

        @Option(help: "The AWS profile to use (else AWS_PROFILE, else default).")
        var profile: String?

        @Flag(help: "Print a JSON summary on standard output.")
        var json = false

        @Flag(name: [.short, .long], help: "Log each retry and failure on standard error.")
        var verbose = false

        public init() {}

        public func run() async throws {
            let runner = CopyCommandRunner(
                command: self, environment: ProcessInfo.processInfo.environment, output: .standard,
                showsProgress: isatty(2) == 1 && !json)
            let status = await runner.run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
