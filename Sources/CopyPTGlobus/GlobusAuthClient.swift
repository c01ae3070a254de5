import CopyPTHTTP
import Foundation
import Logging

/// Globus Auth's OAuth2 endpoints: the native-app login URL, code exchange, refresh,
/// client credentials and revocation.
///
/// Follows docs.globus.org/api/auth/reference ("Token", "Token Revocation") and the native-app
/// flow of globus-sdk-python (`flow_managers/native_app.py`): PKCE S256, `access_type=offline`.
/// No token, secret or verifier reaches a log line or an error description.
public struct GlobusAuthClient: Sendable {
    /// The configuration (service root, timeout, retries).
    public let configuration: GlobusConfiguration
    private let sender: GlobusRequestSender
    private let now: @Sendable () -> Date

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: where Globus Auth lives and the retry settings.
    ///   - transport: the HTTP seam.
    ///   - logger: receives debug and info lines.
    ///   - now: the clock for token expiry, injected for tests.
    ///   - sleep: the back-off sleep, injected for tests.
    public init(
        configuration: GlobusConfiguration,
        transport: any HTTPTransport,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        self.now = now
        self.sender = GlobusRequestSender(
            transport: transport, pacer: nil, policy: GlobusRetryPolicy(configuration),
            sleep: sleep, now: now, logger: logger)
    }

    // MARK: - Login (native app, PKCE)

    /// The URL a person opens to log in (`GET v2/oauth2/authorize`).
    /// - Parameters:
    ///   - clientID: the site's registered native-app client id.
    ///   - pkce: the pair whose challenge goes into the URL; keep it for ``exchange(code:pkce:clientID:)``.
    ///   - state: an opaque value echoed back, default `_default` as globus-sdk uses.
    ///   - scope: default the Transfer scope.
    ///   - redirectURI: default the Auth service's own code-display page, ``GlobusConfiguration/loginRedirectURI``.
    ///   - extraParameters: appended as they are, e.g. ``GlobusLoginRequest/sessionParameters``.
    public func authorizeURL(
        clientID: String,
        pkce: PKCE,
        state: String = "_default",
        scope: String = GlobusConfiguration.transferScope,
        redirectURI: String? = nil,
        extraParameters: [(String, String)] = []
    ) -> String {
        configuration.authEndpoint("authorize") + "?" + PercentEncoding.formBody([
            ("client_id", clientID),
            ("redirect_uri", redirectURI ?? configuration.loginRedirectURI),
            ("scope", scope),
            ("state", state),
            ("response_type", "code"),
            ("code_challenge", pkce.challenge),
            ("code_challenge_method", pkce.method),
            ("access_type", "offline"),
        ] + extraParameters)
    }

    /// Trades the authorization code the person pasted for tokens (`grant_type=authorization_code`).
    /// When the login asked for `openid` too, the answer holds a Globus Auth token, and the
    /// identity it names (userinfo) is kept with the Transfer tokens; if userinfo fails, the
    /// login still stands, without the identity.
    /// `redirectURI` must be the one the login URL carried (default ``GlobusConfiguration/loginRedirectURI``).
    public func exchange(
        code: String, pkce: PKCE, clientID: String, redirectURI: String? = nil
    ) async throws -> GlobusTokens {
        let operation = "Globus login (authorization code exchange) for client \(clientID)"
        let (answer, issuedAt) = try await tokenResponse(operation: operation, clientID: clientID, basic: nil, form: [
            ("client_id", clientID),
            ("grant_type", "authorization_code"),
            ("code", code.trimmingCharacters(in: .whitespacesAndNewlines)),
            ("code_verifier", pkce.verifier),
            ("redirect_uri", redirectURI ?? configuration.loginRedirectURI),
        ])
        var tokens = answer.transferTokens(clientID: clientID, issuedAt: issuedAt)
        if let auth = answer.authAccessToken, let identity = try? await userinfo(accessToken: auth) {
            tokens.identityID = identity.id
            tokens.identityUsername = identity.username
        }
        return tokens
    }

    /// Who a Globus Auth token belongs to (`GET v2/oauth2/userinfo`; needs a token for
    /// `auth.globus.org` with the `openid` scope, not a Transfer token).
    /// - Throws: ``GlobusError/oauth(operation:status:error:detail:)`` when refused, or a transport error.
    public func userinfo(accessToken: String) async throws -> GlobusIdentity {
        let operation = "reading the Globus identity (userinfo)"
        let request = HTTPRequest(
            method: .get, url: configuration.authEndpoint("userinfo"),
            headers: ["Authorization": "Bearer " + accessToken, "Accept": "application/json"],
            timeout: configuration.timeout)
        let response = try await sender.send(request, operation: operation)
        guard response.isSuccess else {
            throw GlobusError.oauth(operation: operation, status: response.status, error: "HTTP \(response.status)", detail: nil)
        }
        guard let identity = try? JSONDecoder().decode(GlobusIdentity.self, from: Data(response.body)) else {
            throw GlobusError.unparseableResponse(operation: operation, status: response.status, detail: "not a userinfo document")
        }
        return identity
    }

    /// New tokens from a refresh token (`grant_type=refresh_token`). The answer may carry a
    /// rotated refresh token; when it carries none the old one stays valid and is kept.
    /// - Throws: ``GlobusError/loginRequired(operation:detail:)`` when Globus rejects the refresh token.
    public func refresh(_ refreshToken: String, clientID: String) async throws -> GlobusTokens {
        let operation = "refreshing the Globus access token for client \(clientID)"
        var tokens = try await token(operation: operation, clientID: clientID, basic: nil, form: [
            ("refresh_token", refreshToken),
            ("grant_type", "refresh_token"),
            ("client_id", clientID),
        ])
        if tokens.refreshToken == nil { tokens.refreshToken = refreshToken }
        return tokens
    }

    /// A service account's token (`grant_type=client_credentials`, HTTP Basic client authentication).
    /// - Throws: ``GlobusError/clientAuthenticationFailed(clientID:detail:)`` for a wrong id or secret.
    public func clientCredentials(
        _ credentials: GlobusClientCredentials, scope: String = GlobusConfiguration.transferScope
    ) async throws -> GlobusTokens {
        let operation = "getting a Globus token for service-account client \(credentials.clientID)"
        return try await token(operation: operation, clientID: credentials.clientID, basic: credentials, form: [
            ("grant_type", "client_credentials"),
            ("scope", scope),
        ])
    }

    /// Revokes an access or refresh token (`POST v2/oauth2/token/revoke`; RFC 7009).
    public func revoke(_ token: String, clientID: String, credentials: GlobusClientCredentials? = nil) async throws {
        let operation = "revoking a Globus token for client \(clientID)"
        var form = [("token", token)]
        if credentials == nil { form.append(("client_id", clientID)) }
        let response = try await post("token/revoke", form: form, basic: credentials, operation: operation)
        guard response.isSuccess else { throw Self.error(response, operation: operation, clientID: clientID, basic: credentials) }
    }

    // MARK: - Plumbing

    private func token(
        operation: String, clientID: String, basic: GlobusClientCredentials?, form: [(String, String)]
    ) async throws -> GlobusTokens {
        let (answer, issuedAt) = try await tokenResponse(operation: operation, clientID: clientID, basic: basic, form: form)
        return answer.transferTokens(clientID: clientID, issuedAt: issuedAt)
    }

    private func tokenResponse(
        operation: String, clientID: String, basic: GlobusClientCredentials?, form: [(String, String)]
    ) async throws -> (OAuthTokenResponse, Date) {
        let issuedAt = now()
        let response = try await post("token", form: form, basic: basic, operation: operation)
        guard response.isSuccess else { throw Self.error(response, operation: operation, clientID: clientID, basic: basic) }
        guard let answer = try? JSONDecoder().decode(OAuthTokenResponse.self, from: Data(response.body)) else {
            // Never echo the body: it may hold tokens.
            throw GlobusError.unparseableResponse(operation: operation, status: response.status, detail: "not an OAuth2 token response")
        }
        return (answer, issuedAt)
    }

    private func post(
        _ path: String, form: [(String, String)], basic: GlobusClientCredentials?, operation: String
    ) async throws -> HTTPResponse {
        var headers: HTTPHeaders = [
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        ]
        if let basic { headers["Authorization"] = basic.basicAuthorization }
        let request = HTTPRequest(
            method: .post, url: configuration.authEndpoint(path), headers: headers,
            body: Array(PercentEncoding.formBody(form).utf8), timeout: configuration.timeout,
            maxResponseBytes: Self.replyLimit)
        return try await sender.send(request, operation: operation)
    }

    /// The cap on an Auth reply: token and error documents are a few KiB.
    static let replyLimit = 1 << 20

    /// Maps an error answer: a rejected refresh token means log in again; a rejected
    /// client means wrong service-account credentials.
    static func error(
        _ response: HTTPResponse, operation: String, clientID: String, basic: GlobusClientCredentials?
    ) -> GlobusError {
        let decoded = try? JSONDecoder().decode(OAuthErrorResponse.self, from: Data(response.body))
        let code = decoded.map { GlobusText.oneLine($0.error, limit: 100) } ?? "HTTP \(response.status)"
        let detail = decoded?.errorDescription.map { GlobusText.oneLine($0, limit: 200) }
        if basic != nil, code == "invalid_client" || response.status == 401 {
            return .clientAuthenticationFailed(clientID: clientID, detail: detail ?? code)
        }
        if code == "invalid_grant" {
            return .loginRequired(operation: operation, detail: "Globus Auth answered invalid_grant" + (detail.map { " (\($0))" } ?? ""))
        }
        return .oauth(operation: operation, status: response.status, error: code, detail: detail)
    }
}
