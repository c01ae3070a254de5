import CopyPTGlobus
import CopyPTHTTP
import Foundation
import Logging

/// The steps of `copypt logout`: revoke the stored refresh and access tokens at Globus
/// (RFC 7009 via `v2/oauth2/token/revoke`), then delete the token file.
public struct GlobusLogout: Sendable {
    /// What happened.
    public enum Outcome: Sendable, Equatable {
        /// Both tokens revoked and the file deleted.
        case loggedOut(tokenFile: URL)
        /// There was no token file.
        case notLoggedIn(tokenFile: URL)
    }

    /// Service roots, timeout, token file.
    public var configuration: GlobusConfiguration
    /// The HTTP seam.
    public var transport: any HTTPTransport
    /// Receives debug/info lines; never a token.
    public var logger: Logger

    /// Creates the flow.
    public init(configuration: GlobusConfiguration, transport: any HTTPTransport, logger: Logger) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
    }

    /// Revokes and deletes. The file is kept when revocation fails, so a re-run can finish the job.
    /// - Throws: ``GlobusError`` from Globus Auth or the file system.
    public func run() async throws -> Outcome {
        guard let tokenFile = configuration.tokenFile else {
            throw GlobusError.configuration("no token file location: set XDG_CONFIG_HOME or HOME, or pass --token-file")
        }
        let store = GlobusTokenStore(path: tokenFile)
        let auth = GlobusAuthClient(configuration: configuration, transport: transport, logger: logger)
        return try await store.withLock {
            guard let tokens = try store.load() else { return .notLoggedIn(tokenFile: tokenFile) }
            if let refreshToken = tokens.refreshToken {
                try await auth.revoke(refreshToken, clientID: tokens.clientID)
            }
            try await auth.revoke(tokens.accessToken, clientID: tokens.clientID)
            try store.delete()
            logger.info("revoked the Globus tokens of client \(tokens.clientID) and deleted \(tokenFile.path)")
            return .loggedOut(tokenFile: tokenFile)
        }
    }
}
