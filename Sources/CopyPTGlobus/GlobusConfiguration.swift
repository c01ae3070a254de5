import Foundation

/// Where Globus lives and how copypt talks to it.
///
/// Build it from the environment with ``fromEnvironment(_:clientID:tokenFile:)``; every
/// property has a default stated below, so `GlobusConfiguration()` talks to production Globus.
public struct GlobusConfiguration: Sendable, Equatable, CustomStringConvertible {
    // MARK: - Constants

    /// Production Globus Auth root.
    public static let productionAuthURL = "https://auth.globus.org/"
    /// Production Globus Transfer root.
    public static let productionTransferURL = "https://transfer.api.globus.org/"
    /// The OAuth2 scope for the Transfer API.
    public static let transferScope = "urn:globus:auth:scope:transfer.api.globus.org:all"
    /// The resource server of Globus Auth's own tokens (userinfo).
    public static let authResourceServer = "auth.globus.org"
    /// What `copypt login` asks for: the Transfer scope, plus `openid profile email` so the
    /// login can record who logged in (userinfo) for `copypt whoami`.
    public static let loginScope = "openid profile email " + transferScope
    /// The resource server that Transfer access tokens are issued for.
    public static let transferResourceServer = "transfer.api.globus.org"
    /// Production Globus's own page that shows the authorization code to paste (native-app
    /// flow); ``loginRedirectURI`` is the same page on the configured Auth service.
    public static let nativeAppRedirectURI = "https://auth.globus.org/v2/web/auth-code"

    // MARK: - Settings

    /// Globus Auth service root, ending in `/`; copypt appends `v2/oauth2/…`.
    /// Default ``productionAuthURL``; env `GLOBUS_SDK_SERVICE_URL_AUTH`.
    public var authURL: String
    /// Globus Transfer service root, ending in `/`; copypt appends `v0.10/…`.
    /// Default ``productionTransferURL``; env `GLOBUS_SDK_SERVICE_URL_TRANSFER`.
    public var transferURL: String
    /// Whole-request time limit; `nil` is none. Default 60 s; env `GLOBUS_SDK_HTTP_TIMEOUT`
    /// (seconds above 0 and up to a day, `-1` for none, empty for the default), as globus-sdk
    /// reads it; anything else is a configuration error.
    public var timeout: Duration?
    /// The OAuth2 client id: `--client-id`, else env `COPYPT_GLOBUS_CLIENT_ID`. Default `nil`:
    /// copypt has no built-in client id; a refresh uses the one stored at login.
    public var clientID: String?
    /// The service account's client secret, env `COPYPT_GLOBUS_CLIENT_SECRET`. Default `nil`.
    /// With ``clientID`` it selects the client_credentials grant. Never printed.
    public var clientSecret: String?
    /// The token file: `--token-file`, else `$XDG_CONFIG_HOME/copypt/globus-tokens.json`,
    /// else `$HOME/.config/copypt/globus-tokens.json`. Default `nil` (no home known).
    public var tokenFile: URL?
    /// At most this many Transfer requests in any one second. Default 20.
    public var requestsPerSecond: Int
    /// Attempts per request, first try included, for 429/500/502/503/504 and transport failures. Default 5.
    public var maxAttempts: Int
    /// Back-off before the first retry, doubled each time. Default 0.5 s.
    public var retryBaseDelay: Duration
    /// The longest single wait, `Retry-After` included. Default 60 s.
    public var maxRetryDelay: Duration
    /// `limit` for `task_list` pages. Default 1000 (the documented maximum).
    public var pageLimit: Int
    /// Longest request URL sent; `task_list?filter=task_id:…` is split to stay below it. Default 8,000 bytes.
    public var maxURLLength: Int
    /// Refresh the access token when it expires within this margin. Default 5 minutes.
    public var refreshMargin: Duration
    /// Ask `task_list` for only the task fields copypt reads (`fields=`). Default `true`.
    public var limitTaskFields: Bool
    /// Collections (UUIDs) whose data_access consent a service account's token requests
    /// (``serviceAccountScope``). Default none; env `COPYPT_GLOBUS_DATA_ACCESS` (comma- or
    /// space-separated). A person's login asks with `copypt login --collection`.
    public var dataAccessCollections: [String] = []

    /// Creates a configuration; every argument has the default documented on its property.
    public init(
        authURL: String = GlobusConfiguration.productionAuthURL,
        transferURL: String = GlobusConfiguration.productionTransferURL,
        timeout: Duration? = .seconds(60),
        clientID: String? = nil,
        clientSecret: String? = nil,
        tokenFile: URL? = nil,
        requestsPerSecond: Int = 20,
        maxAttempts: Int = 5,
        retryBaseDelay: Duration = .milliseconds(500),
        maxRetryDelay: Duration = .seconds(60),
        pageLimit: Int = 1000,
        maxURLLength: Int = 8000,
        refreshMargin: Duration = .seconds(300),
        limitTaskFields: Bool = true
    ) {
        self.authURL = Self.root(authURL)
        self.transferURL = Self.root(transferURL)
        self.timeout = timeout
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenFile = tokenFile
        self.requestsPerSecond = requestsPerSecond
        self.maxAttempts = maxAttempts
        self.retryBaseDelay = retryBaseDelay
        self.maxRetryDelay = maxRetryDelay
        self.pageLimit = pageLimit
        self.maxURLLength = maxURLLength
        self.refreshMargin = refreshMargin
        self.limitTaskFields = limitTaskFields
    }

    // MARK: - Derived

    /// How copypt obtains access tokens.
    public enum AuthMode: Sendable, Equatable {
        /// A service account: client_credentials grant, no token file.
        case clientCredentials(GlobusClientCredentials)
        /// A person's login: tokens from `copypt login` in this file, refreshed as needed.
        case refreshToken(tokenFile: URL)
    }

    /// Client credentials when both a client id and a secret are set, else the token file.
    /// - Throws: ``GlobusError/configuration(_:)`` when neither is available.
    public func authMode() throws -> AuthMode {
        if let clientID, !clientID.isEmpty, let clientSecret, !clientSecret.isEmpty {
            return .clientCredentials(GlobusClientCredentials(clientID: clientID, secret: clientSecret))
        }
        guard let tokenFile else {
            throw GlobusError.configuration(
                "no token file location: set XDG_CONFIG_HOME or HOME, or pass --token-file")
        }
        return .refreshToken(tokenFile: tokenFile)
    }

    /// The native-app redirect URI: the code-display page of the configured Auth service,
    /// `authURL` + `v2/web/auth-code` (``nativeAppRedirectURI`` in production), derived as
    /// globus-sdk derives it from the Auth client's base URL (`flow_managers/native_app.py`).
    public var loginRedirectURI: String { authURL + "v2/web/auth-code" }

    /// `authURL` + `v2/oauth2/` + `path`.
    func authEndpoint(_ path: String) -> String { authURL + "v2/oauth2/" + path }

    /// `transferURL` + `v0.10/` + `path`.
    func transferEndpoint(_ path: String) -> String { transferURL + "v0.10/" + path }

    /// The client_credentials scope: the Transfer scope with ``dataAccessCollections``' data_access.
    public var serviceAccountScope: String { GlobusScopes.transfer(dataAccessFor: dataAccessCollections) }

    /// Secrets redacted.
    public var description: String {
        "GlobusConfiguration(auth: \(authURL), transfer: \(transferURL), client: \(clientID ?? "none"), "
            + "secret: \(clientSecret == nil ? "none" : "<redacted>"), tokenFile: \(tokenFile?.path ?? "none"))"
    }

    /// A service root with exactly one trailing slash.
    static func root(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url + "/"
    }
}
