@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct GlobusTokenProviderTests {
    static let configuration = GlobusConfiguration(authURL: "http://auth.test/", transferURL: "http://transfer.test/", maxAttempts: 1)

    static func provider(
        _ source: GlobusTokenProvider.Source, stub: StubTransport, clock: TestClock, capture: LogCapture = LogCapture()
    ) -> GlobusTokenProvider {
        let auth = GlobusAuthClient(configuration: configuration, transport: stub, logger: capture.logger(), now: clock.function, sleep: { _ in })
        return GlobusTokenProvider(source: source, auth: auth, logger: capture.logger(), now: clock.function, sleep: { _ in })
    }

    static func store(expiresIn seconds: TimeInterval, clock: TestClock, access: String = "a1", refresh: String = "r1") throws -> GlobusTokenStore {
        let store = GlobusTokenStore(path: try temporaryDirectory().appendingPathComponent("globus-tokens.json"))
        try store.save(GlobusTokens(clientID: "app", accessToken: access, refreshToken: refresh,
                                    expiresAt: clock.now.addingTimeInterval(seconds), scope: GlobusConfiguration.transferScope))
        return store
    }

    @Test("a fresh stored token is used as is, without asking Globus")
    func freshToken() async throws {
        let clock = TestClock()
        let stub = StubTransport()
        let provider = Self.provider(.tokenFile(try Self.store(expiresIn: 3600, clock: clock)), stub: stub, clock: clock)
        #expect(try await provider.accessToken() == "a1")
        #expect(try await provider.accessToken() == "a1")
        #expect(stub.requests.isEmpty)
    }

    @Test("a token about to expire is refreshed, and the rotated refresh token is saved at once")
    func refreshBeforeExpiry() async throws {
        let clock = TestClock()
        let store = try Self.store(expiresIn: 120, clock: clock)
        let stub = StubTransport(responses: [jsonResponse(["access_token": "a2", "refresh_token": "r2", "expires_in": 172800,
                                                           "resource_server": "transfer.api.globus.org"])])
        let provider = Self.provider(.tokenFile(store), stub: stub, clock: clock)
        #expect(try await provider.accessToken() == "a2")
        let saved = try #require(try store.load())
        #expect(saved.refreshToken == "r2" && saved.accessToken == "a2")
        #expect(saved.expiresAt == clock.now.addingTimeInterval(172800))
        #expect(stub.requests.count == 1)
    }

    @Test("after a 401 the provider refreshes even though the token looked fresh")
    func refreshAfterRejection() async throws {
        let clock = TestClock()
        let store = try Self.store(expiresIn: 3600, clock: clock)
        let stub = StubTransport(responses: [jsonResponse(["access_token": "a2", "refresh_token": "r2", "expires_in": 3600])])
        let provider = Self.provider(.tokenFile(store), stub: stub, clock: clock)
        #expect(try await provider.accessToken() == "a1")
        #expect(try await provider.refresh(rejected: "a1") == "a2")
        #expect(try store.load()?.refreshToken == "r2")
    }

    @Test("if another process refreshed while we waited for the lock, its token is used and Globus is not asked")
    func anotherProcessRefreshed() async throws {
        let clock = TestClock()
        let store = try Self.store(expiresIn: 3600, clock: clock)
        let stub = StubTransport()
        let provider = Self.provider(.tokenFile(store), stub: stub, clock: clock)
        #expect(try await provider.accessToken() == "a1")
        // Another process rotates: new access and refresh token in the file.
        try store.save(GlobusTokens(clientID: "app", accessToken: "b1", refreshToken: "rb", expiresAt: clock.now.addingTimeInterval(3600),
                                    scope: GlobusConfiguration.transferScope))
        #expect(try await provider.refresh(rejected: "a1") == "b1")
        #expect(stub.requests.isEmpty)
    }

    @Test("concurrent callers share one refresh")
    func coalesced() async throws {
        let clock = TestClock()
        let store = try Self.store(expiresIn: 10, clock: clock)
        let stub = StubTransport(handler: { _ in
            jsonResponse(["access_token": "a2", "refresh_token": "r2", "expires_in": 3600])
        })
        let provider = Self.provider(.tokenFile(store), stub: stub, clock: clock)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.accessToken() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(tokens) == ["a2"])
        #expect(stub.requests.count == 1)
    }

    @Test("without a token file the error says to run copypt login")
    func notLoggedIn() async throws {
        let path = try temporaryDirectory().appendingPathComponent("globus-tokens.json")
        let provider = Self.provider(.tokenFile(GlobusTokenStore(path: path)), stub: StubTransport(), clock: TestClock())
        await #expect(throws: GlobusError.notLoggedIn(tokenFile: path.path)) { try await provider.accessToken() }
    }

    @Test("client credentials: one grant is cached until near expiry, then a new one is fetched")
    func clientCredentials() async throws {
        let clock = TestClock()
        let stub = StubTransport(responses: [
            jsonResponse(["access_token": "c1", "expires_in": 3600]), jsonResponse(["access_token": "c2", "expires_in": 3600]),
        ])
        let provider = Self.provider(.clientCredentials(GlobusClientCredentials(clientID: "svc", secret: "x")), stub: stub, clock: clock)
        #expect(try await provider.accessToken() == "c1")
        #expect(try await provider.accessToken() == "c1")
        clock.advance(3400)
        #expect(try await provider.accessToken() == "c2")
        #expect(stub.requests.count == 2)
        #expect(provider.serviceAccountClientID == "svc")
        #expect(provider.identity.contains("svc"))
    }

    @Test("make picks client credentials when id and secret are both set, else the token file")
    func make() throws {
        var configuration = Self.configuration
        configuration.tokenFile = URL(fileURLWithPath: "/tmp/t.json")
        let person = try GlobusTokenProvider.make(configuration: configuration, transport: StubTransport(), logger: LogCapture().logger())
        #expect(person.serviceAccountClientID == nil && person.identity.contains("/tmp/t.json"))
        configuration.clientID = "svc"
        configuration.clientSecret = "x"
        let account = try GlobusTokenProvider.make(configuration: configuration, transport: StubTransport(), logger: LogCapture().logger())
        #expect(account.serviceAccountClientID == "svc")
    }
}
