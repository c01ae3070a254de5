import Foundation

extension GlobusTokenProvider {
    /// Who the tokens act as, from the tokens in hand (call after a request succeeded, so they
    /// are current): the login's recorded identity, or the service account's own.
    public func whoami() -> GlobusWhoami {
        let tokens = currentTokens
        switch source {
        case .tokenFile(let store):
            var who = GlobusWhoami(
                mode: .login, clientID: tokens?.clientID, identityID: tokens?.identityID,
                identityUsername: tokens?.identityUsername, accessTokenExpiresAt: tokens?.expiresAt,
                renewable: tokens?.refreshToken != nil, tokenFile: store.path.path)
            who.refreshedAt = tokens?.refreshedAt
            return who
        case .clientCredentials(let credentials):
            return GlobusWhoami(
                mode: .clientCredentials, clientID: credentials.clientID, identityID: credentials.clientID,
                identityUsername: "\(credentials.clientID)@clients.auth.globus.org",
                accessTokenExpiresAt: tokens?.expiresAt, renewable: true, tokenFile: nil)
        case .fixed:
            return GlobusWhoami(
                mode: .accessToken, clientID: nil, identityID: nil, identityUsername: nil,
                accessTokenExpiresAt: nil, renewable: false, tokenFile: nil)
        }
    }
}
