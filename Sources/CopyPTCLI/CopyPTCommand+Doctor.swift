import ArgumentParser
import CopyPTDoctor
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt doctor [ID | --from … --to …]`: what is missing across the two accounts and Globus.
    public struct Doctor: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check, before the first sweep, that copypt can read staging, write the destination and see the Globus task.",
            discussion: """
                One line per check: ✓ passed, ✗ failed (with what to do), – skipped (with why). In \
                order: AWS credentials and identity (STS; for an assumed role, the role ARN policies \
                must name); the staging bucket (HeadBucket, expected owner), its listing, one object \
                (HeadObject; tags; SSE-KMS); the destination bucket (region, expected owner, KMS key \
                region); whether copypt may write there; and, for a transfer ID, Globus (login, the \
                task, where its files landed).

                The write check writes nothing by default: it sends a CopyObject whose \
                x-amz-copy-source-if-match cannot match, which S3 answers 403 when the write is \
                denied and 412 when it is allowed as far as S3 checks before preconditions. \
                --write-probe copies one small staging object to <to>.copypt-doctor-probe-<random> \
                with exactly the transfer's options and deletes it again; it tells a missing \
                s3:PutObject, s3:PutObjectAcl, an ACL-less bucket, KMS and owner problems apart. \
                After the checks, the policy statements that are missing are printed \
                (see `copypt policy`).

                EXIT STATUS
                  0   every check passed (or was skipped)
                  1   some check failed
                  2   usage or configuration error (unknown ID, no credentials, Globus login)
                """
        )

        @OptionGroup var transfer: TransferArguments

        @Flag(help: "Write (and delete) one probe object in the destination, with the transfer's options.")
        var writeProbe = false

        @Flag(name: .customLong("no-globus"), help: "Skip the Globus checks.")
        var noGlobus = false

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func run() async throws {
            let context = CommandContext.current
            let record: TransferRecord
            do {
                record = try transfer.resolve(global, context)
            } catch {
                context.printError("copypt doctor: \(error)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            var logger = global.makeLogger(context)
            logger.logLevel = global.verbose ? .debug : .error
            let runner = DoctorRunner(context: context, logger: logger)
            let report = await runner.run(
                record: record, fromRecord: transfer.id != nil, principal: transfer.principal,
                writeProbe: writeProbe, globus: !noGlobus)
            DoctorPrinter(json: global.json, context: context).print(report)
            if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
        }
    }
}
