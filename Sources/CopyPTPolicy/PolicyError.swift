/// Why a policy cannot be written for the given options.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not an ARN a policy can name as a principal.
    case notAPrincipalARN(String)
    /// `--sse aws:kms` without a key: the AWS managed key cannot be shared across accounts.
    case kmsKeyMissing
    /// The KMS key is given by id or alias where a key ARN is needed.
    case kmsKeyNotARN(String)

    public var description: String {
        switch self {
        case .notAPrincipalARN(let text):
            return "'\(text)' is not a principal ARN a policy can name; give an IAM user or role ARN like arn:aws:iam::111122223333:role/NAME with --principal"
        case .kmsKeyMissing:
            return "--sse aws:kms without --sse-kms-key-id would use the destination account's AWS managed key (aws/s3), which no other account may use; ask the destination account for a customer managed key and give its ARN with --sse-kms-key-id"
        case .kmsKeyNotARN(let text):
            return "KMS key '\(text)' is not a key ARN; another account's key must be named by its ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), which `aws kms describe-key` in that account shows"
        }
    }
}
