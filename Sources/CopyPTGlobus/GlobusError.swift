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
    /// `copypt login` got tokens without a refresh token (the client is not a native app, or
    /// Globus did not grant offline access): the login would die with its access token.
    case noRefreshToken(clientID: String)
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
    /// `successful_transfers` answered an error although the task document says the task's
    /// per-file history is kept (not `history_deleted`): the list may come back, so the sweep
    /// retries rather than copy the whole staging prefix. Transient.
    case deliveredListUnavailable(taskID: String, detail: String)
    /// A paged listing went round in a circle (a `next_marker` or an offset page Globus had
    /// already sent): copypt stops rather than loop. Transient.
    case repeatedPage(operation: String, detail: String)
    /// A response could not be decoded. `detail` never holds a token response body.
    case unparseableResponse(operation: String, status: Int, detail: String)
    /// No response arrived (DNS, connect, TLS, timeout).
    case transport(operation: String, error: HTTPError)
    /// A file-system call on the token file or its lock failed.
    case tokenFile(path: String, operation: String, errno: Int32)
    /// The token file exists but is not a copypt token file.
    case malformedTokenFile(path: String, detail: String)

    // MARK: - Classification

    /// `true` for trouble that may pass by itself: 429 and every 5xx (a server error is never
    /// a verdict on the transfer), a delivered-file list or paging Globus may answer properly
    /// next time, and transport failures other than a bad URL or TLS trust.
    public var isRetryable: Bool {
        switch self {
        case .service(_, let status, _, _, _), .oauth(_, let status, _, _), .unparseableResponse(_, let status, _):
            return status == 429 || (500...599).contains(status)
        case .deliveredListUnavailable, .repeatedPage:
            return true
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
        case .notLoggedIn, .loginRequired, .noRefreshToken, .clientAuthenticationFailed: return true
        default: return false
        }
    }

    /// `true` when only a person can fix it: ``isAuthenticationFailure``, or Globus Auth refusing
    /// the grant, client or scope (`invalid_grant`, `invalid_client`, `unauthorized_client`,
    /// `invalid_scope`, `consent_required`, `login_required`, `access_denied`).
    public var needsLogin: Bool {
        if isAuthenticationFailure { return true }
        if case .oauth(_, let status, let error, _) = self, (400...499).contains(status), status != 429 {
            return Self.loginErrors.contains(error)
        }
        return false
    }

    private static let loginErrors: Set<String> = [
        "invalid_grant", "invalid_client", "unauthorized_client", "invalid_scope",
        "consent_required", "login_required", "access_denied",
    ]

    /// The HTTP statuses retried with back-off within one run, as globus-sdk does
    /// (`transport/retry_config.py`, `transient_error_status_codes`): 429, 500, 502, 503, 504.
    static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]

    // MARK: - Descriptions

    /// One line, whatever Globus put in its messages.
    public var description: String { GlobusText.oneLine(text, limit: 1000) }

    private var text: String {
        switch self {
        case .configuration(let detail):
            return "Globus configuration error: \(detail)"
        case .notLoggedIn(let path):
            return "not logged in to Globus: no token file at \(path); run `copypt login` "
                + "(or set COPYPT_GLOBUS_CLIENT_ID and COPYPT_GLOBUS_CLIENT_SECRET for a service account)"
        case .loginRequired(let operation, let detail):
            return "\(operation) failed: \(detail); run `copypt login` again"
        case .noRefreshToken(let clientID):
            return "Globus Auth answered the login without a refresh token for client \(clientID), so copypt could not "
                + "stay logged in and saved nothing; register the client as a native app (\"thick client or script\") "
                + "at https://app.globus.org/settings/developers, then run `copypt login` again"
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
        case .deliveredListUnavailable(let taskID, let detail):
            return "Globus did not list the files task \(taskID) delivered (\(detail)); "
                + "copypt copies nothing from staging until it does, the next run asks again"
        case .repeatedPage(let operation, let detail):
            return "\(operation) failed: Globus sent \(detail); copypt stopped rather than loop, the next run asks again"
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
