import CopyPTHTTP
import CopyPTS3
import Foundation

/// The libcurl transports one command talks through: one per CA bundle (`nil`: the system's
/// CAs), made on first use and shared by every client that trusts the same CAs, so connections
/// are reused among them.
///
/// Every command that talks to AWS gets its S3 (or STS) transport from ``aws(profile:now:)``,
/// so all of them trust `AWS_CA_BUNDLE` or the profile's `ca_bundle` as the AWS CLI does;
/// Globus is reached with the system's CAs.
final class CurlTransports: @unchecked Sendable {
    private let environment: [String: String]
    private let settings: CurlTransport.Configuration
    private let lock = NSLock()
    private var made: [String?: Result<CurlTransport, any Error>] = [:]

    /// - Parameter settings: every transport's settings but its CA bundle (default: libcurl's defaults).
    init(environment: [String: String], settings: CurlTransport.Configuration = .init()) {
        self.environment = environment
        self.settings = settings
    }

    /// The transport trusting `caBundle`, or the system's CAs when `nil`.
    func transport(caBundle: String?) throws -> CurlTransport {
        try lock.withLock {
            if let transport = made[caBundle] { return try transport.get() }
            var settings = self.settings
            settings.caBundlePath = caBundle
            let transport = Result { try CurlTransport(configuration: settings) }
            made[caBundle] = transport
            return try transport.get()
        }
    }

    /// The AWS settings for `profile`, resolved like the AWS CLI, and the transport for its
    /// requests (trusting `AWS_CA_BUNDLE`, else the profile's `ca_bundle`). Credentials (STS,
    /// the container endpoint, instance metadata) are fetched while resolving, before the
    /// profile's bundle is known, through `AWS_CA_BUNDLE`'s transport.
    func aws(profile: String?, now: @escaping @Sendable () -> Date = { Date() }) throws -> (configuration: AWSConfiguration, transport: CurlTransport) {
        let base = try transport(caBundle: environment["AWS_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 })
        let configuration = try AWSConfiguration.resolve(environment: environment, profile: profile, transport: base, now: now)
        return (configuration, try transport(caBundle: configuration.caBundle))
    }
}
