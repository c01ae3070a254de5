@testable import CopyPTGlobus
import CopyPTHTTP
import Foundation
import Testing

@Suite struct GlobusErrorTests {
    @Test("Transfer error documents become typed errors with code, message and request id", arguments: [
        ("globus-error-task-not-found", 404, "TaskNotFound", "Xa1Bc2De3", false),
        ("globus-error-authentication-failed", 401, "AuthenticationFailed", "Tk9Zq81Lm", false),
        ("globus-error-bad-request", 400, "ClientError.BadRequest", "Bq2Rw7Yu1", false),
        ("globus-error-requests-exceeded", 429, "RequestsExceeded", "Rl5Ex3Cd9", true),
        ("globus-error-permission-denied", 403, "PermissionDenied", "Pd4Nn2Qp7", false),
        ("globus-error-no-request-id", 503, "ServiceUnavailable", nil, true),
    ])
    func document(_ fixture: String, _ status: Int, _ code: String, _ requestID: String?, _ retryable: Bool) throws {
        let error = GlobusTransferClient.serviceError(try Fixtures.response(fixture, status: status), operation: "reading Globus task t")
        guard case .service(let operation, let gotStatus, let gotCode, let message, let gotRequestID) = error else {
            Issue.record("expected a service error, got \(error)")
            return
        }
        #expect(operation == "reading Globus task t")
        #expect(gotStatus == status && gotCode == code && gotRequestID == requestID)
        #expect(!message.isEmpty)
        #expect(error.isRetryable == retryable)
        #expect(!error.description.contains("\n"))
        #expect(error.description.contains(code))
    }

    @Test("a body that is not an error document is kept as a short one-line excerpt")
    func unparseable() {
        let body = "<html>\n<body>502 Bad Gateway</body>\n</html>" + String(repeating: "x", count: 500)
        let error = GlobusTransferClient.serviceError(HTTPResponse(status: 502, body: Array(body.utf8)), operation: "op")
        guard case .unparseableResponse(_, 502, let detail) = error else {
            Issue.record("expected unparseableResponse, got \(error)")
            return
        }
        #expect(detail.count <= 200 && !detail.contains("\n"))
    }

    @Test("every error has a one-line description that names the cause and what to do")
    func descriptions() {
        let errors: [GlobusError] = [
            .configuration("bad"), .notLoggedIn(tokenFile: "/h/.config/copypt/globus-tokens.json"),
            .loginRequired(operation: "refreshing", detail: "invalid_grant"),
            .clientAuthenticationFailed(clientID: "c", detail: "invalid_client"),
            .oauth(operation: "op", status: 503, error: "temporarily_unavailable", detail: nil),
            .service(operation: "op", status: 429, code: "RequestsExceeded", message: "slow down", requestID: "r"),
            .taskNotFound(taskID: "t-1", identity: "client c", requestID: "r"),
            .historyUnavailable(taskID: "t-1", detail: "deleted"),
            .unparseableResponse(operation: "op", status: 200, detail: "x"),
            .transport(operation: "op", error: .timedOut(host: "h", seconds: 60)),
            .tokenFile(path: "/p", operation: "rename", errno: 13),
            .malformedTokenFile(path: "/p", detail: "d"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"), "\(error)")
            #expect(error.description.count > 20)
        }
        #expect(GlobusError.taskNotFound(taskID: "t-1", identity: "client c", requestID: nil).description.contains("client c"))
        #expect(GlobusError.notLoggedIn(tokenFile: "/p").description.contains("copypt login"))
        #expect(GlobusError.loginRequired(operation: "o", detail: "d").isAuthenticationFailure)
        #expect(!GlobusError.taskNotFound(taskID: "t", identity: "i", requestID: nil).isRetryable)
        #expect(GlobusError.transport(operation: "o", error: .connectFailed(host: "h", detail: "refused")).isRetryable)
        #expect(!GlobusError.transport(operation: "o", error: .tls(host: "h", detail: "untrusted")).isRetryable)
    }
}
