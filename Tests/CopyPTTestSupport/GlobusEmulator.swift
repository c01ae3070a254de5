import CopyPTHTTP
import Foundation

/// `scripts/globus-emulator` on a free loopback port, plus typed helpers for its control API
/// (`/_emulator/…`). Each test starts its own; it stops when released.
public final class GlobusEmulator: Sendable {
    /// The emulator process.
    public let server: ServerProcess
    /// The transport the helpers use (and tests may share).
    public let transport: CurlTransport

    /// The service root for both Auth and Transfer, with a trailing slash.
    public var root: String { server.baseURL + "/" }

    /// `GLOBUS_SDK_SERVICE_URL_AUTH` and `…_TRANSFER` pointing at this emulator.
    public var environment: [String: String] {
        ["GLOBUS_SDK_SERVICE_URL_AUTH": root, "GLOBUS_SDK_SERVICE_URL_TRANSFER": root]
    }

    private init(server: ServerProcess, transport: CurlTransport) {
        self.server = server
        self.transport = transport
    }

    /// Starts the emulator and returns once it accepts connections (waiting without blocking a
    /// thread of Swift's cooperative pool).
    /// - Parameters:
    ///   - pageSize: `successful_transfers` page size (default the emulator's 1000).
    ///   - tokenLifetime: access-token lifetime in seconds (default 172800).
    public static func start(pageSize: Int? = nil, tokenLifetime: Int? = nil) async throws -> GlobusEmulator {
        var arguments = ["{port}"]
        if let pageSize { arguments += ["--page-size", String(pageSize)] }
        if let tokenLifetime { arguments += ["--token-lifetime", String(tokenLifetime)] }
        let server = try await ServerProcess.launch(executable: ProjectPaths.script("globus-emulator").path, arguments: arguments)
        return GlobusEmulator(server: server, transport: try CurlTransport())
    }

    /// Stops the emulator now, blocking the calling thread: for `deinit` and other synchronous
    /// code; async code calls ``shutdown()``.
    public func stop() { server.stop() }

    /// Stops the emulator now and waits until it has exited, without blocking a pool thread.
    public func shutdown() async { await server.shutdown() }

    // MARK: - Control API

    /// Registers a client; returns the identity id its tokens act as.
    /// `refreshTokens: false` registers a client whose logins get no refresh token.
    @discardableResult
    public func registerClient(
        _ clientID: String, secret: String? = nil, identityID: String? = nil, refreshTokens: Bool = true
    ) async throws -> String {
        var body: [String: Any] = ["client_id": clientID, "refresh_tokens": refreshTokens]
        if let secret { body["client_secret"] = secret }
        if let identityID { body["identity_id"] = identityID }
        let answer = try await control("clients", body)
        return answer["identity_id"] as? String ?? ""
    }

    /// A one-time authorization code for `clientID`'s user, bound to `codeChallenge`, as if
    /// the person had logged in in a browser.
    public func authorizationCode(clientID: String, codeChallenge: String, identityID: String? = nil) async throws -> String {
        var body: [String: Any] = ["client_id": clientID, "code_challenge": codeChallenge]
        if let identityID { body["identity_id"] = identityID }
        return try await control("authorization_code", body)["code"] as? String ?? ""
    }

    /// One file a task will list in `successful_transfers`.
    public struct File: Sendable {
        public var sourcePath: String
        public var destinationPath: String
        public var size: Int?
        public var checksum: String?
        public var checksumAlgorithm: String?
        public init(sourcePath: String, destinationPath: String, size: Int? = nil, checksum: String? = nil, checksumAlgorithm: String? = nil) {
            self.sourcePath = sourcePath
            self.destinationPath = destinationPath
            self.size = size
            self.checksum = checksum
            self.checksumAlgorithm = checksumAlgorithm
        }
    }

    /// Creates one task owned by `ownerID`; returns its id.
    public func createTask(
        ownerID: String, status: String = "ACTIVE", label: String? = nil, files: [File] = [], taskID: String? = nil
    ) async throws -> String {
        var spec: [String: Any] = ["owner_id": ownerID, "status": status]
        if let label { spec["label"] = label }
        if let taskID { spec["task_id"] = taskID }
        spec["files"] = files.map { file -> [String: Any] in
            var item: [String: Any] = ["source_path": file.sourcePath, "destination_path": file.destinationPath]
            if let size = file.size { item["size"] = size }
            if let checksum = file.checksum { item["checksum"] = checksum }
            if let algorithm = file.checksumAlgorithm { item["checksum_algorithm"] = algorithm }
            return item
        }
        let answer = try await control("tasks", ["tasks": [spec]])
        return (answer["task_ids"] as? [String])?.first ?? ""
    }

    /// Creates `count` file-less tasks in one call; returns their ids in order.
    public func createTasks(count: Int, ownerID: String, status: String = "ACTIVE") async throws -> [String] {
        let answer = try await control("tasks", ["count": count, "owner_id": ownerID, "status": status])
        return answer["task_ids"] as? [String] ?? []
    }

    /// Changes a task: status (ACTIVE, INACTIVE, SUCCEEDED, FAILED), lost history, owner, …
    public func updateTask(
        _ taskID: String, status: String? = nil, historyDeleted: Bool? = nil, niceStatus: String? = nil,
        fatalError: (code: String, description: String)? = nil, ownerID: String? = nil
    ) async throws {
        var body: [String: Any] = [:]
        if let status { body["status"] = status }
        if let historyDeleted { body["history_deleted"] = historyDeleted }
        if let niceStatus { body["nice_status"] = niceStatus }
        if let fatalError { body["fatal_error"] = ["code": fatalError.code, "description": fatalError.description] }
        if let ownerID { body["owner_id"] = ownerID }
        _ = try await control("tasks/\(taskID)", body)
    }

    /// Queues faults for the next Transfer calls: each `(status, retryAfter)` answers one request.
    public func queueFaults(_ faults: [(status: Int, retryAfter: Int?)], pathPrefix: String? = nil) async throws {
        let queue = faults.map { fault -> [String: Any] in
            var item: [String: Any] = ["status": fault.status]
            if let retryAfter = fault.retryAfter { item["retry_after"] = retryAfter }
            if let pathPrefix { item["path_prefix"] = pathPrefix }
            return item
        }
        _ = try await control("faults", ["queue": queue])
    }

    /// Queues `times` canned answers for the next Transfer calls whose path starts with
    /// `pathPrefix`: an error document with `code` and `message`, or `body` (any JSON value) as is.
    public func queueReply(
        status: Int, code: String? = nil, message: String? = nil, body: Any? = nil, pathPrefix: String? = nil, times: Int = 1
    ) async throws {
        var item: [String: Any] = ["status": status]
        if let code { item["code"] = code }
        if let message { item["message"] = message }
        if let body { item["body"] = body }
        if let pathPrefix { item["path_prefix"] = pathPrefix }
        _ = try await control("faults", ["queue": Array(repeating: item, count: times)])
    }

    /// Random faults: this share of Transfer calls answers 429 (with `Retry-After`) or a 5xx.
    public func setFaultRates(rate429: Double = 0, rate5xx: Double = 0, status5xx: Int = 503, retryAfter: Int = 1) async throws {
        _ = try await control("faults", ["rate_429": rate429, "rate_5xx": rate5xx, "status_5xx": status5xx, "retry_after": retryAfter])
    }

    /// Emulator settings.
    public func configure(pageSize: Int? = nil, tokenLifetime: Int? = nil, rotateRefreshTokens: Bool? = nil) async throws {
        var body: [String: Any] = [:]
        if let pageSize { body["page_size"] = pageSize }
        if let tokenLifetime { body["token_lifetime"] = tokenLifetime }
        if let rotateRefreshTokens { body["rotate_refresh_tokens"] = rotateRefreshTokens }
        _ = try await control("settings", body)
    }

    /// Every access token issued so far stops working (Transfer answers 401).
    public func expireTokens() async throws {
        _ = try await control("expire_tokens", [:])
    }

    /// One logged request to Auth or Transfer.
    public struct LoggedRequest: Sendable, Decodable {
        public var method: String
        public var path: String
        public var query: String
        public var url: String
        public var urlLength: Int
        public var status: Int?
        public var authScheme: String?

        enum CodingKeys: String, CodingKey {
            case method, path, query, url, status
            case urlLength = "url_length"
            case authScheme = "auth_scheme"
        }
    }

    /// The request log (control calls excluded).
    public func requests() async throws -> [LoggedRequest] {
        let response = try await transport.send(HTTPRequest(method: .get, url: root + "_emulator/requests"))
        struct Log: Decodable { var requests: [LoggedRequest] }
        return try JSONDecoder().decode(Log.self, from: Data(response.body)).requests
    }

    /// Empties the request log.
    public func clearRequests() async throws {
        _ = try await transport.send(HTTPRequest(method: .delete, url: root + "_emulator/requests"))
    }

    // MARK: - Plumbing

    /// Why a control call failed.
    public struct ControlError: Error, CustomStringConvertible {
        public let description: String
    }

    @discardableResult
    func control(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: body)
        let response = try await transport.send(HTTPRequest(
            method: .post, url: root + "_emulator/" + path,
            headers: ["Content-Type": "application/json"], body: Array(data)))
        guard response.isSuccess else {
            throw ControlError(description: "emulator control \(path) answered \(response.status): \(response.bodyText)")
        }
        return (try JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }
}
