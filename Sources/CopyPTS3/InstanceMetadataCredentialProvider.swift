import CopyPTHTTP
import Foundation

/// Credentials of the EC2 instance's IAM role, from the instance metadata service (IMDSv2).
///
/// `PUT /latest/api/token` (TTL header) for a session token, then
/// `GET /latest/meta-data/iam/security-credentials/` for the role name and
/// `GET …/<role>` for the credentials. A 403/404/405 to the token request falls back to
/// IMDSv1 as botocore does. Short timeouts make a machine outside EC2 fail fast.
/// See https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    /// The metadata service base URL. Default `http://169.254.169.254`.
    public let endpoint: String
    /// The per-request time limit. Default 1 s.
    public let timeout: Duration
    /// The token lifetime asked for. Default 21600 s (6 h).
    public let tokenTTLSeconds: Int
    private let transport: any HTTPTransport

    /// Creates a provider.
    /// - Parameters:
    ///   - endpoint: the metadata base URL, default `http://169.254.169.254`
    ///     (the CLI reads `AWS_EC2_METADATA_SERVICE_ENDPOINT`).
    ///   - transport: the HTTP seam.
    ///   - timeout: the per-request limit, default 1 s.
    ///   - tokenTTLSeconds: the IMDSv2 token lifetime, default 21600.
    public init(
        endpoint: String = "http://169.254.169.254", transport: any HTTPTransport,
        timeout: Duration = .seconds(1), tokenTTLSeconds: Int = 21_600
    ) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.transport = transport
        self.timeout = timeout
        self.tokenTTLSeconds = tokenTTLSeconds
    }

    private static let source = "EC2 instance metadata"

    /// Fetches the instance role's credentials (token, role name, credentials).
    /// - Throws: ``CredentialError/unreachable(source:detail:)`` off EC2, or `.invalidResponse`.
    public func credentials() async throws -> AWSCredentials {
        let token = try await sessionToken()
        let listing = try await get("/latest/meta-data/iam/security-credentials/", token: token)
        guard let role = listing.bodyText.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw CredentialError.invalidResponse(source: Self.source, reason: "the instance has no IAM role")
        }
        let document = try await get("/latest/meta-data/iam/security-credentials/\(S3PathEncoding.encodeKey(role))", token: token)
        return try AWSCredentials.decodeJSON(document.body, source: "\(Self.source) role \(role)")
    }

    /// The IMDSv2 session token, or `nil` when the service only speaks IMDSv1.
    private func sessionToken() async throws -> String? {
        let request = HTTPRequest(
            method: .put, url: endpoint + "/latest/api/token",
            headers: ["X-aws-ec2-metadata-token-ttl-seconds": String(tokenTTLSeconds)], timeout: timeout,
            maxResponseBytes: AWSCredentials.replyLimit
        )
        let response = try await send(request)
        if [403, 404, 405].contains(response.status) { return nil }
        guard response.isSuccess, !response.body.isEmpty else {
            throw CredentialError.unreachable(source: Self.source, detail: "token request answered HTTP \(response.status)")
        }
        return response.bodyText
    }

    private func get(_ path: String, token: String?) async throws -> HTTPResponse {
        var request = HTTPRequest(method: .get, url: endpoint + path, timeout: timeout, maxResponseBytes: AWSCredentials.replyLimit)
        if let token { request.headers["X-aws-ec2-metadata-token"] = token }
        let response = try await send(request)
        guard response.isSuccess else {
            throw CredentialError.unreachable(source: Self.source, detail: "GET \(path) answered HTTP \(response.status)")
        }
        return response
    }

    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await transport.send(request)
        } catch let error as HTTPError {
            throw CredentialError.unreachable(source: Self.source, detail: error.description)
        }
    }
}
