import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// Globus Auth against scripts/globus-emulator over CurlTransport: login with PKCE, rotating
/// refresh tokens, concurrent refreshes, client credentials, 401 recovery and revocation.
@Suite struct GlobusAuthIntegrationTests {
    static let logger = Logger(label: "copypt.test.globus")

    static func configuration(_ emulator: GlobusEmulator, tokenFile: URL? = nil, margin: Duration = .seconds(300)) throws -> GlobusConfiguration {
        var configuration = try GlobusConfiguration.fromEnvironment(emulator.environment, tokenFile: tokenFile)
        configuration.refreshMargin = margin
        return configuration
    }

    static func tokenFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("copypt-globus-it-\(UUID().uuidString)/globus-tokens.json")
    }

    /// Logs in as `clientID`'s user the way `copypt login` does: open the URL, read the code, exchange it.
    static func login(_ emulator: GlobusEmulator, clientID: String, store: GlobusTokenStore) async throws -> GlobusTokens {
        let auth = GlobusAuthClient(configuration: try configuration(emulator), transport: emulator.transport, logger: logger)
        let pkce = PKCE.generate()
        let page = try await emulator.transport.send(HTTPRequest(method: .get, url: auth.authorizeURL(clientID: clientID, pkce: pkce)))
        #expect(page.status == 200)
        let tokens = try await auth.exchange(code: page.bodyText, pkce: pkce, clientID: clientID)
        try store.save(tokens)
        return tokens
    }

    @Test("login with PKCE stores a refresh token, and the emulator rejects a wrong verifier")
    func login() async throws {
        let emulator = try await GlobusEmulator.start()
        try await emulator.registerClient("native-app")
        let store = GlobusTokenStore(path: Self.tokenFile())
        let tokens = try await Self.login(emulator, clientID: "native-app", store: store)
        #expect(tokens.refreshToken != nil)
        #expect(try store.load() == tokens)

        let auth = GlobusAuthClient(configuration: try Self.configuration(emulator), transport: emulator.transport, logger: Self.logger)
        let pkce = PKCE.generate()
        let code = try await emulator.authorizationCode(clientID: "native-app", codeChallenge: pkce.challenge)
        await #expect(throws: GlobusError.self) { try await auth.exchange(code: code, pkce: PKCE.generate(), clientID: "native-app") }
    }

    @Test("each refresh rotates the refresh token, saves it at once, and the old one is dead")
    func rotation() async throws {
        let emulator = try await GlobusEmulator.start(tokenLifetime: 60)
        try await emulator.registerClient("native-app")
        let store = GlobusTokenStore(path: Self.tokenFile())
        let first = try await Self.login(emulator, clientID: "native-app", store: store)
        let configuration = try Self.configuration(emulator, tokenFile: store.path)
        let provider = try GlobusTokenProvider.make(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        let access = try await provider.accessToken()  // 60 s left < 300 s margin: refreshes
        let saved = try #require(try store.load())
        #expect(saved.accessToken == access)
        #expect(saved.refreshToken != first.refreshToken)
        let auth = GlobusAuthClient(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        do {
            _ = try await auth.refresh(try #require(first.refreshToken), clientID: "native-app")
            Issue.record("a used refresh token must be refused")
        } catch let error as GlobusError {
            #expect(error.isAuthenticationFailure)
        }
    }

    @Test("two token providers refreshing the same file at once never lose a rotation")
    func concurrentRefresh() async throws {
        let emulator = try await GlobusEmulator.start(tokenLifetime: 60)
        try await emulator.registerClient("native-app")
        let store = GlobusTokenStore(path: Self.tokenFile())
        _ = try await Self.login(emulator, clientID: "native-app", store: store)
        // Lifetime 60 s is inside the 300 s margin, so every call refreshes: the worst case.
        let configuration = try Self.configuration(emulator, tokenFile: store.path)
        for _ in 0..<8 {
            let a = try GlobusTokenProvider.make(configuration: configuration, transport: emulator.transport, logger: Self.logger)
            let b = try GlobusTokenProvider.make(configuration: configuration, transport: emulator.transport, logger: Self.logger)
            async let tokenA = a.accessToken()
            async let tokenB = b.accessToken()
            let (ta, tb) = try await (tokenA, tokenB)
            #expect(!ta.isEmpty && !tb.isEmpty)
        }
        // The refresh token left in the file still works.
        let saved = try #require(try store.load())
        let auth = GlobusAuthClient(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        let again = try await auth.refresh(try #require(saved.refreshToken), clientID: "native-app")
        #expect(again.accessToken != saved.accessToken)
        let refreshes = try await emulator.requests().filter { $0.path == "/v2/oauth2/token" }
        #expect(refreshes.allSatisfy { $0.status == 200 })
    }

    @Test("client credentials need no token file; a wrong secret is a clear service-account error")
    func clientCredentials() async throws {
        let emulator = try await GlobusEmulator.start()
        let identity = try await emulator.registerClient("svc-account", secret: "emulator-secret-1")
        let taskID = try await emulator.createTask(ownerID: identity, status: "SUCCEEDED")
        var environment = emulator.environment
        environment["COPYPT_GLOBUS_CLIENT_ID"] = "svc-account"
        environment["COPYPT_GLOBUS_CLIENT_SECRET"] = "emulator-secret-1"
        let configuration = try GlobusConfiguration.fromEnvironment(environment)
        #expect(configuration.tokenFile == nil)
        let provider = try GlobusTokenProvider.make(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        let client = GlobusTransferClient(configuration: configuration, transport: emulator.transport, tokens: provider, logger: Self.logger)
        #expect(try await client.task(id: taskID).status == .succeeded)
        #expect(try await emulator.requests().first?.authScheme == "Basic")

        environment["COPYPT_GLOBUS_CLIENT_SECRET"] = "wrong-secret-2"
        let wrong = try GlobusTokenProvider.make(
            configuration: try GlobusConfiguration.fromEnvironment(environment), transport: emulator.transport, logger: Self.logger)
        do {
            _ = try await wrong.accessToken()
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error == .clientAuthenticationFailed(clientID: "svc-account", detail: "client authentication failed"))
            #expect(!error.description.contains("wrong-secret-2"))
        }
    }

    @Test("an expired access token gets 401, one refresh and one retry")
    func unauthorizedRecovers() async throws {
        let emulator = try await GlobusEmulator.start()
        let identity = try await emulator.registerClient("native-app")
        let taskID = try await emulator.createTask(ownerID: identity)
        let store = GlobusTokenStore(path: Self.tokenFile())
        _ = try await Self.login(emulator, clientID: "native-app", store: store)
        let configuration = try Self.configuration(emulator, tokenFile: store.path)
        let provider = try GlobusTokenProvider.make(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        let client = GlobusTransferClient(configuration: configuration, transport: emulator.transport, tokens: provider, logger: Self.logger)
        #expect(try await client.task(id: taskID).status == .active)
        try await emulator.expireTokens()
        try await emulator.clearRequests()
        #expect(try await client.task(id: taskID).status == .active)
        let log = try await emulator.requests()
        #expect(log.map(\.path) == ["/v0.10/task/\(taskID)", "/v2/oauth2/token", "/v0.10/task/\(taskID)"])
        #expect(log.map(\.status) == [401, 200, 200])
    }

    @Test("a revoked refresh token makes the next refresh say to log in again")
    func revoked() async throws {
        let emulator = try await GlobusEmulator.start()
        try await emulator.registerClient("native-app")
        let store = GlobusTokenStore(path: Self.tokenFile())
        let tokens = try await Self.login(emulator, clientID: "native-app", store: store)
        let configuration = try Self.configuration(emulator, tokenFile: store.path)
        let auth = GlobusAuthClient(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        try await auth.revoke(try #require(tokens.refreshToken), clientID: "native-app")
        try await auth.revoke(tokens.accessToken, clientID: "native-app")
        let provider = try GlobusTokenProvider.make(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        let client = GlobusTransferClient(configuration: configuration, transport: emulator.transport, tokens: provider, logger: Self.logger)
        do {
            _ = try await client.unfinishedTasks()
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error.isAuthenticationFailure)
            #expect(error.description.contains("copypt login"))
        }
    }
}
