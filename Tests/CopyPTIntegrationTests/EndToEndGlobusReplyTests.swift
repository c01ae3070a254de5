import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// `copypt-sweep` against Globus answers as the Globus SDK expects them (issue 14): server
/// errors, a refused delivered-file list, multi-line messages and timeout settings.
@Suite struct EndToEndGlobusReplyTests {
    /// Lines on stderr that are not blank.
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    @Test("a 404 NotFound on successful_transfers of a SUCCEEDED task copies nothing and exits 75; the next run copies only what was delivered")
    func notFoundIsNotHistoryGone() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "run/a.dat", [1, 2, 3])
        try await e2e.put("staging", "run/not-delivered.tmp", [9])
        let task = try await e2e.task(bucket: "staging", prefix: "run/", ["a.dat"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://staging/run/", to: "s3://dest/out/")
        try await e2e.globus.queueReply(status: 404, code: "NotFound", message: "Not Found",
                                        pathPrefix: "/v0.10/task/\(task)/successful_transfers")

        // Reported at once, not after cron's quiet hour (--quiet-transient-for).
        let refused = try await e2e.sweep(["--once", "--quiet-transient-for", "0"])
        #expect(refused.status == 75, "stderr: \(refused.stderr)")
        #expect(refused.stderr.contains("the next run asks again"))
        #expect(try await e2e.keys("dest").isEmpty)
        let record = try e2e.store.load(id)
        #expect(record.state != .failed && record.state != .done)
        #expect(record.planSource != "listing")

        let next = try await e2e.sweep()
        #expect(next.status == 0, "stderr: \(next.stderr)")
        #expect(try await e2e.keys("dest") == ["out/a.dat"])
        #expect(try e2e.store.load(id).state == .done)
    }

    @Test("a JSON-bodied 500 on task_list or successful_transfers is retried, then exits 75 and fails nothing")
    func serverErrorsAreTransient() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "run/a.dat", [1, 2, 3])
        let task = try await e2e.task(bucket: "staging", prefix: "run/", ["a.dat"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://staging/run/", to: "s3://dest/out/")
        let before = try Data(contentsOf: e2e.store.recordURL(for: id))

        // One 500 is retried within the run.
        try await e2e.globus.queueReply(status: 500, code: "InternalError", message: "An internal error occurred", pathPrefix: "/v0.10/task_list")
        try await e2e.globus.clearRequests()
        let once = try await e2e.sweep(["--once", "--dry-run"])
        #expect(once.status == 0, "stderr: \(once.stderr)")
        #expect(try await e2e.globus.requests().filter { $0.status == 500 }.count == 1)

        // Five in a row on task_list: transient, the record untouched.
        try await e2e.globus.queueReply(status: 500, code: "InternalError", message: "An internal error occurred",
                                        pathPrefix: "/v0.10/task_list", times: 5)
        // Reported at once, not after cron's quiet hour (which would note it in the record).
        let listing = try await e2e.sweep(["--once", "--quiet-transient-for", "0"])
        #expect(listing.status == 75, "stderr: \(listing.stderr)")
        #expect(listing.stderr.contains("the next run retries"))
        #expect(try Data(contentsOf: e2e.store.recordURL(for: id)) == before)

        // Five in a row on successful_transfers: transient, not failed.
        try await e2e.globus.queueReply(status: 500, code: "InternalError", message: "An internal error occurred",
                                        pathPrefix: "/v0.10/task/\(task)/successful_transfers", times: 5)
        let delivered = try await e2e.sweep()
        #expect(delivered.status == 75, "stderr: \(delivered.stderr)")
        let record = try e2e.store.load(id)
        #expect(record.state != .failed)
        #expect(record.lastError?.transient == true)

        let next = try await e2e.sweep()
        #expect(next.status == 0, "stderr: \(next.stderr)")
        #expect(try e2e.store.load(id).state == .done)
    }

    @Test("a multi-line Globus message reaches stderr and the record on one line")
    func multiLineMessage() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "run/a.dat", [1])
        let task = try await e2e.task(bucket: "staging", prefix: "run/", ["a.dat"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://staging/run/", to: "s3://dest/out/")
        // The shape of globus-sdk's recorded operation_stat "permission_denied" answer.
        let message = "Denied by endpoint, Error (list)\nEndpoint: Tutorial (00000000-0000-0000-0005-4925541e7725)\n"
            + "Server: 100.26.231.26:443\nCommand: MLST /foo\nMessage: Fatal FTP Response\n---\nDetails: 500 Command failed : Path not allowed.\\r\\n\n"
        try await e2e.globus.queueReply(status: 403, code: "EndpointPermissionDenied", message: message,
                                        pathPrefix: "/v0.10/task/\(task)/successful_transfers")
        let result = try await e2e.sweep()
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let lines = Self.lines(result.stderr)
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("Denied by endpoint, Error (list) Endpoint: Tutorial"))
        let error = try #require(try e2e.store.load(id).lastError)
        #expect(!error.message.contains { $0.isNewline })
    }

    @Test("GLOBUS_SDK_HTTP_TIMEOUT infinite, huge, negative or NaN: exit 2 with one line naming it, nothing changed",
          arguments: ["inf", "1e17", "-5", "nan"])
    func timeoutSetting(_ value: String) async throws {
        let e2e = try await EndToEndFixture()
        let task = try await e2e.task(bucket: "staging", prefix: "run/", ["a.dat"], status: "ACTIVE")
        let id = try await e2e.add(task: task, from: "s3://staging/run/", to: "s3://dest/out/")
        let before = try Data(contentsOf: e2e.store.recordURL(for: id))
        let result = try await e2e.sweep(environment: ["GLOBUS_SDK_HTTP_TIMEOUT": value])
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(Self.lines(result.stderr).count == 1 && result.stderr.contains("GLOBUS_SDK_HTTP_TIMEOUT=\(value)"))
        #expect(try Data(contentsOf: e2e.store.recordURL(for: id)) == before)
    }

    @Test("a service-account secret with + / = is accepted: the Basic header carries it raw")
    func secretWithReservedCharacters() async throws {
        let e2e = try await EndToEndFixture()
        #expect(EndToEndFixture.clientSecret.contains("+") && EndToEndFixture.clientSecret.contains("/")
            && EndToEndFixture.clientSecret.contains("="))
        let task = try await e2e.task(bucket: "staging", prefix: "run/", ["a.dat"], status: "ACTIVE")
        _ = try await e2e.add(task: task, from: "s3://staging/run/", to: "s3://dest/out/")
        let result = try await e2e.sweep()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let tokens = try await e2e.globus.requests().filter { $0.path == "/v2/oauth2/token" }
        #expect(tokens.count == 1 && tokens[0].status == 200 && tokens[0].authScheme == "Basic")
    }
}
