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
        ("globus-error-internal", 500, "InternalError", "Vb7Kq2Zt1", true),
        ("globus-error-multiline-message", 404, "NotFound", "aaabbbccc", false),
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

    @Test("a 5xx is never a permanent failure: every 5xx and 429 is retryable, whatever its body")
    func serverErrorsAreTransient() {
        for status in [429, 500, 501, 502, 503, 504, 599] {
            #expect(GlobusError.service(operation: "o", status: status, code: "C", message: "m", requestID: nil).isRetryable)
            #expect(GlobusError.unparseableResponse(operation: "o", status: status, detail: "<html>").isRetryable)
            #expect(GlobusError.oauth(operation: "o", status: status, error: "e", detail: nil).isRetryable)
        }
        for status in [400, 401, 403, 404, 409] {
            #expect(!GlobusError.service(operation: "o", status: status, code: "C", message: "m", requestID: nil).isRetryable)
        }
        #expect(GlobusError.retryableStatuses == [429, 500, 502, 503, 504])
    }

    @Test("Globus's multi-line messages become one line, cut to a readable length")
    func multiLineMessage() throws {
        let error = GlobusTransferClient.serviceError(try Fixtures.response("globus-error-multiline-message", status: 404), operation: "op")
        guard case .service(_, _, _, let message, _) = error else {
            Issue.record("expected a service error, got \(error)")
            return
        }
        #expect(message.hasPrefix("Path not found, Error (list) Endpoint: Globus Tutorial Collection 1"))
        #expect(message.count <= 200)
        #expect(!message.contains { $0.isNewline } && !error.description.contains { $0.isNewline })
        #expect(GlobusText.oneLine("a\n\n  b\r\n\tc\u{2028}d ") == "a b c d")
        #expect(GlobusText.oneLine(String(repeating: "x", count: 50), limit: 10) == String(repeating: "x", count: 9) + "…")
        let built = GlobusError.service(operation: "op\nwith a newline", status: 400, code: "C", message: "m", requestID: nil)
        #expect(!built.description.contains { $0.isNewline })
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
            .deliveredListUnavailable(taskID: "t-1", detail: "Globus answered 404 NotFound"),
            .repeatedPage(operation: "op", detail: "next_marker 5 a second time"),
            .noRefreshToken(clientID: "c"),
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
