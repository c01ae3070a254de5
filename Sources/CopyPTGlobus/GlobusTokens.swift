import Foundation

/// The Transfer tokens copypt holds for one login, as stored in the token file.
///
/// `description` shows expiry and scope only, never a token.
public struct GlobusTokens: Sendable, Equatable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The client id the tokens were issued to (refreshes must use the same one).
    public var clientID: String
    /// The bearer token for Transfer.
    public var accessToken: String
    /// The refresh token (offline access); `nil` for client-credentials tokens.
    public var refreshToken: String?
    /// When the access token stops working.
    public var expiresAt: Date
    /// The granted scope(s), space-separated.
    public var scope: String
    /// The resource server, `transfer.api.globus.org`.
    public var resourceServer: String
    /// The Globus identity id of the person who logged in (userinfo `sub`), when the login
    /// recorded it; `nil` for older token files and client-credentials tokens.
    public var identityID: String? = nil
    /// That identity's username (userinfo `preferred_username`, e.g. `alice@uni.edu`), when recorded.
    public var identityUsername: String? = nil
    /// When Globus Auth last issued these tokens (the login or the latest refresh), when recorded;
    /// `nil` for token files written before copypt kept it. A refresh token left unused for long
    /// may stop working, so `copypt auth check` and the sweep warn when this grows old.
    public var refreshedAt: Date? = nil

    /// Creates a token set.
    public init(
        clientID: String, accessToken: String, refreshToken: String?, expiresAt: Date,
        scope: String, resourceServer: String = GlobusConfiguration.transferResourceServer
    ) {
        self.clientID = clientID
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
        self.resourceServer = resourceServer
    }

    /// `true` while the access token has more than `margin` left at `now`.
    public func isFresh(at now: Date, margin: Duration) -> Bool {
        expiresAt.timeIntervalSince(now) > Double(margin.components.seconds)
    }

    public var description: String {
        "GlobusTokens(client: \(clientID), expiresAt: \(expiresAt), scope: \(scope), "
            + "accessToken: <redacted>, refreshToken: \(refreshToken == nil ? "none" : "<redacted>"))"
    }

    public var debugDescription: String { description }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresAt = "expires_at"
        case scope
        case resourceServer = "resource_server"
        case identityID = "identity_id"
        case identityUsername = "identity_username"
        case refreshedAt = "refreshed_at"
    }
}

// MARK: - Token endpoint answer

/// One token in a Globus Auth token response (RFC 6749 §5.1 plus Globus's
/// `resource_server` and `other_tokens`).
struct OAuthTokenResponse: Decodable {
    var accessToken: String
    var refreshToken: String?
    var expiresIn: Int
    var scope: String?
    var resourceServer: String?
    var otherTokens: [OAuthTokenResponse]?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
        case scope
        case resourceServer = "resource_server"
        case otherTokens = "other_tokens"
    }

    /// The Globus Auth token (`resource_server` `auth.globus.org`) among the top-level token and
    /// `other_tokens`: present when the login asked for `openid`; it may read userinfo.
    var authAccessToken: String? {
        ([self] + (otherTokens ?? [])).first { $0.resourceServer == GlobusConfiguration.authResourceServer }?.accessToken
    }

    /// The Transfer token among the top-level token and `other_tokens` (a login that also asked
    /// for `openid` gets the Auth token first), else the top-level one.
    func transferTokens(clientID: String, issuedAt now: Date) -> GlobusTokens {
        let all = [self] + (otherTokens ?? [])
        let chosen = all.first { $0.resourceServer == GlobusConfiguration.transferResourceServer } ?? self
        var tokens = GlobusTokens(
            clientID: clientID,
            accessToken: chosen.accessToken,
            refreshToken: chosen.refreshToken,
            // Whole seconds, so the token file (ISO 8601, no fraction) round-trips exactly.
            expiresAt: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + TimeInterval(chosen.expiresIn)).rounded(.down)),
            scope: chosen.scope ?? GlobusConfiguration.transferScope,
            resourceServer: chosen.resourceServer ?? GlobusConfiguration.transferResourceServer
        )
        tokens.refreshedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        return tokens
    }
}

/// An OAuth2 error answer (RFC 6749 §5.2).
struct OAuthErrorResponse: Decodable {
    var error: String
    var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}
