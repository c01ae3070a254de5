import CopyPTHTTP
import Foundation

/// `scripts/policy-s3` in front of its own `moto_server`: an S3 endpoint that checks SigV4
/// signatures against configured principals and enforces a small honest subset of AWS's rules
/// (bucket and identity policies, Object Ownership, expected owners, copy-source-if-match after
/// authorization, SSE-KMS key policies) and answers STS GetCallerIdentity. Each test starts its
/// own; both servers stop when it is released. The rules are listed at the top of the script.
public final class PolicyS3Server: Sendable {
    /// The moto behind the stand-in (authentication off: reach it directly to seed objects
    /// without any policy in the way).
    public let moto: MotoServer
    /// The stand-in process.
    public let server: ServerProcess
    /// The transport the helpers use.
    public let transport: CurlTransport
    /// The admin token the stand-in was started with (`X-Policy-Admin-Token`).
    public let adminToken: String

    /// `http://127.0.0.1:<port>`: the endpoint for `AWS_ENDPOINT_URL_S3` and `AWS_ENDPOINT_URL_STS`.
    public var url: String { server.baseURL }

    private init(moto: MotoServer, server: ServerProcess, transport: CurlTransport, adminToken: String) {
        self.moto = moto
        self.server = server
        self.transport = transport
        self.adminToken = adminToken
    }

    /// Starts moto and the stand-in and returns once both accept connections (waiting without
    /// blocking a thread of Swift's cooperative pool).
    /// - Parameter partMinimumSize: moto's multipart minimum, default 256 KiB to keep objects small.
    public static func start(partMinimumSize: Int = 256 << 10) async throws -> PolicyS3Server {
        let moto = try await MotoServer.start(partMinimumSize: partMinimumSize)
        let token = UUID().uuidString
        let server: ServerProcess
        do {
            server = try await ServerProcess.launch(
                executable: ProjectPaths.script("policy-s3").path,
                arguments: ["--port", "{port}", "--upstream", moto.endpoint, "--admin-token", token])
        } catch {
            await moto.shutdown()
            throw error
        }
        return PolicyS3Server(moto: moto, server: server, transport: try CurlTransport(), adminToken: token)
    }

    /// Stops both servers now and waits until they have exited.
    public func shutdown() async {
        await server.shutdown()
        await moto.shutdown()
    }

    // MARK: - Admin API

    /// Why an admin call failed (the stand-in's one-line reason included).
    public struct AdminError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Replaces the whole configuration (principals, buckets, identity policies, KMS keys; see
    /// `scripts/policy-s3`). Buckets missing in moto are created.
    /// - Throws: ``AdminError`` when the stand-in refuses the document (e.g. NotAction).
    public func configure(_ json: [String: Any]) async throws {
        try await configure(JSONSerialization.data(withJSONObject: json))
    }

    /// Replaces the whole configuration from a JSON document.
    public func configure(_ json: Data) async throws {
        _ = try await admin(.post, "config", body: Array(json))
    }

    /// One authorization decision the stand-in made.
    public struct Decision: Sendable, Decodable, Equatable {
        /// The S3 operation, e.g. `CopyObject`.
        public var operation: String?
        /// The IAM action or checked header, e.g. `s3:PutObject`, `kms:GenerateDataKey`.
        public var action: String
        /// The principal ARN.
        public var principal: String
        /// The resource ARN.
        public var resource: String
        /// Whether it was allowed.
        public var allowed: Bool
        /// Why, in words.
        public var why: String
    }

    /// The decisions made so far (the last 10,000), oldest first.
    public func decisions() async throws -> [Decision] {
        struct Log: Decodable { var decisions: [Decision] }
        return try JSONDecoder().decode(Log.self, from: Data(try await admin(.get, "log"))).decisions
    }

    /// Empties the decision log.
    public func clearDecisions() async throws {
        _ = try await admin(.post, "log/clear", body: [])
    }

    private func admin(_ method: HTTPMethod, _ path: String, body: [UInt8] = []) async throws -> [UInt8] {
        let response = try await transport.send(HTTPRequest(
            method: method, url: url + "/__policy/" + path,
            headers: ["Content-Type": "application/json", "X-Policy-Admin-Token": adminToken], body: body))
        guard response.isSuccess else {
            throw AdminError(description: "policy-s3 \(path) answered \(response.status): \(response.bodyText)")
        }
        return response.body
    }
}
