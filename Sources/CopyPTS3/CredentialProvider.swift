/// A source of AWS credentials: static keys, the environment, profile files, STS,
/// a credential process, the container endpoint or EC2 instance metadata.
///
/// Providers are asked each time credentials are needed; wrap an expiring source in a
/// ``CachingCredentialProvider`` so it is called only near expiry.
public protocol CredentialProvider: Sendable {
    /// Returns usable credentials.
    /// - Throws: ``CredentialError`` when this source has none or fetching them failed.
    func credentials() async throws -> AWSCredentials
}

/// A provider that always returns the same credentials.
public struct StaticCredentialProvider: CredentialProvider {
    /// The credentials returned.
    public let value: AWSCredentials

    /// Creates a provider returning `credentials`.
    public init(_ credentials: AWSCredentials) {
        self.value = credentials
    }

    /// Returns the stored credentials.
    public func credentials() async throws -> AWSCredentials { value }
}
