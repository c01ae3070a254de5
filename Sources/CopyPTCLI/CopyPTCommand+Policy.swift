import ArgumentParser
import CopyPTHTTP
import CopyPTPolicy
import CopyPTRecords
import CopyPTS3
import Foundation

extension CopyPTCommand {
    /// `copypt policy [ID | --from … --to …]`: the policies the two accounts apply for copypt.
    public struct Policy: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Print the bucket, KMS key and identity policies copypt's principal needs for a transfer.",
            discussion: """
                Each document is printed with a one-line heading saying who adds it where: the \
                statements the destination account adds to its bucket policy (s3:PutObject and the \
                requests copies make on the destination prefix; s3:PutObjectAcl only with an ACL, \
                conditioned on bucket-owner-full-control; s3:PutObjectTagging only with --tags), \
                the KMS key policy statements for --sse aws:kms and for a staging KMS key, and the \
                identity policy for copypt's principal in your own account (read staging, write the \
                destination, nothing else). The principal is the one STS names for the profile \
                (for an assumed role, its role ARN), or --principal.

                EXIT STATUS
                  0   printed
                  2   usage or configuration error (unknown ID, no principal, SSE-KMS without a key ARN)
                """
        )

        @OptionGroup var transfer: TransferArguments

        @Flag(help: "The staging objects carry tags, which copies keep (adds s3:GetObjectTagging and s3:PutObjectTagging).")
        var tags = false

        @Option(help: ArgumentHelp("The KMS key ARN the staging objects are encrypted with (adds kms:Decrypt).", valueName: "arn"))
        var stagingKmsKey: String?

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func validate() throws {
            if let stagingKmsKey {
                do { _ = try KMSKeyARN(parsing: stagingKmsKey) } catch { throw ValidationError("--staging-kms-key: \(error)") }
            }
            if let principal = transfer.principal {
                do { _ = try PolicyPrincipal(callerARN: principal) } catch { throw ValidationError("--principal: \(error)") }
            }
        }

        public func run() async throws {
            let context = CommandContext.current
            do {
                let record = try transfer.resolve(global, context)
                let principal = try await principal(record, context)
                let input = PolicyInput(
                    principal: principal, staging: record.from, destination: record.to, options: record.options, copiesTags: tags,
                    stagingKMSKey: try stagingKmsKey.map { try KMSKeyARN(parsing: $0) })
                PolicyPrinter(json: global.json, context: context).print(try PolicyRenderer(input: input).documents(), principal: principal)
            } catch {
                context.printError("copypt policy: \(error)")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }

        /// `--principal`, else the role or user STS names for the transfer's profile.
        func principal(_ record: TransferRecord, _ context: CommandContext) async throws -> PolicyPrincipal {
            if let arn = transfer.principal { return try PolicyPrincipal(callerARN: arn) }
            let aws = try CurlTransports(environment: context.environment).aws(profile: record.options.profile, now: context.now)
            do {
                let identity = try await AWSCallerIdentity.fetch(configuration: aws.configuration, transport: aws.transport, now: context.now)
                return try PolicyPrincipal(callerARN: identity.arn)
            } catch let error as CallerIdentityError {
                throw PolicyPrincipalLookupError(detail: error.description)
            }
        }
    }
}

/// STS could not say who copypt is.
struct PolicyPrincipalLookupError: Error, CustomStringConvertible {
    var detail: String
    var description: String { "cannot find copypt's principal (\(detail)); give it with --principal ARN" }
}
