import CopyPTHTTP
import Foundation
import Logging

/// Hands out a valid Transfer access token, refreshing it before it expires.
///
/// Two sources: a person's login (the token file from `copypt login`, refreshed with its
/// refresh token under the token file's lock, re-reading the file once the lock is held so two
/// sweeps refreshing at once never lose a rotated refresh token) or a service account
/// (client_credentials, nothing on disk). Concurrent callers in one process share one refresh.
public actor GlobusTokenProvider {
    /// Where tokens come from.
    public enum Source: Sendable {
        /// A person's login, stored in this token file.
        case tokenFile(GlobusTokenStore)
        /// A service account.
        case clientCredentials(GlobusClientCredentials)
        /// A fixed access token (tests, one-off scripts); cannot refresh.
        case fixed(accessToken: String)
    }

    /// Who copypt acts as, for messages such as "task not found for …". Never a secret.
    public nonisolated let identity: String
    /// The service account's client id in client-credentials mode, else `nil`.
    public nonisolated let serviceAccountClientID: String?

    let source: Source
    private let auth: GlobusAuthClient
    private let margin: Duration
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private let logger: Logger
    private var cached: GlobusTokens?
    private var inFlight: Task<GlobusTokens, any Error>?

    /// Creates a provider.
    /// - Parameters:
    ///   - source: the token file, service account or fixed token.
    ///   - auth: the Globus Auth client used to refresh.
    ///   - refreshMargin: refresh when the token expires within this margin, default 5 minutes.
    ///   - logger: receives info lines about refreshes (never a token).
    ///   - now: the injected clock.
    ///   - sleep: the injected sleep (lock polling).
    public init(
        source: Source,
        auth: GlobusAuthClient,
        refreshMargin: Duration = .seconds(300),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.source = source
        self.auth = auth
        self.margin = refreshMargin
        self.logger = logger
        self.now = now
        self.sleep = sleep
        if case .clientCredentials(let credentials) = source {
            serviceAccountClientID = credentials.clientID
        } else {
            serviceAccountClientID = nil
        }
        switch source {
        case .tokenFile(let store):
            identity = "the Globus identity logged in with `copypt login` (token file \(store.path.path))"
        case .clientCredentials(let credentials):
            identity = "service-account client \(credentials.clientID) (identity \(credentials.clientID)@clients.auth.globus.org)"
        case .fixed:
            identity = "the identity of the supplied access token"
        }
    }

    /// The provider the configuration selects: client credentials when
    /// `COPYPT_GLOBUS_CLIENT_ID` and `COPYPT_GLOBUS_CLIENT_SECRET` are both set, else the token file.
    /// - Throws: ``GlobusError/configuration(_:)`` when neither is possible.
    public static func make(
        configuration: GlobusConfiguration,
        transport: any HTTPTransport,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) throws -> GlobusTokenProvider {
        let auth = GlobusAuthClient(configuration: configuration, transport: transport, logger: logger, now: now, sleep: sleep)
        let source: Source
        switch try configuration.authMode() {
        case .clientCredentials(let credentials): source = .clientCredentials(credentials)
        case .refreshToken(let file): source = .tokenFile(GlobusTokenStore(path: file))
        }
        return GlobusTokenProvider(
            source: source, auth: auth, refreshMargin: configuration.refreshMargin, logger: logger, now: now, sleep: sleep)
    }

    // MARK: - Tokens

    /// The tokens in hand, if any (after ``accessToken()`` or a refresh).
    var currentTokens: GlobusTokens? { cached }

    /// A Transfer access token valid for at least the refresh margin.
    /// - Throws: ``GlobusError/notLoggedIn(tokenFile:)``, ``GlobusError/loginRequired(operation:detail:)``,
    ///   ``GlobusError/clientAuthenticationFailed(clientID:detail:)``, or a transient error.
    public func accessToken() async throws -> String {
        if let cached, cached.isFresh(at: now(), margin: margin) { return cached.accessToken }
        switch source {
        case .fixed(let token):
            return token
        case .clientCredentials(let credentials):
            return try await coalesced { try await self.auth.clientCredentials(credentials) }.accessToken
        case .tokenFile(let store):
            guard let stored = try store.load() else { throw GlobusError.notLoggedIn(tokenFile: store.path.path) }
            if stored.isFresh(at: now(), margin: margin) {
                cached = stored
                return stored.accessToken
            }
            return try await coalesced { try await self.refreshLocked(store, rejected: nil) }.accessToken
        }
    }

    /// A new access token after Transfer answered 401 to `rejected`.
    ///
    /// Called once per request; if the new token is refused too, the caller gives up with
    /// "run `copypt login`".
    public func refresh(rejected: String) async throws -> String {
        switch source {
        case .fixed:
            throw GlobusError.loginRequired(operation: "using the supplied Globus access token", detail: "Globus answered 401")
        case .clientCredentials(let credentials):
            if let cached, cached.accessToken != rejected, cached.isFresh(at: now(), margin: margin) {
                return cached.accessToken
            }
            cached = nil
            return try await coalesced { try await self.auth.clientCredentials(credentials) }.accessToken
        case .tokenFile(let store):
            if let cached, cached.accessToken != rejected, cached.isFresh(at: now(), margin: margin) {
                return cached.accessToken
            }
            cached = nil
            return try await coalesced { try await self.refreshLocked(store, rejected: rejected) }.accessToken
        }
    }

    /// Asks Globus Auth for new tokens now, whatever the current ones' expiry: proves the refresh
    /// token (or the client secret) still works, and resets Globus's idle clock on the refresh
    /// token. A fixed token cannot be renewed and passes unchanged.
    /// - Throws: as ``accessToken()``.
    public func renewNow() async throws {
        switch source {
        case .fixed:
            return
        case .clientCredentials(let credentials):
            cached = nil
            _ = try await coalesced { try await self.auth.clientCredentials(credentials) }
        case .tokenFile(let store):
            guard let stored = try store.load() else { throw GlobusError.notLoggedIn(tokenFile: store.path.path) }
            cached = nil
            // Naming the stored access token as rejected makes the locked refresh ask Globus.
            _ = try await coalesced { try await self.refreshLocked(store, rejected: stored.accessToken) }
        }
    }

    // MARK: - Refresh

    /// One refresh at a time per process: later callers await the first one's result.
    private func coalesced(_ work: @escaping @Sendable () async throws -> GlobusTokens) async throws -> GlobusTokens {
        if let inFlight { return try await inFlight.value }
        let task = Task { try await work() }
        inFlight = task
        defer { inFlight = nil }
        let tokens = try await task.value
        cached = tokens
        return tokens
    }

    /// Refreshes under the token file's lock. Re-reads the file first: if another process
    /// refreshed while this one waited, its tokens are used and Globus is not asked again.
    private func refreshLocked(_ store: GlobusTokenStore, rejected: String?) async throws -> GlobusTokens {
        try await store.withLock(sleep: sleep) {
            guard let current = try store.load() else { throw GlobusError.notLoggedIn(tokenFile: store.path.path) }
            if current.accessToken != rejected, current.isFresh(at: now(), margin: margin) {
                logger.debug("Globus access token was refreshed by another process; using it")
                return current
            }
            guard let refreshToken = current.refreshToken else {
                throw GlobusError.loginRequired(
                    operation: "refreshing the Globus access token",
                    detail: "the token file \(store.path.path) holds no refresh token")
            }
            var fresh = try await auth.refresh(refreshToken, clientID: current.clientID)
            // A refresh answers tokens only: who logged in stays as the login recorded it.
            fresh.identityID = current.identityID
            fresh.identityUsername = current.identityUsername
            try store.save(fresh)
            logger.info("refreshed the Globus access token for client \(current.clientID); valid until \(fresh.expiresAt)")
            return fresh
        }
    }
}
