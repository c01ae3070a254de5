@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct GlobusWhoamiTests {
    @Test("a login that asked for openid records who logged in, read from userinfo with the Auth token")
    func loginRecordsIdentity() async throws {
        let stub = StubTransport(responses: [
            try Fixtures.response("oauth-token-with-other-tokens"),
            jsonResponse(["sub": "b2c3-identity", "preferred_username": "alice@uni.edu", "name": "Alice"]),
        ])
        let tokens = try await GlobusAuthClientTests.client(stub).exchange(code: "c", pkce: PKCE.generate(), clientID: "app")
        #expect(tokens.accessToken == "example-transfer-token-not-real")
        #expect(tokens.identityID == "b2c3-identity" && tokens.identityUsername == "alice@uni.edu")
        let userinfo = try #require(stub.requests.last)
        #expect(userinfo.method == .get && userinfo.url == "http://auth.test/v2/oauth2/userinfo")
        #expect(userinfo.headers["Authorization"] == "Bearer example-auth-token-not-real")
        #expect(!tokens.description.contains("not-real"))
    }

    @Test("a login without an Auth token, or whose userinfo fails, still logs in, without an identity")
    func loginWithoutIdentity() async throws {
        let stub = StubTransport(responses: [
            try Fixtures.response("oauth-token-with-other-tokens"),
            jsonResponse(["error": "forbidden"], status: 403),
        ])
        let tokens = try await GlobusAuthClientTests.client(stub).exchange(code: "c", pkce: PKCE.generate(), clientID: "app")
        #expect(tokens.accessToken == "example-transfer-token-not-real" && tokens.identityID == nil)
        let plain = StubTransport(responses: [try Fixtures.response("oauth-token-native-app")])
        _ = try await GlobusAuthClientTests.client(plain).exchange(code: "c", pkce: PKCE.generate(), clientID: "app")
        #expect(plain.requests.count == 1)
    }

    @Test("a refresh keeps the identity the login recorded; whoami reports it with the new expiry")
    func refreshKeepsIdentity() async throws {
        let clock = TestClock()
        let store = GlobusTokenStore(path: try temporaryDirectory().appendingPathComponent("globus-tokens.json"))
        var stored = GlobusTokens(clientID: "app", accessToken: "a1", refreshToken: "r1",
                                  expiresAt: clock.now.addingTimeInterval(60), scope: GlobusConfiguration.transferScope)
        stored.identityID = "b2c3-identity"
        stored.identityUsername = "alice@uni.edu"
        try store.save(stored)
        let stub = StubTransport(responses: [jsonResponse(["access_token": "a2", "refresh_token": "r2", "expires_in": 7200,
                                                           "resource_server": "transfer.api.globus.org"])])
        let provider = GlobusTokenProviderTests.provider(.tokenFile(store), stub: stub, clock: clock)
        #expect(try await provider.accessToken() == "a2")
        let saved = try #require(try store.load())
        #expect(saved.identityID == "b2c3-identity" && saved.identityUsername == "alice@uni.edu")
        let who = await provider.whoami()
        var expected = GlobusWhoami(
            mode: .login, clientID: "app", identityID: "b2c3-identity", identityUsername: "alice@uni.edu",
            accessTokenExpiresAt: clock.now.addingTimeInterval(7200), renewable: true, tokenFile: store.path.path)
        expected.refreshedAt = Date(timeIntervalSince1970: clock.now.timeIntervalSince1970.rounded(.down))
        #expect(who == expected)
    }

    @Test("a service account is its client: identity <client id>@clients.auth.globus.org")
    func serviceAccount() async throws {
        let clock = TestClock()
        let stub = StubTransport(responses: [jsonResponse(["access_token": "s1", "expires_in": 3600, "resource_server": "transfer.api.globus.org"])])
        let provider = GlobusTokenProviderTests.provider(
            .clientCredentials(GlobusClientCredentials(clientID: "svc-1", secret: "not-a-real-secret")), stub: stub, clock: clock)
        _ = try await provider.accessToken()
        let who = await provider.whoami()
        #expect(who.mode == .clientCredentials && who.identityUsername == "svc-1@clients.auth.globus.org")
        #expect(who.accessTokenExpiresAt == clock.now.addingTimeInterval(3600))
    }
}
