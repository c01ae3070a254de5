@testable import CopyPTCLI
@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// The emulator's task submission (scripts/lib/globus_emulator_submit.py) against moto, and
/// copypt's side of consents: ConsentRequired read as a `copypt login --collection` line, a
/// login or a service account asking for the data_access scope, and the emulator accepting it.
@Suite struct GlobusSubmissionEmulatorTests {
    static let logger = Logger(label: "copypt.test.globus")

    struct Setup {
        let emulator: GlobusEmulator
        let s3: S3MotoFixture
        let folder: URL
        let source: String
        let staging: String
        let environment: [String: String]
    }

    /// moto with bucket `staging`, a local folder with run42/{a.txt, sub/b.bin}, a source
    /// collection on the folder and a staging collection on moto (`consent`: it needs data_access).
    static func setup(consent: Bool = false, mfa: Bool = false) async throws -> Setup {
        let s3 = try await S3MotoFixture()
        try await s3.createBucket("staging")
        let emulator = try await GlobusEmulator.start()
        try await emulator.registerClient("svc", secret: "emulator-secret")
        let folder = try TemporaryDirectory.make("copypt-emu-src")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("run42/sub"), withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: folder.appendingPathComponent("run42/a.txt"))
        try Data(S3MotoFixture.bytes(70_000)).write(to: folder.appendingPathComponent("run42/sub/b.bin"))
        let source = try await emulator.registerFolderCollection(root: folder.path, displayName: "lab disk")
        let staging = try await emulator.registerS3Collection(
            endpointURL: s3.moto.endpoint, dataAccessConsent: consent, sessionRequiredMFA: mfa)
        var environment = emulator.environment
        environment["COPYPT_GLOBUS_CLIENT_ID"] = "svc"
        environment["COPYPT_GLOBUS_CLIENT_SECRET"] = "emulator-secret"
        return Setup(emulator: emulator, s3: s3, folder: folder, source: source, staging: staging, environment: environment)
    }

    static func token(_ environment: [String: String], transport: any HTTPTransport) async throws -> String {
        let configuration = try GlobusConfiguration.fromEnvironment(environment)
        return try await GlobusTokenProvider.make(configuration: configuration, transport: transport, logger: logger).accessToken()
    }

    static func call(
        _ s: Setup, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil,
        timeout: Duration? = .seconds(60)
    ) async throws -> (HTTPResponse, [String: Any]) {
        let request = HTTPRequest(
            method: method, url: s.emulator.root + "v0.10/" + path,
            headers: ["Authorization": "Bearer " + token, "Content-Type": "application/json"],
            body: try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? [], timeout: timeout)
        let response = try await s.emulator.transport.send(request)
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response, object)
    }

    static func document(_ s: Setup, submissionID: String, label: String = "run42") -> [String: Any] {
        [
            "DATA_TYPE": "transfer", "submission_id": submissionID, "source_endpoint": s.source,
            "destination_endpoint": s.staging, "label": label, "verify_checksum": true,
            "notify_on_succeeded": false, "notify_on_failed": false, "notify_on_inactive": false,
            "DATA": [["DATA_TYPE": "transfer_item", "source_path": "/run42/", "destination_path": "/staging/run42/", "recursive": true]],
        ]
    }

    static func submissionID(_ s: Setup, token: String) async throws -> String {
        let (response, answer) = try await call(s, .get, "submission_id", token: token)
        #expect(response.status == 200)
        return try #require(answer["value"] as? String)
    }

    @Test("a submitted transfer copies the local folder into moto: ACTIVE for one poll, then SUCCEEDED with successful_transfers")
    func submitAndCopy() async throws {
        let s = try await Self.setup()
        let token = try await Self.token(s.environment, transport: s.emulator.transport)
        let sid = try await Self.submissionID(s, token: token)
        let (accepted, result) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: sid))
        #expect(accepted.status == 202)
        #expect(result["code"] as? String == "Accepted" && result["DATA_TYPE"] as? String == "transfer_result")
        #expect(result["submission_id"] as? String == sid)
        let taskID = try #require(result["task_id"] as? String)

        let (_, first) = try await Self.call(s, .get, "task/\(taskID)", token: token)
        #expect(first["status"] as? String == "ACTIVE" && first["label"] as? String == "run42")
        #expect(first["source_endpoint_id"] as? String == s.source && first["destination_endpoint_id"] as? String == s.staging)
        let (_, second) = try await Self.call(s, .get, "task/\(taskID)", token: token)
        #expect(second["status"] as? String == "SUCCEEDED")
        #expect(second["files_transferred"] as? Int == 2 && second["bytes_transferred"] as? Int == 70_005)

        let (_, page) = try await Self.call(s, .get, "task/\(taskID)/successful_transfers", token: token)
        let files = try #require(page["DATA"] as? [[String: Any]])
        #expect(files.map { $0["source_path"] as? String } == ["/run42/a.txt", "/run42/sub/b.bin"])
        #expect(files.map { $0["destination_path"] as? String } == ["/staging/run42/a.txt", "/staging/run42/sub/b.bin"])
        #expect(try await s.s3.get("staging", "run42/a.txt") == Array("hello".utf8))
        #expect(try await s.s3.get("staging", "run42/sub/b.bin") == S3MotoFixture.bytes(70_000))

        // The same task through copypt's own reader of successful_transfers.
        let client = GlobusTransferClient(
            configuration: try GlobusConfiguration.fromEnvironment(s.environment), transport: s.emulator.transport,
            tokens: try GlobusTokenProvider.make(
                configuration: try GlobusConfiguration.fromEnvironment(s.environment), transport: s.emulator.transport, logger: Self.logger),
            logger: Self.logger)
        let statuses = try await client.statuses(for: [taskID])
        #expect(statuses[taskID]?.task?.status == .succeeded)
    }

    @Test("a reused submission_id answers Duplicate with the original task, also after a lost reply; never a second task")
    func duplicate() async throws {
        let s = try await Self.setup()
        let token = try await Self.token(s.environment, transport: s.emulator.transport)
        try await s.emulator.configureSubmissions(loseReplies: 1)
        let sid = try await Self.submissionID(s, token: token)
        let (lost, _) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: sid))
        #expect(lost.status == 502)
        let (again, result) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: sid, label: "other"))
        #expect(again.status == 200 && result["code"] as? String == "Duplicate")
        let (thrice, third) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: sid))
        #expect(thrice.status == 200 && third["task_id"] as? String == result["task_id"] as? String)
        let submitted = try await s.emulator.submissions()
        #expect(submitted.tasksCreated == 1 && submitted.transferPosts == 3)
        #expect(submitted.submissions.map(\.attempts) == [3] && submitted.submissions.first?.taskID == result["task_id"] as? String)
        // A client that gave up waiting (or was killed) mid-submission: the task exists, and
        // the same submission_id finds it.
        try await s.emulator.configureSubmissions(replyDelay: 3)
        let late = try await Self.submissionID(s, token: token)
        await #expect(throws: (any Error).self) {
            _ = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: late), timeout: .milliseconds(500))
        }
        try await s.emulator.configureSubmissions(replyDelay: 0)
        let (found, original) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: late))
        #expect(found.status == 200 && original["code"] as? String == "Duplicate")
        #expect(try await s.emulator.submissions().tasksCreated == 2)
        // Another identity's submission_id is its own.
        try await s.emulator.registerClient("svc2", secret: "other-secret")
        var environment = s.environment
        environment["COPYPT_GLOBUS_CLIENT_ID"] = "svc2"
        environment["COPYPT_GLOBUS_CLIENT_SECRET"] = "other-secret"
        let otherToken = try await Self.token(environment, transport: s.emulator.transport)
        let (other, _) = try await Self.call(s, .post, "transfer", token: otherToken, body: Self.document(s, submissionID: sid))
        #expect(other.status == 202)
    }

    @Test("malformed documents and unknown collections are refused with Transfer's codes; endpoint/{id} describes each collection")
    func refusals() async throws {
        let s = try await Self.setup()
        let token = try await Self.token(s.environment, transport: s.emulator.transport)
        let sid = try await Self.submissionID(s, token: token)
        var document = Self.document(s, submissionID: sid)
        document["DATA"] = [[String: Any]]()
        var (response, answer) = try await Self.call(s, .post, "transfer", token: token, body: document)
        #expect(response.status == 400 && answer["code"] as? String == "ClientError.BadRequest.NoTransferItems")
        document = Self.document(s, submissionID: "not-a-uuid")
        (response, answer) = try await Self.call(s, .post, "transfer", token: token, body: document)
        #expect(response.status == 400 && answer["code"] as? String == "ClientError.BadRequest")
        document = Self.document(s, submissionID: sid)
        document["destination_endpoint"] = UUID().uuidString.lowercased()
        (response, answer) = try await Self.call(s, .post, "transfer", token: token, body: document)
        #expect(response.status == 404 && answer["code"] as? String == "EndpointNotFound")
        #expect(try await s.emulator.submissions().tasksCreated == 0)

        (response, answer) = try await Self.call(s, .get, "endpoint/\(s.staging)", token: token)
        #expect(response.status == 200 && answer["DATA_TYPE"] as? String == "endpoint")
        #expect(answer["entity_type"] as? String == "GCSv5_mapped_collection" && answer["high_assurance"] as? Bool == false)
        #expect(answer["connector_id"] as? String == "7643e831-5f6c-4b47-a07f-8ee90f401d23")
        (response, answer) = try await Self.call(s, .get, "endpoint/\(s.source)", token: token)
        #expect(answer["display_name"] as? String == "lab disk" && answer["storage_type"] as? String == "posix")
        (response, _) = try await Self.call(s, .get, "endpoint/\(UUID().uuidString)", token: token)
        #expect(response.status == 404)
    }

    @Test("a task told to fail ends FAILED with its fatal_error; a missing source path fails as FILE_NOT_FOUND")
    func failures() async throws {
        let s = try await Self.setup()
        let token = try await Self.token(s.environment, transport: s.emulator.transport)
        try await s.emulator.configureSubmissions(activePolls: 0, failNext: 1)
        var (_, result) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: UUID().uuidString))
        var (_, task) = try await Self.call(s, .get, "task/\(try #require(result["task_id"] as? String))", token: token)
        #expect(task["status"] as? String == "FAILED")
        #expect((task["fatal_error"] as? [String: Any])?["code"] as? String == "PERMISSION_DENIED")
        var document = Self.document(s, submissionID: UUID().uuidString)
        document["DATA"] = [["DATA_TYPE": "transfer_item", "source_path": "/run43/", "destination_path": "/staging/run43/", "recursive": true]]
        (_, result) = try await Self.call(s, .post, "transfer", token: token, body: document)
        (_, task) = try await Self.call(s, .get, "task/\(try #require(result["task_id"] as? String))", token: token)
        #expect(task["status"] as? String == "FAILED")
        #expect((task["fatal_error"] as? [String: Any])?["code"] as? String == "FILE_NOT_FOUND")
    }

    @Test("a submitted task set INACTIVE through the control API makes no progress until it is ACTIVE again")
    func heldWhileInactive() async throws {
        let s = try await Self.setup()
        let token = try await Self.token(s.environment, transport: s.emulator.transport)
        try await s.emulator.configureSubmissions(activePolls: 0)
        let (_, result) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: UUID().uuidString))
        let taskID = try #require(result["task_id"] as? String)
        try await s.emulator.updateTask(taskID, status: "INACTIVE")
        for _ in 0..<3 {
            let (_, task) = try await Self.call(s, .get, "task/\(taskID)", token: token)
            #expect(task["status"] as? String == "INACTIVE")
        }
        try await s.emulator.updateTask(taskID, status: "ACTIVE")
        let (_, task) = try await Self.call(s, .get, "task/\(taskID)", token: token)
        #expect(task["status"] as? String == "SUCCEEDED" && task["files_transferred"] as? Int == 2)
    }

    @Test("ConsentRequired until the service account asks for the staging collection's data_access (COPYPT_GLOBUS_DATA_ACCESS); copypt reads it as one line naming `copypt login --collection`")
    func consentServiceAccount() async throws {
        let s = try await Self.setup(consent: true)
        let token = try await Self.token(s.environment, transport: s.emulator.transport)
        let document = Self.document(s, submissionID: UUID().uuidString)
        let (refused, _) = try await Self.call(s, .post, "transfer", token: token, body: document)
        #expect(refused.status == 403)
        let error = GlobusTransferClient.serviceError(refused, operation: "submitting the Globus transfer")
        guard case .authorizationRequired(_, 403, let requirement) = error else {
            Issue.record("expected authorizationRequired, got \(error)")
            return
        }
        #expect(requirement.collectionIDs == [s.staging])
        #expect(error.description.contains("run `copypt login --collection \(s.staging)`"))
        #expect(GlobusCommandSupport.exitCode(for: error).rawValue == 2)
        #expect(try await s.emulator.submissions().tasksCreated == 0)

        var environment = s.environment
        environment["COPYPT_GLOBUS_DATA_ACCESS"] = s.staging
        let consented = try await Self.token(environment, transport: s.emulator.transport)
        let (accepted, _) = try await Self.call(s, .post, "transfer", token: consented, body: document)
        #expect(accepted.status == 202)
        let tokenRequest = try await s.emulator.requests().filter { $0.path == "/v2/oauth2/token" }
        #expect(tokenRequest.count == 2 && tokenRequest.allSatisfy { $0.status == 200 })
    }

    @Test("`copypt login --collection UUID` puts the data_access dependency in the login URL's scope; its tokens pass the consent check, a plain login's do not")
    func consentLogin() async throws {
        let s = try await Self.setup(consent: true)
        try await s.emulator.registerClient("native-app")
        let directory = try TemporaryDirectory.make("copypt-emu-login")
        let tokenFile = directory.appendingPathComponent("copypt/globus-tokens.json")
        let configuration = try GlobusConfiguration.fromEnvironment(s.emulator.environment, tokenFile: tokenFile)
        let login = GlobusLogin(configuration: configuration, transport: s.emulator.transport, logger: Self.logger)

        func logIn(_ request: GlobusLoginRequest) async throws -> (url: String, token: String) {
            var seen = ""
            _ = try await login.run(clientID: "native-app", request: request) { url in
                seen = url
                return try await s.emulator.transport.send(HTTPRequest(method: .get, url: url)).bodyText
            }
            let tokens = try #require(try GlobusTokenStore(path: tokenFile).load())
            return (seen, tokens.accessToken)
        }

        let plain = try await logIn(GlobusLoginRequest())
        var (response, _) = try await Self.call(s, .post, "transfer", token: plain.token, body: Self.document(s, submissionID: UUID().uuidString))
        #expect(response.status == 403)

        let command = try CopyPTCommand.Login.parse(["--collection", s.staging.uppercased(), "--no-browser"])
        let consented = try await logIn(command.request)
        let scope = try #require(URLParts(consented.url).query.split(separator: "&").first { $0.hasPrefix("scope=") })
        #expect(scope.removingPercentEncoding?.replacingOccurrences(of: "+", with: " ")
            == "scope=openid profile email urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/\(s.staging)/data_access]")
        (response, _) = try await Self.call(s, .post, "transfer", token: consented.token, body: Self.document(s, submissionID: UUID().uuidString))
        #expect(response.status == 202)

        // A refreshed access token keeps the consent.
        try await s.emulator.expireTokens()
        let refreshed = try await GlobusTokenProvider.make(configuration: configuration, transport: s.emulator.transport, logger: Self.logger)
            .refresh(rejected: consented.token)
        (response, _) = try await Self.call(s, .post, "transfer", token: refreshed, body: Self.document(s, submissionID: UUID().uuidString))
        #expect(response.status == 202)
    }

    @Test("a collection that requires an MFA session: copypt names `copypt login --mfa`; a login asking for it passes")
    func sessionMFA() async throws {
        let s = try await Self.setup(mfa: true)
        let token = try await Self.token(s.environment, transport: s.emulator.transport)
        var (response, _) = try await Self.call(s, .post, "transfer", token: token, body: Self.document(s, submissionID: UUID().uuidString))
        #expect(response.status == 403)
        let error = GlobusTransferClient.serviceError(response, operation: "submitting the Globus transfer")
        guard case .authorizationRequired(_, 403, let requirement) = error else {
            Issue.record("expected authorizationRequired, got \(error)")
            return
        }
        #expect(requirement.sessionRequiredMFA && requirement.loginCommand == "copypt login --mfa")
        #expect(error.description.contains("multi-factor authentication"))

        try await s.emulator.registerClient("native-app")
        let tokenFile = try TemporaryDirectory.make("copypt-emu-mfa").appendingPathComponent("t.json")
        let configuration = try GlobusConfiguration.fromEnvironment(s.emulator.environment, tokenFile: tokenFile)
        let login = GlobusLogin(configuration: configuration, transport: s.emulator.transport, logger: Self.logger)
        _ = try await login.run(clientID: "native-app", request: try CopyPTCommand.Login.parse(["--mfa"]).request) { url in
            #expect(url.contains("session_required_mfa=true") && url.contains("prompt=login"))
            return try await s.emulator.transport.send(HTTPRequest(method: .get, url: url)).bodyText
        }
        let tokens = try #require(try GlobusTokenStore(path: tokenFile).load())
        (response, _) = try await Self.call(s, .post, "transfer", token: tokens.accessToken, body: Self.document(s, submissionID: UUID().uuidString))
        #expect(response.status == 202)
    }

    @Test("`copypt login` refuses a --collection, --session-identity or --session-domain that is not one before anything happens")
    func loginValidation() {
        #expect(throws: (any Error).self) { try CopyPTCommand.Login.parse(["--collection", "staging"]) }
        #expect(throws: (any Error).self) { try CopyPTCommand.Login.parse(["--session-identity", "me@example.org"]) }
        #expect(throws: (any Error).self) { try CopyPTCommand.Login.parse(["--session-domain", "a b"]) }
        let ok = try? CopyPTCommand.Login.parse(["--collection", UUID().uuidString, "--mfa", "--session-domain", "uchicago.edu"])
        #expect(ok?.request.sessionParameters.map(\.0) == ["session_required_single_domain", "session_required_mfa", "prompt"])
    }
}
