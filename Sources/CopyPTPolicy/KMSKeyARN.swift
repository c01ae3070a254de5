/// A KMS key named by its ARN, `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`: what another
/// account's policies and copies must use (KMS authorizes by key, not by alias).
public struct KMSKeyARN: Sendable, Hashable, CustomStringConvertible {
    /// The whole ARN.
    public var arn: String
    /// The key's region, which must be the bucket's for SSE-KMS.
    public var region: String
    /// The account that owns the key.
    public var account: String

    /// The parts of a key ARN.
    /// - Throws: ``PolicyError/kmsKeyNotARN(_:)`` for a key id, an alias or an alias ARN.
    public init(parsing text: String) throws(PolicyError) {
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "arn", !fields[1].isEmpty, fields[2] == "kms", !fields[3].isEmpty,
              fields[4].count == 12, fields[4].allSatisfy({ $0.isASCII && $0.isNumber }),
              fields[5].hasPrefix("key/"), fields[5].count > 4,
              !text.contains(where: { $0.isWhitespace || $0 == "*" || $0 == "?" || $0 == "\"" })
        else { throw PolicyError.kmsKeyNotARN(text) }
        arn = text
        region = fields[3]
        account = fields[4]
    }

    public var description: String { arn }
}
