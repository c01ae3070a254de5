import CopyPTCrypto
import CopyPTHTTP
import Foundation

/// The AWS principal a configuration acts as, from STS GetCallerIdentity: for an assumed role
/// its ARN is the assumed-role session's (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
///
/// GetCallerIdentity needs no permission; it fails only for credentials STS does not accept.
/// See https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html.
public struct AWSCallerIdentity: Sendable, Equatable {
    /// The account id.
    public var account: String
    /// The principal's ARN.
    public var arn: String
    /// The unique id (`AIDA…` for a user, `AROA…:<session>` for a role session).
    public var userID: String

    /// An identity from its parts.
    public init(account: String, arn: String, userID: String) {
        self.account = account
        self.arn = arn
        self.userID = userID
    }

    /// Asks STS who `configuration`'s credentials belong to: a POST of
    /// `Action=GetCallerIdentity&Version=2011-06-15` to the STS endpoint
    /// (`AWS_ENDPOINT_URL_STS` …, else `https://sts.<region>.amazonaws.com/`), signed with SigV4
    /// for service `sts` in the configuration's region.
    /// - Throws: ``CallerIdentityError`` (``CredentialError`` fetching the credentials is wrapped in it).
    public static func fetch(
        configuration: AWSConfiguration, transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> AWSCallerIdentity {
        let credentials: AWSCredentials
        do {
            credentials = try await configuration.credentialProvider.credentials()
        } catch let error as CredentialError {
            throw CallerIdentityError.credentials(error)
        }
        let request = makeRequest(configuration: configuration)
        let signer = SigV4Signer(credentials: credentials, region: configuration.region, service: "sts")
        let signed = signer.signed(request, payloadHash: Digest.sha256Hex(request.body), at: now())
        let response: HTTPResponse
        do {
            response = try await transport.send(signed)
        } catch let error as HTTPError {
            throw CallerIdentityError.unreachable(endpoint: URLParts(request.url).hostHeader, detail: error.description)
        }
        return try parse(response)
    }

    /// The unsigned request (capped and time-limited like AssumeRole's).
    static func makeRequest(configuration: AWSConfiguration) -> HTTPRequest {
        STSQuery.request(
            endpoint: configuration.stsEndpoint ?? STSQuery.regionalEndpoint(region: configuration.region),
            form: "Action=GetCallerIdentity&Version=2011-06-15")
    }

    /// Reads a GetCallerIdentity answer, success or `ErrorResponse`.
    static func parse(_ response: HTTPResponse) throws -> AWSCallerIdentity {
        let fields = STSResponseParser.fields(of: response.body)
        guard response.isSuccess else {
            throw CallerIdentityError.service(
                status: response.status, code: fields?["Code"] ?? "HTTP \(response.status)",
                message: fields?["Message"] ?? "no error document",
                requestID: fields?["RequestId"] ?? response.headers["x-amzn-requestid"])
        }
        guard let fields, let account = fields["Account"], let arn = fields["Arn"], let userID = fields["UserId"] else {
            throw CallerIdentityError.invalidResponse(detail: "no GetCallerIdentityResult with Account, Arn and UserId")
        }
        return AWSCallerIdentity(account: account, arn: arn, userID: userID)
    }
}
