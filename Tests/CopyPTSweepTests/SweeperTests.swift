@testable import CopyPTSweep
import CopyPTRecords
import CopyPTS3
import Foundation
import Testing

@Suite struct SweeperTests {
    // MARK: - Waiting

    @Test("ACTIVE tasks: one status call for all, no record written, nothing reported, exit 0")
    func activeIsQuiet() async throws {
        let f = try SweepFixture()
        for i in 0..<200 {
            try f.add(String(format: "20270115-%06d", i), task: "t\(i)")
            f.tasks.set("t\(i)", .active, niceStatus: "Queued")
        }
        let before = try f.modificationDate("20270115-000007")
        let bytes = try Data(contentsOf: f.store.recordURL(for: "20270115-000007"))
        let report = await f.sweep()
        #expect(f.tasks.statusCalls == 1)
        #expect(f.events.isEmpty)
        #expect(report.changes.isEmpty)
        #expect(report.exitStatus == .success)
        #expect(report.transfersByState[.waiting] == 200)
        #expect(try f.modificationDate("20270115-000007") == before)
        #expect(try Data(contentsOf: f.store.recordURL(for: "20270115-000007")) == bytes)
        #expect(!FileManager.default.fileExists(atPath: f.store.lockURL(for: "20270115-000007").path))
    }

    @Test("INACTIVE is reported once with nice_status, then stays quiet")
    func inactiveOnce() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1", label: "run1")
        f.tasks.set("t1", .inactive, niceStatus: "Credential expired")
        _ = await f.sweep()
        #expect(f.events == [.needsAttention(id: "20270115-000001", label: "run1", taskID: "t1", niceStatus: "Credential expired")])
        #expect(try f.record("20270115-000001").globusStatus?.status == "INACTIVE")
        let report = await f.sweep()
        #expect(f.events.isEmpty)
        #expect(report.exitStatus == .success)
    }

    @Test("FAILED and unknown tasks fail their transfers with Globus's reason; exit 1")
    func failedAndNotFound() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        try f.add("20270115-000002", task: "t2")
        f.tasks.set("t1", .failed, fatalError: "PERMISSION_DENIED: no write access")
        let report = await f.sweep()
        #expect(report.exitStatus == .permanentFailure)
        #expect(report.permanentFailures == 2)
        let one = try f.record("20270115-000001")
        #expect(one.state == .failed)
        #expect(one.lastError?.code == "GlobusTaskFailed")
        #expect(one.lastError?.message.contains("PERMISSION_DENIED: no write access") == true)
        #expect(try f.record("20270115-000002").lastError?.code == "TaskNotFound")
        #expect(report.changes.map(\.to) == [.failed, .failed])
    }

    @Test("a failing Globus status call is one run error: transient → 75, login → 2; records untouched")
    func statusCallFails() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.tasks.failStatuses(with: .remote(code: "NetworkError", message: "connection refused", kind: .transient))
        #expect(await f.sweep().exitStatus == .transient)
        f.tasks.failStatuses(with: .remote(code: "GlobusLoginRequired", message: "log in", kind: .configuration))
        #expect(await f.sweep().exitStatus == .configuration)
        #expect(try f.record("20270115-000001").lastError == nil)
    }

    // MARK: - Copying

    @Test("SUCCEEDED: every delivered object copied once, record done with totals, journal removed")
    func succeededCopies() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1", label: "run1")
        f.stage(task: "t1", ["a.txt", "raw/b.dat", "raw/deep/c ü.bin", "日本/d"], size: 100)
        f.tasks.set("t1", .succeeded)
        let report = await f.sweep()
        #expect(report.exitStatus == .success)
        #expect(report.changes == [SweepStateChange(id: "20270115-000001", label: "run1", from: .waiting, to: .done, objects: 4, bytes: 400)])
        let record = try f.record("20270115-000001")
        #expect(record.state == .done)
        #expect(record.planSource == "successful_transfers")
        #expect(record.progress == TransferProgress(objectsTotal: 4, objectsDone: 4, bytesTotal: 400, bytesDone: 400))
        #expect(Set(f.s3.objects(in: "dest").keys) == ["out/run/a.txt", "out/run/raw/b.dat", "out/run/raw/deep/c ü.bin", "out/run/日本/d"])
        #expect(f.s3.copies.values.allSatisfy { $0 == 1 })
        #expect(!FileManager.default.fileExists(atPath: f.store.journalURL(for: record.id).path))
        #expect(await f.sweep().changes.isEmpty)
        #expect(f.events.isEmpty)
        #expect(f.s3.totalCopies == 4)
    }

    @Test("a short first listing page starts the copy; the rest is listed in full pages, each object copied once")
    func shortFirstPage() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        let names = (0..<1_250).map { "f\($0)" }
        f.stage(task: "t1", names)
        f.tasks.set("t1", .succeeded)
        let report = await f.sweep()
        #expect(report.exitStatus == .success)
        #expect(f.s3.listMaxKeys == [S3Copier.firstPageKeys, nil, nil])
        #expect(f.s3.objects(in: "dest").count == 1_250)
        #expect(f.s3.copies.values.allSatisfy { $0 == 1 })
        #expect(try f.record("20270115-000001").progress.objectsDone == 1_250)
    }

    @Test("objects staged but not delivered, and delivered paths outside the Globus path, are not copied")
    func onlyDelivered() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a", "b"])
        f.s3.put("staging", "run/not-delivered")
        f.tasks.deliver("t1", ["/staging/run/a", "/staging/run/b", "/staging/other/x", "/elsewhere/y"])
        f.tasks.set("t1", .succeeded)
        _ = await f.sweep()
        let record = try f.record("20270115-000001")
        #expect(record.state == .done)
        #expect(Set(f.s3.objects(in: "dest").keys) == ["out/run/a", "out/run/b"])
        #expect(record.notes.count == 1)
        #expect(record.notes.first?.contains("2 file(s) Globus delivered are outside the Globus path /staging/run/") == true)
    }

    @Test("history gone: falls back to listing the staging prefix and says so in the record")
    func historyFallback() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a", "b/c"])
        f.s3.put("staging", "run/dir-marker/", size: 0)
        f.tasks.forgetHistory("t1")
        f.tasks.set("t1", .succeeded)
        _ = await f.sweep()
        let record = try f.record("20270115-000001")
        #expect(record.state == .done)
        #expect(record.planSource == "listing")
        #expect(record.notes.first?.contains("no longer has the file list") == true)
        #expect(Set(f.s3.objects(in: "dest").keys) == ["out/run/a", "out/run/b/c"])
    }

    @Test("delivered files missing from staging fail the transfer naming them")
    func missingFromStaging() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a", "b"])
        f.tasks.deliver("t1", ["/staging/run/a", "/staging/run/b", "/staging/run/gone"])
        f.tasks.set("t1", .succeeded)
        let report = await f.sweep()
        let record = try f.record("20270115-000001")
        #expect(record.state == .failed)
        #expect(record.lastError?.code == "MissingFromStaging")
        #expect(record.lastError?.message.contains("gone") == true)
        #expect(report.exitStatus == .permanentFailure)
    }

    @Test("a transient copy error keeps the transfer copying with attempts + 1; the next sweep finishes without re-copying")
    func transientThenResume() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", (0..<10).map { "f\($0)" })
        f.tasks.set("t1", .succeeded)
        f.s3.fail("out/run/f7", with: .remote(code: "SlowDown", message: "CopyObject … 503 SlowDown", kind: .transient))
        let first = await f.sweep { $0.batchSize = 4 }
        #expect(first.exitStatus == .transient)
        var record = try f.record("20270115-000001")
        #expect(record.state == .copying)
        #expect(record.attempts == 1)
        #expect(record.lastError?.transient == true)
        #expect(record.progress.objectsDone == 7)
        #expect(f.events.contains(.transientError(id: record.id, label: nil, error: .remote(code: "SlowDown", message: "CopyObject … 503 SlowDown", kind: .transient))))
        f.s3.fail("out/run/f7", with: nil)
        let second = await f.sweep { $0.batchSize = 4 }
        #expect(second.exitStatus == .success)
        #expect(second.changes.first?.from == .copying)
        record = try f.record("20270115-000001")
        #expect(record.state == .done)
        #expect(record.lastError == nil && record.attempts == 0)
        #expect(f.s3.copies.count == 10 && f.s3.copies.values.allSatisfy { $0 == 1 })
    }

    @Test("a permanent copy error fails the transfer with the reason; exit 1")
    func permanentFails() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a", "b"])
        f.tasks.set("t1", .succeeded)
        f.s3.fail("out/run/b", with: .remote(code: "AccessDenied", message: "s3://dest: 403 AccessDenied — grant s3:PutObject", kind: .permanent))
        let report = await f.sweep()
        #expect(report.exitStatus == .permanentFailure)
        let record = try f.record("20270115-000001")
        #expect(record.state == .failed)
        #expect(record.lastError?.message == "s3://dest: 403 AccessDenied — grant s3:PutObject")
        #expect(report.changes == [SweepStateChange(id: record.id, label: nil, from: .waiting, to: .failed, reason: "s3://dest: 403 AccessDenied — grant s3:PutObject")])
    }
}
