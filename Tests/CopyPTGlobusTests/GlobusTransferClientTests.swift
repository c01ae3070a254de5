@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct GlobusTransferClientTests {
    static let configuration = GlobusConfiguration(authURL: "http://auth.test/", transferURL: "http://transfer.test/")

    static func client(
        _ stub: StubTransport, tokens: GlobusTokenProvider? = nil, sleeps: SleepRecorder = SleepRecorder(),
        capture: LogCapture = LogCapture(), configuration: GlobusConfiguration = configuration
    ) -> GlobusTransferClient {
        let auth = GlobusAuthClient(configuration: configuration, transport: stub, logger: capture.logger(), sleep: sleeps.sleep)
        let provider = tokens ?? GlobusTokenProvider(source: .fixed(accessToken: "fixed-token"), auth: auth, logger: capture.logger())
        return GlobusTransferClient(configuration: configuration, transport: stub, tokens: provider, logger: capture.logger(), sleep: sleeps.sleep)
    }

    /// A token-file provider whose refresh answers come from `stub`.
    static func fileTokens(_ stub: StubTransport, access: String, refresh: String, capture: LogCapture = LogCapture()) throws -> GlobusTokenProvider {
        let store = GlobusTokenStore(path: try temporaryDirectory().appendingPathComponent("globus-tokens.json"))
        try store.save(GlobusTokens(clientID: "app", accessToken: access, refreshToken: refresh,
                                    expiresAt: Date().addingTimeInterval(3600), scope: GlobusConfiguration.transferScope))
        let auth = GlobusAuthClient(configuration: configuration, transport: stub, logger: capture.logger())
        return GlobusTokenProvider(source: .tokenFile(store), auth: auth, logger: capture.logger())
    }

    static func transferRequests(_ stub: StubTransport) -> [HTTPRequest] {
        stub.requests.filter { $0.url.hasPrefix("http://transfer.test/") }
    }

    // MARK: - Authentication

    @Test("requests carry Authorization: Bearer and ask for JSON")
    func bearer() async throws {
        let stub = StubTransport(responses: [try Fixtures.response("globus-task-active")])
        let task = try await Self.client(stub).task(id: "91a0b1c2-0d2c-11f1-9a3b-0242ac120002")
        #expect(task.status == .active)
        let request = try #require(stub.requests.first)
        #expect(request.url == "http://transfer.test/v0.10/task/91a0b1c2-0d2c-11f1-9a3b-0242ac120002")
        #expect(request.headers["Authorization"] == "Bearer fixed-token")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.timeout == .seconds(60))
        #expect(request.maxResponseBytes == 32 << 20)
    }

    @Test("a 401 triggers one refresh and one retry with the new token")
    func unauthorizedThenRefresh() async throws {
        let stub = StubTransport(handler: { request in
            if request.url.hasPrefix("http://auth.test/") {
                return jsonResponse(["access_token": "access-NEW-77", "refresh_token": "refresh-NEW-77", "expires_in": 3600])
            }
            if request.headers["Authorization"] == "Bearer access-NEW-77" { return try Fixtures.response("globus-task-succeeded") }
            return try Fixtures.response("globus-error-authentication-failed", status: 401)
        })
        let client = Self.client(stub, tokens: try Self.fileTokens(stub, access: "access-OLD-11", refresh: "refresh-OLD-11"))
        let task = try await client.task(id: "7b1e4a58-0d2c-11f1-9a3b-0242ac120002")
        #expect(task.status == .succeeded)
        #expect(Self.transferRequests(stub).map { $0.headers["Authorization"] } == ["Bearer access-OLD-11", "Bearer access-NEW-77"])
        #expect(stub.requests.filter { $0.url.hasPrefix("http://auth.test/") }.count == 1)
    }

    @Test("a 401 after the refresh gives up with an error saying to run copypt login, naming no token")
    func unauthorizedTwice() async throws {
        let stub = StubTransport(handler: { request in
            if request.url.hasPrefix("http://auth.test/") {
                return jsonResponse(["access_token": "access-NEW-77", "refresh_token": "refresh-NEW-77", "expires_in": 3600])
            }
            return try Fixtures.response("globus-error-authentication-failed", status: 401)
        })
        let client = Self.client(stub, tokens: try Self.fileTokens(stub, access: "access-OLD-11", refresh: "refresh-OLD-11"))
        do {
            _ = try await client.unfinishedTasks()
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error.isAuthenticationFailure)
            #expect(error.description.contains("copypt login"))
            for secret in ["access-OLD-11", "access-NEW-77", "refresh-OLD-11", "refresh-NEW-77"] {
                #expect(!error.description.contains(secret))
            }
        }
        #expect(Self.transferRequests(stub).count == 2)
    }

    // MARK: - Retries

    @Test("429 with Retry-After waits exactly that long, then succeeds")
    func tooManyRequests() async throws {
        let stub = StubTransport(responses: [
            try Fixtures.response("globus-error-requests-exceeded", status: 429, headers: ["Retry-After": "3"]),
            try Fixtures.response("globus-task-active"),
        ])
        let sleeps = SleepRecorder()
        let task = try await Self.client(stub, sleeps: sleeps).task(id: "91a0b1c2-0d2c-11f1-9a3b-0242ac120002")
        #expect(task.status == .active)
        #expect(sleeps.sleeps == [.seconds(3)])
    }

    @Test("500, 502, 503 and 504 are retried with back-off; after the last attempt the error is retryable", arguments: [500, 502, 503, 504])
    func serverErrors(_ status: Int) async throws {
        let stub = StubTransport(handler: { _ in try Fixtures.response("globus-error-no-request-id", status: status) })
        let sleeps = SleepRecorder()
        do {
            _ = try await Self.client(stub, sleeps: sleeps).task(id: "t")
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error.isRetryable)
        }
        #expect(stub.requests.count == 5)
        #expect(sleeps.sleeps == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
    }

    @Test("an endpoint's own ExternalError or EndpointError is not retried within the run, as globus-sdk, yet stays transient",
          arguments: ["ExternalError.DirListingFailed", "EndpointError"])
    func endpointErrorsNotRetried(_ code: String) async throws {
        let stub = StubTransport(handler: { _ in jsonResponse(["code": code, "message": "endpoint trouble", "request_id": "r"], status: 502) })
        do {
            _ = try await Self.client(stub).task(id: "t")
            Issue.record("expected an error")
        } catch let error as GlobusError {
            #expect(error.isRetryable)
        }
        #expect(stub.requests.count == 1)
    }

    @Test("a transport failure is retried; TLS trust failures are not")
    func transportFailures() async throws {
        let stub = StubTransport()
        stub.enqueue(failure: .connectionLost(host: "transfer.test", detail: "reset"))
        stub.enqueue(try Fixtures.response("globus-task-active"))
        #expect(try await Self.client(stub).task(id: "t").status == .active)
        let tls = StubTransport()
        tls.enqueue(failure: .tls(host: "transfer.test", detail: "untrusted"))
        await #expect(throws: GlobusError.self) { try await Self.client(tls).task(id: "t") }
        #expect(tls.requests.count == 1)
    }

    // MARK: - task/{id}

    @Test("404 TaskNotFound is a permanent error naming the identity copypt used")
    func taskNotFound() async throws {
        let stub = StubTransport(responses: [try Fixtures.response("globus-error-task-not-found", status: 404)])
        let client = Self.client(stub)
        await #expect(throws: GlobusError.taskNotFound(taskID: "gone", identity: client.tokens.identity, requestID: "Xa1Bc2De3")) {
            try await client.task(id: "gone")
        }
        #expect(stub.requests.count == 1)
    }
}
