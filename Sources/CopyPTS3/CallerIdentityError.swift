/// Why STS GetCallerIdentity could not say who the AWS credentials belong to.
///
/// Descriptions are one line and never hold a key, token or signature.
public enum CallerIdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The credentials themselves could not be had (no keys, unknown profile, AssumeRole refused …).
    case credentials(CredentialError)
    /// STS answered with an error document.
    case service(status: Int, code: String, message: String, requestID: String?)
    /// STS could not be reached.
    case unreachable(endpoint: String, detail: String)
    /// STS answered something that is not a GetCallerIdentity result.
    case invalidResponse(detail: String)

    /// `true` when it may pass by itself (STS or a credential endpoint unreachable, 5xx, throttling).
    public var isTransient: Bool {
        switch self {
        case .credentials(let error):
            if case .unreachable = error { return true }
            return false
        case .service(let status, let code, _, _):
            return status >= 500 || status == 429 || ["Throttling", "ThrottlingException", "RequestLimitExceeded"].contains(code)
        case .unreachable:
            return true
        case .invalidResponse:
            return false
        }
    }

    public var description: String {
        switch self {
        case .credentials(let error):
            return error.description
        case .service(let status, let code, let message, let requestID):
            let id = requestID.map { " (request-id \($0))" } ?? ""
            return "STS GetCallerIdentity failed: \(status) \(code): \(message)\(id)"
                + (isTransient ? "; STS is busy or unavailable, try again" : "; the credentials are not accepted: check or renew them")
        case .unreachable(let endpoint, let detail):
            return "cannot reach STS at \(endpoint): \(detail); check the network or AWS_ENDPOINT_URL_STS"
        case .invalidResponse(let detail):
            return "STS GetCallerIdentity answered something unexpected (\(detail)); check AWS_ENDPOINT_URL_STS"
        }
    }
}
