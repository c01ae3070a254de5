@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct GlobusAuthClientTests {
    static let configuration = GlobusConfiguration(authURL: "http://auth.test/", transferURL: "http://transfer.test/", maxAttempts: 2)

    static func client(_ stub: StubTransport, capture: LogCapture = LogCapture(), clock: TestClock = TestClock()) -> GlobusAuthClient {
        GlobusAuthClient(configuration: configuration, transport: stub, logger: capture.logger(), now: clock.function, sleep: { _ in })
    }

    static func form(_ request: HTTPRequest) -> [String: String] {
        var fields = [String: String]()
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    @Test("the login URL carries every native-app parameter, PKCE S256 and offline access")
    func loginURL() throws {
        let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        let url = Self.client(StubTransport()).authorizeURL(clientID: "my-native-app", pkce: pkce, state: "s-1")
        let parts = URLParts(url)
        #expect(url.hasPrefix("http://auth.test/v2/oauth2/authorize?"))
        #expect(parts.query == "client_id=my-native-app"
            + "&redirect_uri=http%3A%2F%2Fauth.test%2Fv2%2Fweb%2Fauth-code"
            + "&scope=urn%3Aglobus%3Aauth%3Ascope%3Atransfer.api.globus.org%3Aall"
            + "&state=s-1&response_type=code"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
            + "&code_challenge_method=S256&access_type=offline")
        #expect(!url.contains(pkce.verifier))
    }

    @Test("the native-app redirect URI is the configured Auth root's code page, production's by default")
    func redirectFollowsAuthRoot() throws {
        #expect(GlobusConfiguration().loginRedirectURI == "https://auth.globus.org/v2/web/auth-code")
        #expect(GlobusConfiguration().loginRedirectURI == GlobusConfiguration.nativeAppRedirectURI)
        let sandbox = try GlobusConfiguration.fromEnvironment(["GLOBUS_SDK_SERVICE_URL_AUTH": "https://auth.sandbox.globuscs.info"])
        #expect(sandbox.loginRedirectURI == "https://auth.sandbox.globuscs.info/v2/web/auth-code")
        let client = GlobusAuthClient(configuration: sandbox, transport: StubTransport(), logger: LogCapture().logger())
        let url = client.authorizeURL(clientID: "app", pkce: PKCE.generate())
        #expect(url.contains("&redirect_uri=https%3A%2F%2Fauth.sandbox.globuscs.info%2Fv2%2Fweb%2Fauth-code&"))
    }

    @Test("an OAuth error_description over several lines becomes one line")
    func multiLineOAuthError() async throws {
        let stub = StubTransport(responses: [jsonResponse(["error": "invalid_request", "error_description": "first line\n\tsecond line\r\nthird"], status: 400)])
        do {
            _ = try await Self.client(stub).refresh("r", clientID: "app")
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error == .oauth(operation: "refreshing the Globus access token for client app", status: 400,
                                    error: "invalid_request", detail: "first line second line third"))
            #expect(!"\(error)".contains("\n") && !"\(error)".contains("\r"))
        }
    }

    @Test("the code exchange posts the verifier and redirect URI, and stores expiry from expires_in")
    func exchange() async throws {
        let stub = StubTransport(responses: [try Fixtures.response("oauth-token-native-app")])
        let clock = TestClock()
        let pkce = PKCE.generate()
        let tokens = try await Self.client(stub, clock: clock).exchange(code: " the-code\n", pkce: pkce, clientID: "my-native-app")
        let request = try #require(stub.requests.first)
        #expect(request.method == .post && request.url == "http://auth.test/v2/oauth2/token")
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["Authorization"] == nil)
        #expect(Self.form(request) == [
            "client_id": "my-native-app", "grant_type": "authorization_code", "code": "the-code",
            "code_verifier": pkce.verifier, "redirect_uri": "http://auth.test/v2/web/auth-code",
        ])
        #expect(tokens.accessToken == "example-access-token-not-real")
        #expect(tokens.refreshToken == "example-refresh-token-not-real")
        #expect(tokens.expiresAt == clock.now.addingTimeInterval(172_800))
        #expect(tokens.clientID == "my-native-app")
    }

    @Test("the Transfer token is picked from other_tokens when the top-level one is for Auth")
    func otherTokens() async throws {
        let stub = StubTransport(responses: [try Fixtures.response("oauth-token-with-other-tokens")])
        let tokens = try await Self.client(stub).exchange(code: "c", pkce: PKCE.generate(), clientID: "app")
        #expect(tokens.accessToken == "example-transfer-token-not-real")
        #expect(tokens.resourceServer == "transfer.api.globus.org")
    }

    @Test("a refresh sends the refresh_token grant; a rotated token is returned, an absent one keeps the old")
    func refresh() async throws {
        let stub = StubTransport(responses: [
            jsonResponse(["access_token": "a2", "expires_in": 3600, "refresh_token": "r2", "resource_server": "transfer.api.globus.org"]),
            jsonResponse(["access_token": "a3", "expires_in": 3600, "resource_server": "transfer.api.globus.org"]),
        ])
        let client = Self.client(stub)
        let rotated = try await client.refresh("r1", clientID: "app")
        #expect(rotated.refreshToken == "r2" && rotated.accessToken == "a2")
        #expect(Self.form(stub.requests[0]) == ["refresh_token": "r1", "grant_type": "refresh_token", "client_id": "app"])
        let kept = try await client.refresh("r2", clientID: "app")
        #expect(kept.refreshToken == "r2" && kept.accessToken == "a3")
    }

    @Test("a rejected refresh token means log in again, and the description holds no token")
    func invalidGrant() async throws {
        let stub = StubTransport(responses: [try Fixtures.response("oauth-error-invalid-grant", status: 400)])
        do {
            _ = try await Self.client(stub).refresh("secret-refresh-value", clientID: "app")
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error.isAuthenticationFailure)
            #expect(error.description.contains("copypt login"))
            #expect(!error.description.contains("secret-refresh-value"))
        }
    }

    @Test("client credentials authenticate with HTTP Basic and ask for the Transfer scope")
    func clientCredentials() async throws {
        let stub = StubTransport(responses: [jsonResponse(["access_token": "cc-1", "expires_in": 172800, "resource_server": "transfer.api.globus.org"])])
        let credentials = GlobusClientCredentials(clientID: "svc", secret: "pa:ss word")
        let tokens = try await Self.client(stub).clientCredentials(credentials)
        let request = try #require(stub.requests.first)
        #expect(request.headers["Authorization"] == "Basic " + Data("svc:pa:ss word".utf8).base64EncodedString())
        #expect(Self.form(request) == ["grant_type": "client_credentials", "scope": GlobusConfiguration.transferScope])
        #expect(tokens.refreshToken == nil && tokens.accessToken == "cc-1")
    }

    @Test("the Basic header carries the raw client_id:client_secret, as globus-sdk computes it for a secret with + / =")
    func basicHeaderAsTheSDKSendsIt() async throws {
        struct Recorded: Decodable { var client_id: String; var client_secret: String; var authorization: String }
        let recorded = try JSONDecoder().decode(Recorded.self, from: Data(try Fixtures.data("globus-sdk-basic-auth")))
        let stub = StubTransport(responses: [jsonResponse(["access_token": "cc-1", "expires_in": 60, "resource_server": "transfer.api.globus.org"])])
        let credentials = GlobusClientCredentials(clientID: recorded.client_id, secret: recorded.client_secret)
        _ = try await Self.client(stub).clientCredentials(credentials)
        #expect(try #require(stub.requests.first).headers["Authorization"] == recorded.authorization)
    }

    @Test("a wrong client secret is a service-account error that never shows the secret")
    func wrongSecret() async throws {
        let stub = StubTransport(responses: [jsonResponse(["error": "invalid_client"], status: 401)])
        let credentials = GlobusClientCredentials(clientID: "svc", secret: "the-wrong-secret")
        await #expect(throws: GlobusError.clientAuthenticationFailed(clientID: "svc", detail: "invalid_client")) {
            try await Self.client(stub).clientCredentials(credentials)
        }
    }

    @Test("revocation posts the token and client id; a 503 is retried first")
    func revoke() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 503), jsonResponse(["active": false])])
        try await Self.client(stub).revoke("tok", clientID: "app")
        #expect(stub.requests.count == 2)
        #expect(stub.requests[1].url == "http://auth.test/v2/oauth2/token/revoke")
        #expect(Self.form(stub.requests[1]) == ["token": "tok", "client_id": "app"])
    }

    @Test("a token response that is not JSON fails without echoing the body")
    func unparseable() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array("access_token=leaky".utf8))])
        do {
            _ = try await Self.client(stub).refresh("r", clientID: "app")
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("leaky"))
        }
    }
}
