/// One policy document copypt prints: who applies it where, and the JSON.
public struct PolicyDocument: Sendable, Equatable {
    /// Where a document goes.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Statements the destination account adds to its bucket policy.
        case destinationBucketPolicy = "destination-bucket-policy"
        /// A statement the destination account adds to its KMS key's policy.
        case destinationKeyPolicy = "destination-kms-key-policy"
        /// A statement for the staging objects' KMS key policy (copypt's own account).
        case stagingKeyPolicy = "staging-kms-key-policy"
        /// The identity policy attached to copypt's principal in its own account.
        case identityPolicy = "identity-policy"
        /// The trust policy of the role S3 Batch Operations assumes.
        case batchRoleTrustPolicy = "batch-role-trust-policy"
        /// The identity policy attached to that role.
        case batchRolePolicy = "batch-role-policy"
    }

    /// Where it goes.
    public var kind: Kind
    /// One line saying who adds it where.
    public var heading: String
    /// The policy (a whole document with Version and Statement).
    public var json: PolicyJSON

    /// The statements of the document, for printing only the missing ones.
    public var statements: [PolicyJSON] {
        guard case .object(let members) = json, let statement = members.first(where: { $0.0 == "Statement" }),
              case .array(let values) = statement.1 else { return [] }
        return values
    }

    /// The document with only the statements whose Sid is in `sids` (in document order).
    public func keeping(sids: Set<String>) -> PolicyDocument {
        let kept = statements.filter { statement in
            guard case .object(let members) = statement, case .string(let sid)? = members.first(where: { $0.0 == "Sid" })?.1 else { return false }
            return sids.contains(sid)
        }
        var copy = self
        copy.json = .object([("Version", .string(PolicyRenderer.version)), ("Statement", .array(kept))])
        return copy
    }
}
