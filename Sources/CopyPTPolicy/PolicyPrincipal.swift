/// The ARN a resource policy must name for copypt's principal, derived from the caller ARN
/// STS GetCallerIdentity reports.
///
/// An assumed-role session (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`) is named by its
/// role, `arn:aws:iam::ACCOUNT:role/NAME`: policies cannot name sessions. The session ARN
/// carries no role path, so a role created with a path (`/service/NAME`) needs `--principal`.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
/// ("Role session principals").
public struct PolicyPrincipal: Sendable, Hashable, CustomStringConvertible {
    /// The ARN to put in `Principal.AWS`.
    public var arn: String
    /// The partition (`aws`, `aws-cn`, `aws-us-gov`), for the other ARNs a policy names.
    public var partition: String
    /// The principal's account.
    public var account: String

    /// The principal for a caller or principal ARN.
    /// - Throws: ``PolicyError/notAPrincipalARN(_:)`` for anything but an IAM user, role,
    ///   root, assumed-role session or federated user ARN.
    public init(callerARN: String) throws(PolicyError) {
        let fields = callerARN.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "arn", !fields[1].isEmpty, fields[3].isEmpty,
              fields[4].count == 12, fields[4].allSatisfy({ $0.isASCII && $0.isNumber }),
              !fields[5].contains(where: { $0.isWhitespace || $0 == "*" || $0 == "?" || $0 == "\"" })
        else { throw PolicyError.notAPrincipalARN(callerARN) }
        let (partition, service, account, resource) = (fields[1], fields[2], fields[4], fields[5])
        self.partition = partition
        self.account = account
        let parts = resource.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (service, parts.first) {
        case ("sts", "assumed-role") where parts.count == 3 && !parts[1].isEmpty && !parts[2].isEmpty:
            arn = "arn:\(partition):iam::\(account):role/\(parts[1])"
        case ("sts", "federated-user") where parts.count == 2 && !parts[1].isEmpty:
            arn = callerARN
        case ("iam", "user"), ("iam", "role"):
            guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { throw PolicyError.notAPrincipalARN(callerARN) }
            arn = callerARN
        case ("iam", "root") where parts.count == 1:
            arn = callerARN
        default:
            throw PolicyError.notAPrincipalARN(callerARN)
        }
    }

    public var description: String { arn }
}
