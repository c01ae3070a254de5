import CopyPTHTTP
import CopyPTJSON
import Foundation
import Logging

/// The Globus Transfer API v0.10 calls copypt needs: task status in few requests, and the
/// files a task delivered.
///
/// Request pipeline, in order: build the URL → `Authorization: Bearer` from the token provider →
/// pace (≤ `requestsPerSecond` in any second, shared by all copies of this client) → send →
/// retry 429/500/502/503/504 with back-off honouring `Retry-After` (not an endpoint's own
/// `ExternalError`/`EndpointError`, as globus-sdk) → on 401 refresh once and
/// retry once → decode the error document into ``GlobusError``.
/// Docs followed: docs.globus.org/api/transfer/overview (base URL, errors, offset and marker
/// paging, `fields`), /api/transfer/task (task document, task_list, task by id).
public struct GlobusTransferClient: Sendable {
    /// The configuration (service root, page size, URL limit, retries).
    public let configuration: GlobusConfiguration
    /// Hands out access tokens; also names the identity in "not found" errors.
    public let tokens: GlobusTokenProvider
    let sender: GlobusRequestSender
    let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: where Transfer lives, paging, pacing and retry settings.
    ///   - transport: the HTTP seam.
    ///   - tokens: the access-token source.
    ///   - logger: receives debug lines per request (method, URL, status) and info lines per retry.
    ///   - now: the clock (for `Retry-After` dates), injected for tests.
    ///   - sleep: the back-off and pacing sleep, injected for tests.
    public init(
        configuration: GlobusConfiguration,
        transport: any HTTPTransport,
        tokens: GlobusTokenProvider,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.configuration = configuration
        self.tokens = tokens
        self.logger = logger
        self.sender = GlobusRequestSender(
            transport: transport,
            pacer: RequestPacer(limit: configuration.requestsPerSecond, sleep: sleep),
            policy: GlobusRetryPolicy(configuration),
            sleep: sleep, now: now, logger: logger, unretriedCodes: ["ExternalError", "EndpointError"])
    }

    // MARK: - Pipeline

    /// The cap on a Transfer reply: a page of 1,000 tasks or of 1,000 delivered files (two
    /// paths each, up to a few KiB) is at most about 10 MiB.
    static let replyLimit = 32 << 20

    /// `GET v0.10/<path>?<query>`; returns a 2xx response or throws the decoded error.
    func get(_ path: String, query: [(String, String)] = [], operation: String) async throws -> HTTPResponse {
        try await send(.get, path, query: query, operation: operation)
    }

    /// `method v0.10/<path>?<query>` with an optional JSON body; returns a 2xx response or
    /// throws the decoded error.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json body: [UInt8]? = nil, operation: String
    ) async throws -> HTTPResponse {
        let url = Self.url(configuration.transferEndpoint(path), query: query)
        var token = try await tokens.accessToken()
        var refreshed = false
        while true {
            var headers: HTTPHeaders = ["Authorization": "Bearer " + token, "Accept": "application/json"]
            if body != nil { headers["Content-Type"] = "application/json" }
            let request = HTTPRequest(
                method: method, url: url, headers: headers, body: body ?? [],
                timeout: configuration.timeout, maxResponseBytes: Self.replyLimit)
            let response = try await sender.send(request, operation: operation)
            if response.status == 401 {
                if refreshed { throw Self.authenticationFailure(response, operation: operation, tokens: tokens) }
                logger.info("\(operation): Globus answered 401; refreshing the access token once")
                token = try await tokens.refresh(rejected: token)
                refreshed = true
                continue
            }
            guard response.isSuccess else { throw Self.serviceError(response, operation: operation) }
            return response
        }
    }

    /// `get` and decode the JSON body as `T`, with `pullReading` first when given (a faster
    /// reader that throws for anything it does not take, leaving it to JSONDecoder).
    func getDecoded<T: Decodable>(
        _ type: T.Type, _ path: String, query: [(String, String)] = [], operation: String,
        pullReading: ((UnsafeBufferPointer<UInt8>) throws -> T)? = nil
    ) async throws -> T {
        let response = try await get(path, query: query, operation: operation)
        // Nesting past JSONPullReader's limit is refused on either path, not handed on.
        do {
            if let pullReading { return try response.body.withUnsafeBufferPointer(pullReading) }
        } catch let tooDeep as JSONPullReader.TooDeep {
            throw GlobusError.unparseableResponse(operation: operation, status: response.status, detail: tooDeep.description)
        } catch {}
        do {
            try response.body.withUnsafeBufferPointer { try JSONPullReader.checkDepth($0) }
        } catch let tooDeep as JSONPullReader.TooDeep {
            throw GlobusError.unparseableResponse(operation: operation, status: response.status, detail: tooDeep.description)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw GlobusError.unparseableResponse(
                operation: operation, status: response.status, detail: Self.excerpt(response.body))
        }
    }

    static func url(_ base: String, query: [(String, String)]) -> String {
        query.isEmpty ? base : base + "?" + PercentEncoding.queryString(query)
    }

    // MARK: - Errors

    /// A Transfer error document (`code`, `message`, `request_id`) as ``GlobusError/service(operation:status:code:message:requestID:)``,
    /// or, when it asks for a consent or a new login session (a 401/403 naming
    /// ``GlobusAuthorizationRequirement``'s fields), ``GlobusError/authorizationRequired(operation:status:requirement:)``.
    static func serviceError(_ response: HTTPResponse, operation: String) -> GlobusError {
        if response.status == 401 || response.status == 403, let requirement = GlobusAuthorizationRequirement.parse(response.body) {
            return .authorizationRequired(operation: operation, status: response.status, requirement: requirement)
        }
        guard let document = GlobusErrorDocument.decode(response.body) else {
            return .unparseableResponse(operation: operation, status: response.status, detail: excerpt(response.body))
        }
        return .service(
            operation: operation, status: response.status, code: document.code,
            message: document.message, requestID: document.requestID)
    }

    /// A 401 that a fresh token did not cure.
    static func authenticationFailure(_ response: HTTPResponse, operation: String, tokens: GlobusTokenProvider) -> GlobusError {
        let document = GlobusErrorDocument.decode(response.body)
        let detail = "Globus Transfer answered 401 \(document?.code ?? "Unauthorized") even with a fresh access token"
            + (document?.requestID.map { " (request-id \($0))" } ?? "")
        if let clientID = tokens.serviceAccountClientID {
            return .clientAuthenticationFailed(clientID: clientID, detail: detail)
        }
        return .loginRequired(operation: operation, detail: detail)
    }

    /// At most 200 bytes of a body, on one line, for error descriptions.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = GlobusText.oneLine(String(decoding: body.prefix(200), as: UTF8.self), limit: 200)
        return text.isEmpty ? "empty body" : text
    }
}

/// A Transfer error document (docs.globus.org/api/transfer/overview, "Errors"; globus-sdk
/// `exc/api.py`): `code`, `message`, optional `request_id`.
struct GlobusErrorDocument: Decodable {
    var code: String
    var message: String
    var requestID: String?

    enum CodingKeys: String, CodingKey {
        case code, message
        case requestID = "request_id"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = GlobusText.oneLine(try c.decode(String.self, forKey: .code), limit: 100)
        // Cut so that operation, code, message and advice still fit one readable line (< 400).
        message = GlobusText.oneLine(try c.decodeIfPresent(String.self, forKey: .message) ?? "", limit: 160)
        requestID = try? c.decodeIfPresent(String.self, forKey: .requestID)
    }

    static func decode(_ body: [UInt8]) -> GlobusErrorDocument? {
        try? JSONDecoder().decode(GlobusErrorDocument.self, from: Data(body))
    }
}
