import CopyPTHTTP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong talking to Globus Auth and Globus Transfer.
///
/// Descriptions are one line: the operation, the identifiers, the cause, and what to do next.
/// They never contain tokens, client secrets or PKCE verifiers.
public enum GlobusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting is missing or malformed (environment, options).
    case configuration(String)
    /// There is no token file: nobody has run `copypt login` for this account.
    case notLoggedIn(tokenFile: String)
    /// Globus no longer accepts the stored login (refresh token revoked, expired or reused,
    /// or a fresh access token was still refused).
    case loginRequired(operation: String, detail: String)
    /// Globus Auth refused the service account's client id or secret.
    case clientAuthenticationFailed(clientID: String, detail: String)
    /// Globus Auth answered an OAuth2 error (`error`, `error_description`).
    case oauth(operation: String, status: Int, error: String, detail: String?)
    /// Globus Transfer answered an error document (`code`, `message`, `request_id`).
    case service(operation: String, status: Int, code: String, message: String, requestID: String?)
    /// `GET task/{id}` answered 404 `TaskNotFound`: the task was submitted by another identity
    /// or never existed. Permanent.
    case taskNotFound(taskID: String, identity: String, requestID: String?)
    /// The task's per-file history cannot be read: deleted (Globus keeps it ~30 days) or the
    /// task has not finished. The sweep falls back to listing the staging prefix.
    case historyUnavailable(taskID: String, detail: String)
    /// A response could not be decoded. `detail` never holds a token response body.
    case unparseableResponse(operation: String, status: Int, detail: String)
    /// No response arrived (DNS, connect, TLS, timeout).
    case transport(operation: String, error: HTTPError)
    /// A file-system call on the token file or its lock failed.
    case tokenFile(path: String, operation: String, errno: Int32)
    /// The token file exists but is not a copypt token file.
    case malformedTokenFile(path: String, detail: String)

    // MARK: - Classification

    /// `true` for trouble that may pass by itself: 429, 502, 503, 504 (and 500 from Globus Auth),
    /// and transport failures other than a bad URL or TLS trust.
    public var isRetryable: Bool {
        switch self {
        case .service(_, let status, _, _, _):
            return Self.retryableStatuses.contains(status)
        case .oauth(_, let status, _, _):
            return status == 500 || Self.retryableStatuses.contains(status)
        case .transport(_, let error):
            return error.isRetryable
        default:
            return false
        }
    }

    /// `true` when the user must log in again or fix the service-account credentials;
    /// nothing about any one transfer is wrong.
    public var isAuthenticationFailure: Bool {
        switch self {
        case .notLoggedIn, .loginRequired, .clientAuthenticationFailed: return true
        default: return false
        }
    }

    /// The HTTP statuses retried with back-off: 429 Too Many Requests, 502, 503, 504.
    static let retryableStatuses: Set<Int> = [429, 502, 503, 504]

    // MARK: - Descriptions

    public var description: String {
        switch self {
        case .configuration(let detail):
            return "Globus configuration error: \(detail)"
        case .notLoggedIn(let path):
            return "not logged in to Globus: no token file at \(path); run `copypt login` "
                + "(or set COPYPT_GLOBUS_CLIENT_ID and COPYPT_GLOBUS_CLIENT_SECRET for a service account)"
        case .loginRequired(let operation, let detail):
            return "\(operation) failed: \(detail); run `copypt login` again"
        case .clientAuthenticationFailed(let clientID, let detail):
            return "Globus Auth rejected service-account client \(clientID): \(detail); "
                + "check COPYPT_GLOBUS_CLIENT_ID and COPYPT_GLOBUS_CLIENT_SECRET"
        case .oauth(let operation, let status, let error, let detail):
            let what = detail.map { "\(error): \($0)" } ?? error
            return "\(operation) failed: \(status) \(what)" + Self.advice(status: status)
        case .service(let operation, let status, let code, let message, let requestID):
            return "\(operation) failed: \(status) \(code): \(message)" + Self.requestIDSuffix(requestID)
                + Self.advice(status: status)
        case .taskNotFound(let taskID, let identity, let requestID):
            return "Globus task \(taskID) not found for \(identity)" + Self.requestIDSuffix(requestID)
                + ": it was submitted by another Globus identity or never existed; "
                + "check the task id, or log in as the identity that submitted it"
        case .historyUnavailable(let taskID, let detail):
            return "the delivered-file list of Globus task \(taskID) is unavailable: \(detail); "
                + "copypt falls back to listing the staging prefix"
        case .unparseableResponse(let operation, let status, let detail):
            return "\(operation) failed: unexpected \(status) response (\(detail)); "
                + "check GLOBUS_SDK_SERVICE_URL_AUTH / GLOBUS_SDK_SERVICE_URL_TRANSFER"
        case .transport(let operation, let error):
            return "\(operation) failed: \(error)"
        case .tokenFile(let path, let operation, let errno):
            return "cannot \(operation) Globus token file \(path): \(Self.errnoText(errno)) (errno: \(errno)); "
                + "check the directory's owner and permissions"
        case .malformedTokenFile(let path, let detail):
            return "Globus token file \(path) is unreadable (\(detail)); delete it and run `copypt login`"
        }
    }

    private static func requestIDSuffix(_ requestID: String?) -> String {
        requestID.map { " (request-id \($0))" } ?? ""
    }

    private static func advice(status: Int) -> String {
        if status == 429 || status >= 500 { return "; Globus is busy or unavailable, the next run retries" }
        if status == 403 { return "; the logged-in identity lacks permission, check its Globus roles" }
        return ""
    }

    private static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
