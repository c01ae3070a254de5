import ArgumentParser
import CopyPTRecords

/// The copy options `copypt add` and `copypt transfer` share: how the sweep makes the copies.
/// An option added here appears on both.
struct CopyOptionArguments: ParsableArguments {
    @Option(name: .customLong("dest-owner"),
            help: ArgumentHelp("AWS account id (12 digits) that must own the destination bucket.", valueName: "account"),
            transform: AddArguments.accountID)
    var destOwner: String?

    @Option(name: .customLong("source-owner"),
            help: ArgumentHelp("AWS account id (12 digits) that must own the staging bucket.", valueName: "account"),
            transform: AddArguments.accountID)
    var sourceOwner: String?

    @Option(help: "Canned ACL on the copies.")
    var acl: CopyOptions.ACL = .bucketOwnerFullControl

    @Option(name: .customLong("storage-class"), help: "Storage class of the copies (default: the bucket's default).")
    var storageClass: CopyOptions.StorageClass?

    @Option(help: "Server-side encryption of the copies (default: the bucket's default).")
    var sse: CopyOptions.Encryption?

    @Option(name: .customLong("sse-kms-key-id"),
            help: ArgumentHelp("KMS key id, alias or ARN for --sse aws:kms.", valueName: "id"),
            transform: AddArguments.kmsKeyID)
    var sseKMSKeyID: String?

    @Flag(name: .customLong("delete-staging"), help: "Delete the staging objects once their copies are verified.")
    var deleteStaging = false

    @Option(help: ArgumentHelp("AWS profile to take credentials from (default: the usual AWS credential chain).", valueName: "name"),
            transform: AddArguments.profile)
    var profile: String?

    /// `--engine`, `--batch-role-arn`, `--batch-threshold`.
    @OptionGroup var engine: EngineOptions

    init() {}

    func validate() throws {
        if sseKMSKeyID != nil && sse != .awsKMS {
            throw ValidationError("--sse-kms-key-id needs --sse aws:kms; add that, or drop the key id.")
        }
    }

    /// The options as the record keeps them.
    var copyOptions: CopyOptions {
        engine.applied(to: CopyOptions(
            acl: acl, storageClass: storageClass, sse: sse, sseKMSKeyID: sseKMSKeyID,
            destOwner: destOwner, sourceOwner: sourceOwner, deleteStaging: deleteStaging, profile: profile))
    }
}
