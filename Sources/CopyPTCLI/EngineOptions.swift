import ArgumentParser
import CopyPTBatch
import CopyPTRecords

extension CopyOptions.Engine: ExpressibleByArgument {}

/// `--engine`, `--batch-role-arn` and `--batch-threshold`: which engine copies a transfer. Shared
/// by the commands that queue transfers (`add`, `transfer`) through `@OptionGroup`.
struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Who copies: auto (S3 Batch Operations for transfers of at least --batch-threshold objects when --batch-role-arn is set and the key mapping allows it), direct (copypt itself) or batch.",
        valueName: "engine"))
    var engine: CopyOptions.Engine = .auto

    @Option(name: .customLong("batch-role-arn"),
            help: ArgumentHelp("The IAM role S3 Batch Operations assumes (needed for batch; `copypt policy` prints its policies).", valueName: "arn"),
            transform: EngineOptions.roleARN)
    var batchRoleARN: String?

    @Option(name: .customLong("batch-threshold"),
            help: ArgumentHelp("The least object count --engine auto hands to S3 Batch Operations.", valueName: "count"))
    var batchThreshold: Int = CopyOptions.defaultBatchThreshold

    init() {}

    func validate() throws {
        guard batchThreshold >= 1 else { throw ValidationError("--batch-threshold must be at least 1.") }
        if engine == .direct, batchRoleARN != nil {
            throw ValidationError("--batch-role-arn is for S3 Batch Operations, which --engine direct never uses; drop one of them.")
        }
    }

    /// Checks that `--engine batch` can copy `from` to `to` with `options`.
    /// - Throws: `ValidationError` saying what stands in the way and what to use instead.
    func check(_ options: CopyOptions, from: S3Prefix, to: S3Prefix) throws {
        guard engine == .batch else { return }
        guard batchRoleARN != nil else {
            throw ValidationError("--engine batch needs --batch-role-arn ARN, the IAM role S3 Batch Operations assumes.")
        }
        if let obstacle = BatchEligibility.obstacle(options: options, from: from, to: to) {
            throw ValidationError("--engine batch cannot copy this transfer: \(obstacle); use --engine auto or direct.")
        }
    }

    /// `options` with the engine settings.
    func applied(to options: CopyOptions) -> CopyOptions {
        var options = options
        options.engine = engine
        options.batchRoleARN = batchRoleARN
        options.batchThreshold = batchThreshold
        return options
    }

    /// An IAM role ARN, `arn:<partition>:iam::<12 digits>:role/<name>`.
    static func roleARN(_ text: String) throws -> String {
        guard BatchEligibility.accountID(ofRole: text) != nil, text.utf8.count <= 2048,
              !text.contains(where: { $0.isWhitespace || $0.isNewline })
        else {
            throw ValidationError("an IAM role ARN looks like arn:aws:iam::111122223333:role/copypt-batch")
        }
        return text
    }
}
