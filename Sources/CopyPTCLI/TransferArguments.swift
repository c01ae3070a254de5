import ArgumentParser
import CopyPTRecords
import Foundation

/// What `doctor` and `policy` look at: a transfer record by id, or the locations and copy
/// options `copypt add` would be given.
struct TransferArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("A transfer record (its locations and options are used).", valueName: "id"))
    var id: String?

    @Option(help: ArgumentHelp("The staging location, without ID: s3://STAGING/prefix/.", valueName: "s3-url"), transform: AddArguments.location)
    var from: S3Prefix?

    @Option(help: ArgumentHelp("The destination location, without ID: s3://DEST/prefix/.", valueName: "s3-url"), transform: AddArguments.location)
    var to: S3Prefix?

    @Option(help: "Canned ACL of the copies (default bucket-owner-full-control); none for buckets with ACLs disabled.")
    var acl: CopyOptions.ACL?

    @Option(help: "Storage class of the copies.")
    var storageClass: CopyOptions.StorageClass?

    @Option(help: "Server-side encryption of the copies.")
    var sse: CopyOptions.Encryption?

    @Option(help: "The KMS key ARN for --sse aws:kms (implies it).", transform: AddArguments.kmsKeyID)
    var sseKmsKeyId: String?

    @Option(help: "The 12-digit account id that must own the destination bucket.", transform: AddArguments.accountID)
    var destOwner: String?

    @Option(help: "The 12-digit account id that must own the staging bucket.", transform: AddArguments.accountID)
    var sourceOwner: String?

    @Flag(help: "The staging objects will be deleted once copied (needs s3:DeleteObject).")
    var deleteStaging = false

    @Option(help: "The AWS profile copypt uses (else AWS_PROFILE, else default).", transform: AddArguments.profile)
    var profile: String?

    @Option(name: .customLong("batch-role-arn"),
            help: ArgumentHelp("The IAM role S3 Batch Operations assumes: also print its trust and permissions policies.", valueName: "arn"),
            transform: EngineOptions.roleARN)
    var batchRoleArn: String?

    @Option(help: ArgumentHelp("The ARN policies must name for copypt (default: from STS GetCallerIdentity).", valueName: "arn"))
    var principal: String?

    /// The options given on the command line, when any.
    var givesCopyOptions: Bool {
        acl != nil || storageClass != nil || sse != nil || sseKmsKeyId != nil || destOwner != nil || sourceOwner != nil
            || deleteStaging || profile != nil || batchRoleArn != nil
    }

    func validate() throws {
        if id != nil {
            if from != nil || to != nil || givesCopyOptions {
                throw ValidationError("With a transfer ID, the locations and copy options come from its record; leave out --from, --to and the copy options (or give --from and --to without an ID).")
            }
        } else if from == nil || to == nil {
            throw ValidationError("Give a transfer ID (see `copypt status`), or both --from s3://STAGING/prefix/ and --to s3://DEST/prefix/.")
        }
        if sse == .aes256 && sseKmsKeyId != nil {
            throw ValidationError("--sse-kms-key-id goes with --sse aws:kms, not --sse AES256.")
        }
    }

    /// The transfer to look at: the record's, or one made of the arguments.
    /// - Throws: ``CLIError`` when the record cannot be read.
    func resolve(_ global: GlobalOptions, _ context: CommandContext) throws -> TransferRecord {
        if let id {
            do {
                return try global.store(context).load(id)
            } catch let error as RecordError {
                throw CLIError.record(error)
            }
        }
        guard let from, let to else { preconditionFailure("validate() requires --from and --to without an ID") }
        var options = CopyOptions(
            acl: acl ?? .bucketOwnerFullControl, storageClass: storageClass,
            sse: sseKmsKeyId != nil ? .awsKMS : sse, sseKMSKeyID: sseKmsKeyId,
            destOwner: destOwner, sourceOwner: sourceOwner, deleteStaging: deleteStaging, profile: profile)
        options.batchRoleARN = batchRoleArn
        return TransferRecord(
            id: "command-line", globusTaskID: "", from: from, to: to, globusPath: "/\(from.bucket)/\(from.prefix)",
            options: options, createdAt: context.now())
    }
}
