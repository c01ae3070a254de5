import CopyPTRecords

/// What the policies are written for: copypt's principal, the two prefixes and the copy options.
public struct PolicyInput: Sendable, Hashable {
    /// The principal the policies name.
    public var principal: PolicyPrincipal
    /// The staging prefix copypt reads (in the principal's own account).
    public var staging: S3Prefix
    /// The destination prefix copypt writes (in the other account).
    public var destination: S3Prefix
    /// ACL, encryption and the other copy options of the record.
    public var options: CopyOptions
    /// Whether the staging objects carry tags, which copies keep; default `false`
    /// (Globus writes no tags).
    public var copiesTags: Bool
    /// The KMS key of SSE-KMS staging objects, which copies must decrypt; default `nil`.
    public var stagingKMSKey: KMSKeyARN?

    /// An input; every default as documented on each property.
    public init(
        principal: PolicyPrincipal, staging: S3Prefix, destination: S3Prefix, options: CopyOptions = CopyOptions(),
        copiesTags: Bool = false, stagingKMSKey: KMSKeyARN? = nil
    ) {
        self.principal = principal
        self.staging = staging
        self.destination = destination
        self.options = options
        self.copiesTags = copiesTags
        self.stagingKMSKey = stagingKMSKey
    }

    /// The destination key for `--sse aws:kms`, `nil` without SSE-KMS.
    /// - Throws: ``PolicyError`` when SSE-KMS has no key or names it by id or alias.
    public func destinationKMSKey() throws(PolicyError) -> KMSKeyARN? {
        guard options.sse == .awsKMS || options.sseKMSKeyID != nil else { return nil }
        guard let key = options.sseKMSKeyID else { throw PolicyError.kmsKeyMissing }
        return try KMSKeyARN(parsing: key)
    }
}
