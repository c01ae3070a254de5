import Foundation

/// Who copypt acts as in Globus, as `copypt whoami` reports it: never a token.
public struct GlobusWhoami: Sendable, Equatable {
    /// How copypt gets its tokens.
    public enum Mode: String, Sendable {
        /// A person's `copypt login` (the token file, refreshed with its refresh token).
        case login
        /// A service account (`COPYPT_GLOBUS_CLIENT_ID` and `COPYPT_GLOBUS_CLIENT_SECRET`).
        case clientCredentials = "client_credentials"
        /// A fixed access token.
        case accessToken = "access_token"
    }

    /// How copypt gets its tokens.
    public var mode: Mode
    /// The OAuth2 client the tokens were issued to.
    public var clientID: String?
    /// The identity id copypt acts as (a service account's is its client id), when known.
    public var identityID: String?
    /// That identity's username (`alice@uni.edu`, `<client id>@clients.auth.globus.org`), when known.
    public var identityUsername: String?
    /// When the current Transfer access token expires.
    public var accessTokenExpiresAt: Date?
    /// `true` when a new access token can be had without a person (refresh token, client secret).
    public var renewable: Bool
    /// The token file, for a login.
    public var tokenFile: String?
    /// When Globus Auth last issued the login's tokens (login or refresh), when recorded.
    public var refreshedAt: Date? = nil

    /// A report from its parts.
    public init(
        mode: Mode, clientID: String?, identityID: String?, identityUsername: String?,
        accessTokenExpiresAt: Date?, renewable: Bool, tokenFile: String?
    ) {
        self.mode = mode
        self.clientID = clientID
        self.identityID = identityID
        self.identityUsername = identityUsername
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.renewable = renewable
        self.tokenFile = tokenFile
    }
}
