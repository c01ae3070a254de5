@testable import CopyPTSweep
import CopyPTHTTP
import CopyPTRecords
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// Staging keys that could only be copied outside the destination prefix, and listings that
/// would never end.
@Suite struct SweeperUnsafeKeysTests {
    @Test("history gone: staging keys with . or .. segments are not copied and are noted in the record; the rest is copied", arguments: [true, false])
    func unsafeKeys(historyGone: Bool) async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a", "b//c"])
        for key in ["run/../../../other/pwned.txt", "run/x/./y", "run/.."] { f.s3.put("staging", key) }
        if historyGone { f.tasks.forgetHistory("t1") }
        f.tasks.set("t1", .succeeded)
        let report = await f.sweep()
        #expect(report.exitStatus == .success)
        let record = try f.record("20270115-000001")
        #expect(record.state == .done)
        #expect(Set(f.s3.objects(in: "dest").keys) == ["out/run/a", "out/run/b//c"])
        #expect(f.s3.objects(in: "other").isEmpty)
        let note = try #require(record.notes.first { $0.contains("were not copied: their path below it has a `.` or `..` segment") })
        #expect(note.hasPrefix("3 staging object(s) under s3://staging/run/"))
        #expect(note.contains("run/../../../other/pwned.txt"))
        #expect(f.events.contains { if case .note(_, _, let message) = $0 { message == note } else { false } })
    }

    @Test("a continuation token handed back again fails the transfer instead of listing forever")
    func stuckListing() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a", "b"])
        f.s3.stuckToken = "again"
        f.tasks.set("t1", .succeeded)
        let report = await f.sweep()
        #expect(report.exitStatus == .permanentFailure)
        let record = try f.record("20270115-000001")
        #expect(record.state == .failed)
        #expect(record.lastError?.message.contains("handed back a continuation token a second time") == true)
        #expect(f.s3.listCalls <= 3)
    }

    @Test("the S3 store refuses a write outside the transfer's destination: no request, a permanent failure")
    func storeChecksDestination() async throws {
        let transport = StubTransport()
        let store = S3ObjectStoreTests.store(transport)
        let item = PlannedCopy(
            sourceBucket: "staging", sourceKey: "run/../x", destinationBucket: "dest", destinationKey: "out/run/../x",
            size: 3, eTag: "\"e\"")
        let failures = try await store.copy(
            [item], options: PlannedCopyOptions(destination: S3Prefix(bucket: "dest", prefix: "out/run/")), resume: [:]) { _ in }
        #expect(transport.requests.isEmpty)
        #expect(failures.first?.error.kind == .permanent)
    }
}
