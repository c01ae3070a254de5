import CopyPTCrypto
import CopyPTHTTP
import Foundation

/// Temporary credentials from STS AssumeRole, signed with a source provider's credentials.
///
/// Sends the Query API form (`Action=AssumeRole&Version=2011-06-15&RoleArn=…`) as a POST to
/// the STS endpoint, signed with SigV4 for service `sts`, and reads the XML answer.
/// See https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    /// What to assume and where.
    public struct Configuration: Sendable, Equatable {
        /// The role to assume (`role_arn`).
        public var roleARN: String
        /// The session name (`role_session_name`); default `copypt-session-<epoch seconds>`.
        public var roleSessionName: String?
        /// The external id the role's trust policy asks for (`external_id`); default none.
        public var externalID: String?
        /// The session length in seconds (`duration_seconds`); default STS's (1 hour).
        public var durationSeconds: Int?
        /// The signing region. Default `us-east-1`.
        public var region: String
        /// The STS endpoint URL; default `https://sts.<region>.amazonaws.com`.
        public var endpoint: String?

        /// Creates a configuration; every default is stated on its property.
        public init(
            roleARN: String, roleSessionName: String? = nil, externalID: String? = nil,
            durationSeconds: Int? = nil, region: String = "us-east-1", endpoint: String? = nil
        ) {
            self.roleARN = roleARN
            self.roleSessionName = roleSessionName
            self.externalID = externalID
            self.durationSeconds = durationSeconds
            self.region = region
            self.endpoint = endpoint
        }

        /// The endpoint in use: the configured one or the regional STS endpoint.
        public var resolvedEndpoint: String {
            endpoint ?? STSQuery.regionalEndpoint(region: region)
        }
    }

    /// The role and endpoint.
    public let configuration: Configuration
    /// The credentials that call AssumeRole.
    public let source: any CredentialProvider
    private let transport: any HTTPTransport
    private let now: @Sendable () -> Date

    /// Creates a provider.
    /// - Parameters:
    ///   - source: the credentials that call AssumeRole.
    ///   - configuration: the role and endpoint.
    ///   - transport: the HTTP seam.
    ///   - now: the clock for signing and the default session name.
    public init(
        source: any CredentialProvider, configuration: Configuration,
        transport: any HTTPTransport, now: @escaping @Sendable () -> Date
    ) {
        self.source = source
        self.configuration = configuration
        self.transport = transport
        self.now = now
    }

    /// Calls STS AssumeRole with the source credentials.
    /// - Throws: ``CredentialError/assumeRoleFailed(roleARN:status:code:message:requestID:)``, `.unreachable`, `.invalidResponse`.
    public func credentials() async throws -> AWSCredentials {
        let sourceCredentials = try await source.credentials()
        let request = makeRequest(at: now())
        let signer = SigV4Signer(credentials: sourceCredentials, region: configuration.region, service: "sts")
        let signed = signer.signed(request, payloadHash: Digest.sha256Hex(request.body), at: now())
        let response: HTTPResponse
        do {
            response = try await transport.send(signed)
        } catch let error as HTTPError {
            throw CredentialError.unreachable(source: "STS \(URLParts(request.url).hostHeader)", detail: error.description)
        }
        return try parse(response)
    }

    /// The unsigned AssumeRole request.
    func makeRequest(at date: Date) -> HTTPRequest {
        var form: [(String, String)] = [
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", configuration.roleARN),
            ("RoleSessionName", configuration.roleSessionName ?? "copypt-session-\(Int(date.timeIntervalSince1970))"),
        ]
        if let duration = configuration.durationSeconds { form.append(("DurationSeconds", String(duration))) }
        if let external = configuration.externalID { form.append(("ExternalId", external)) }
        let body = form
            .map { "\(S3PathEncoding.encodeQueryComponent($0.0))=\(S3PathEncoding.encodeQueryComponent($0.1))" }
            .joined(separator: "&")
        return STSQuery.request(endpoint: configuration.resolvedEndpoint, form: body)
    }

    /// Reads an AssumeRole response, success or error.
    func parse(_ response: HTTPResponse) throws -> AWSCredentials {
        let fields = STSResponseParser.fields(of: response.body)
        guard response.isSuccess else {
            throw CredentialError.assumeRoleFailed(
                roleARN: configuration.roleARN, status: response.status,
                code: fields?["Code"] ?? "HTTP \(response.status)",
                message: fields?["Message"] ?? "no error document",
                requestID: fields?["RequestId"] ?? response.headers["x-amzn-requestid"]
            )
        }
        let source = "STS AssumeRole \(configuration.roleARN)"
        guard let fields else { throw CredentialError.invalidResponse(source: source, reason: "malformed XML") }
        guard let id = fields["AccessKeyId"], let secret = fields["SecretAccessKey"], let token = fields["SessionToken"] else {
            throw CredentialError.invalidResponse(source: source, reason: "no Credentials element")
        }
        guard let expiration = fields["Expiration"].flatMap(AWSCredentials.parseISO8601) else {
            throw CredentialError.invalidResponse(source: source, reason: "missing or malformed Expiration")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}
