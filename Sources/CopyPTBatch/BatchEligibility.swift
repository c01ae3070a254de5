import CopyPTRecords

/// Whether a transfer's copy can be handed to S3 Batch Operations, and with which
/// `TargetKeyPrefix`.
///
/// `S3PutObjectCopy` writes each object to `TargetKeyPrefix + "/" + the whole source key`, or to
/// the source key itself without a prefix (S3 Control API reference, S3CopyObjectOperation
/// `TargetKeyPrefix`; its "Folder1" example, and boto/boto3#3420 where `Folder1/x` with prefix
/// `Folder2` lands at `Folder2/Folder1/x`). copypt maps `<staging prefix><rest>` to
/// `<destination prefix><rest>`, so the job can make that copy only when the destination prefix
/// is the staging prefix itself, or `<P>/` followed by it:
/// `s3://stg/run42/` → `s3://dst/run42/` (no prefix) or `s3://dst/incoming/run42/` (`incoming`),
/// never `s3://stg/run42/` → `s3://dst/other/`.
public enum BatchEligibility {
    /// The `TargetKeyPrefix` that maps `from` onto `to`: `.some(nil)` for none, `nil` when no
    /// prefix can.
    public static func targetKeyPrefix(from: S3Prefix, to: S3Prefix) -> String?? {
        // Bytes, not Strings: S3 keys compare by bytes, Swift Strings under Unicode equivalence.
        let target = Array(to.prefix.utf8), source = Array(from.prefix.utf8)
        guard target.count >= source.count, target.suffix(source.count).elementsEqual(source) else { return nil }
        let head = String(decoding: target.prefix(target.count - source.count), as: UTF8.self)
        if head.isEmpty { return .some(nil) }
        // `<P>/`: P must be non-empty, and a prefix ending in `/` would make `P//key`.
        guard head.hasSuffix("/"), head.utf8.count >= 2, !head.dropLast().hasSuffix("/") else { return nil }
        return .some(String(head.dropLast()))
    }

    /// Why the record's copy cannot go to Batch Operations, one line, or `nil` when it can.
    /// - Parameters:
    ///   - options: the copy options (role, storage class, encryption).
    ///   - from: the staging prefix.
    ///   - to: the destination prefix.
    public static func obstacle(options: CopyOptions, from: S3Prefix, to: S3Prefix) -> String? {
        guard let role = options.batchRoleARN else { return "no --batch-role-arn is set" }
        if accountID(ofRole: role) == nil { return "--batch-role-arn \(role) is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)" }
        if targetKeyPrefix(from: from, to: to) == nil {
            return "Batch Operations writes <TargetKeyPrefix>/<whole staging key>, and no prefix maps \(from.url) onto \(to.url) "
                + "(the destination must be s3://\(to.bucket)/\(from.prefix) or s3://\(to.bucket)/<P>/\(from.prefix))"
        }
        if options.storageClass == .reducedRedundancy { return "Batch Operations cannot write storage class REDUCED_REDUNDANCY" }
        if options.sse == .aes256 { return "Batch Operations cannot ask for SSE-S3 (--sse AES256); it takes the bucket's default encryption or a KMS key" }
        if options.sse == .awsKMS, options.sseKMSKeyID == nil { return "Batch Operations needs the KMS key named (--sse-kms-key-id) for SSE-KMS" }
        return nil
    }

    /// The 12-digit account of a role ARN `arn:<partition>:iam::<account>:role/<name>`, or `nil`.
    public static func accountID(ofRole arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[2] == "iam", parts[3].isEmpty,
              parts[4].utf8.count == 12, parts[4].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              parts[5].hasPrefix("role/"), parts[5].utf8.count > 5
        else { return nil }
        return String(parts[4])
    }

    /// The partition of a role ARN (`aws`, `aws-cn`, `aws-us-gov`), default `aws`.
    public static func partition(ofRole arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "aws"
    }
}
