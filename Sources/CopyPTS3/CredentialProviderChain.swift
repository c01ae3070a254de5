/// Tries providers in order; the first that yields credentials wins.
///
/// A provider that could not be reached or has nothing (``CredentialError/unreachable(source:detail:)``,
/// ``CredentialError/noCredentials(profile:)``) passes to the next; any other error (a failing
/// credential_process, an AssumeRole denial) stops the chain, as in the AWS CLI. When every
/// provider passes, the chain throws ``CredentialError/noCredentials(profile:)``.
public struct CredentialProviderChain: CredentialProvider {
    /// The providers, in order.
    public let providers: [any CredentialProvider]
    /// The profile named in the final error, if any.
    public let profile: String?

    /// Creates a chain.
    public init(_ providers: [any CredentialProvider], profile: String? = nil) {
        self.providers = providers
        self.profile = profile
    }

    /// Returns the first provider's credentials that does not pass.
    public func credentials() async throws -> AWSCredentials {
        for provider in providers {
            do {
                return try await provider.credentials()
            } catch let error as CredentialError {
                switch error {
                case .unreachable, .noCredentials: continue
                default: throw error
                }
            }
        }
        throw CredentialError.noCredentials(profile: profile)
    }
}
