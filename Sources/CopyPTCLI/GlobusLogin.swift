import CopyPTGlobus
import CopyPTHTTP
import Foundation
import Logging

/// The steps of `copypt login`, apart from the terminal, so tests can drive them.
///
/// Native-app flow with PKCE (S256) and `access_type=offline`: build the login URL, let the
/// person log in and read the code Globus shows, exchange it, save the tokens (0600, atomic,
/// under the token file's lock).
public struct GlobusLogin: Sendable {
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

    /// Logs in and saves the tokens.
    /// - Parameters:
    ///   - clientID: the site's native-app client id.
    ///   - request: data_access consents and session requirements to ask for (default none:
    ///     the Transfer scope and `openid profile email`).
    ///   - readCode: shown the login URL, returns the authorization code the person pasted (`nil` for none).
    /// - Returns: the token file written.
    /// - Throws: ``GlobusError`` (configuration, Globus Auth refusing the code, an answer
    ///   without a refresh token, file errors); nothing is saved then.
    public func run(
        clientID: String, request: GlobusLoginRequest = GlobusLoginRequest(), readCode: (String) async throws -> String?
    ) async throws -> URL {
        guard let tokenFile = configuration.tokenFile else {
            throw GlobusError.configuration("no token file location: set XDG_CONFIG_HOME or HOME, or pass --token-file")
        }
        let auth = GlobusAuthClient(configuration: configuration, transport: transport, logger: logger)
        let pkce = PKCE.generate()
        let url = auth.authorizeURL(
            clientID: clientID, pkce: pkce, scope: request.scope, extraParameters: request.sessionParameters)
        guard let code = try await readCode(url)?.trimmingCharacters(in: .whitespacesAndNewlines), !code.isEmpty else {
            throw GlobusError.configuration("no authorization code was entered; run `copypt login` again and paste the code Globus shows")
        }
        let tokens = try await auth.exchange(code: code, pkce: pkce, clientID: clientID)
        // Without a refresh token the login would stop working when the access token expires
        // (48 hours), silently, in cron: refuse it and save nothing.
        guard tokens.refreshToken != nil else { throw GlobusError.noRefreshToken(clientID: clientID) }
        let store = GlobusTokenStore(path: tokenFile)
        try await store.withLock { try store.save(tokens) }
        logger.info("saved Globus tokens for client \(clientID) to \(tokenFile.path)")
        return tokenFile
    }
}
