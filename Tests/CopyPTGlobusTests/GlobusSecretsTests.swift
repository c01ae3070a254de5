@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

/// No token, secret or verifier in any log line or error description, across a whole flow.
@Suite struct GlobusSecretsTests {
    static let secrets = [
        "ACCESS-aaaaaaaaaaaaaaaa", "REFRESH-bbbbbbbbbbbbbbbb", "ACCESS-cccccccccccccccc", "REFRESH-dddddddddddddddd",
        "CLIENT-SECRET-eeeeeeeeeeee", "CC-ACCESS-ffffffffffffffff",
    ]

    @Test("logging at trace level through login, refresh, 401, retries and errors never shows a secret")
    func nothingLeaks() async throws {
        let capture = LogCapture()
        let configuration = GlobusConfiguration(authURL: "http://auth.test/", transferURL: "http://transfer.test/", maxAttempts: 2)
        let counter = Events()
        let stub = StubTransport(handler: { request in
            if request.url.hasPrefix("http://auth.test/v2/oauth2/token") {
                let body = String(decoding: request.body, as: UTF8.self)
                if body.contains("client_credentials") {
                    return jsonResponse(["access_token": "CC-ACCESS-ffffffffffffffff", "expires_in": 3600])
                }
                if body.contains("authorization_code") {
                    return jsonResponse(["access_token": "ACCESS-aaaaaaaaaaaaaaaa", "refresh_token": "REFRESH-bbbbbbbbbbbbbbbb", "expires_in": 3600])
                }
                return jsonResponse(["access_token": "ACCESS-cccccccccccccccc", "refresh_token": "REFRESH-dddddddddddddddd", "expires_in": 3600])
            }
            counter.add("t")
            if counter.items.count == 1 { return try Fixtures.response("globus-error-authentication-failed", status: 401) }
            if counter.items.count == 2 {
                return try Fixtures.response("globus-error-requests-exceeded", status: 429, headers: ["Retry-After": "0"])
            }
            return try Fixtures.response("globus-error-task-not-found", status: 404)
        })
        let auth = GlobusAuthClient(configuration: configuration, transport: stub, logger: capture.logger(), sleep: { _ in })
        let pkce = PKCE.generate()
        let loginURL = auth.authorizeURL(clientID: "app", pkce: pkce)
        capture.logger().info("login URL \(loginURL)")
        let tokens = try await auth.exchange(code: "code", pkce: pkce, clientID: "app")
        let store = GlobusTokenStore(path: try temporaryDirectory().appendingPathComponent("globus-tokens.json"))
        try store.save(tokens)
        let provider = GlobusTokenProvider(source: .tokenFile(store), auth: auth, logger: capture.logger(), sleep: { _ in })
        let client = GlobusTransferClient(configuration: configuration, transport: stub, tokens: provider, logger: capture.logger(), sleep: { _ in })
        var descriptions = [String]()
        do { _ = try await client.task(id: "t-1") } catch { descriptions.append("\(error)") }
        let service = GlobusTokenProvider(
            source: .clientCredentials(GlobusClientCredentials(clientID: "svc", secret: "CLIENT-SECRET-eeeeeeeeeeee")),
            auth: auth, logger: capture.logger())
        _ = try await service.accessToken()
        descriptions.append("\(GlobusClientCredentials(clientID: "svc", secret: "CLIENT-SECRET-eeeeeeeeeeee"))")
        descriptions.append("\(tokens)")
        descriptions.append("\(try #require(try store.load()))")
        descriptions.append("\(pkce)")

        #expect(!capture.lines.isEmpty)
        #expect(capture.lines.contains { $0.contains("401") })
        for line in capture.lines + descriptions {
            for secret in Self.secrets + [pkce.verifier] {
                #expect(!line.contains(secret), "leaked in: \(line)")
            }
        }
    }
}
