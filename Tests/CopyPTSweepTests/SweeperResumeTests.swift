@testable import CopyPTSweep
import CopyPTRecords
import Foundation
import Testing

@Suite struct SweeperResumeTests {
    @Test("killed mid-batch: the next sweep copies only what the journal does not list as done")
    func killMidBatch() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", (0..<9).map { "f\($0)" })
        f.tasks.set("t1", .succeeded)
        f.s3.afterVerify = { key in if key == "out/run/f5" { throw SimulatedKill() } }
        _ = await f.sweep { $0.batchSize = 3 }
        #expect(try f.record("20270115-000001").state == .copying)
        #expect(f.s3.totalCopies == 6)
        f.s3.afterVerify = nil
        _ = await f.sweep { $0.batchSize = 3 }
        #expect(try f.record("20270115-000001").state == .done)
        #expect(f.s3.copies.count == 9)
        #expect(f.s3.copies.values.allSatisfy { $0 == 1 })
    }

    @Test("a multipart upload in the journal is handed back to the engine to resume by UploadId")
    func multipartResume() async throws {
        let f = try SweepFixture()
        let record = try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["big", "small"], size: 100)
        f.tasks.set("t1", .succeeded)
        // A previous sweep created the upload and was killed before its parts were done.
        _ = try f.store.withLock(record.id) { $0.state = .copying }
        let journal = try CopyJournal(path: f.store.journalURL(for: record.id).path)
        try await journal.append([.upload(destinationKey: "out/run/big", uploadID: "upload-7")])
        await journal.close()
        _ = await f.sweep()
        #expect(f.s3.resumed == ["out/run/big": "upload-7"])
        #expect(try f.record(record.id).state == .done)
    }

    @Test("multipart uploads are journalled before their parts")
    func multipartJournalled() async throws {
        let f = try SweepFixture()
        let record = try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["big"], size: 100)
        f.tasks.set("t1", .succeeded)
        f.s3.multipartThreshold = 50
        f.s3.afterVerify = { _ in throw SimulatedKill() }
        _ = await f.sweep()
        let text = try String(contentsOf: f.store.journalURL(for: record.id), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "{\"id\":\"upload-out/run/big\",\"upload\":\"out/run/big\"}")
        #expect(lines.last?.hasPrefix("{\"done\":\"out/run/big\"") == true)
    }

    @Test("a multipart upload a killed sweep could not journal is aborted once the copy is complete")
    func strayUploadAborted() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["big", "small"], size: 100)
        f.tasks.set("t1", .succeeded)
        f.s3.multipartThreshold = 50
        f.s3.leaveUpload("out/run/big", "orphan-1")
        f.s3.leaveUpload("out/run/not-ours", "someone-else")
        _ = await f.sweep { $0.multipartThreshold = 50 }
        #expect(try f.record("20270115-000001").state == .done)
        #expect(f.s3.uploads == ["out/run/not-ours": "someone-else"])
    }

    @Test("a stray-upload listing refused with AccessDenied is noted in the record once; the verified transfer is done")
    func strayUploadListingDenied() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["big", "small"], size: 100)
        f.tasks.set("t1", .succeeded)
        f.s3.multipartThreshold = 50
        f.s3.leaveUpload("out/run/big", "orphan-1")
        f.s3.openUploadsError = .remote(code: "AccessDenied", message: "ListMultipartUploads s3://dest/out/run/ failed: 403 AccessDenied", kind: .permanent)
        let report = await f.sweep { $0.multipartThreshold = 50 }
        let record = try f.record("20270115-000001")
        #expect(record.state == .done)
        #expect(record.lastError == nil)
        #expect(report.exitStatus == .success)
        #expect(f.s3.copies.count == 2)
        let notes = record.notes.filter { $0.contains("s3:ListBucketMultipartUploads on s3://dest") }
        #expect(notes.count == 1)
        #expect(!f.events.contains { if case .note = $0 { return true } else { return false } })
        #expect(f.s3.uploads == ["out/run/big": "orphan-1"])
    }

    @Test("a stray-upload listing that fails otherwise still fails the transfer")
    func strayUploadListingFails() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["big"], size: 100)
        f.tasks.set("t1", .succeeded)
        f.s3.multipartThreshold = 50
        f.s3.openUploadsError = .remote(code: "NoSuchBucket", message: "ListMultipartUploads s3://dest/out/run/ failed: 404 NoSuchBucket", kind: .permanent)
        _ = await f.sweep { $0.multipartThreshold = 50 }
        let record = try f.record("20270115-000001")
        #expect(record.state == .failed)
        #expect(record.lastError?.code == "NoSuchBucket")
    }

    @Test("--delete-staging deletes verified staging objects and journals them")
    func deleteStaging() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1", options: CopyOptions(deleteStaging: true))
        f.stage(task: "t1", ["a", "b", "c"])
        f.tasks.set("t1", .succeeded)
        _ = await f.sweep()
        #expect(try f.record("20270115-000001").state == .done)
        #expect(f.s3.objects(in: "staging").isEmpty)
        #expect(f.s3.objects(in: "dest").count == 3)
        #expect(f.s3.deleteCalls == 1)
    }

    @Test("--dry-run: says what would happen, writes nothing, copies nothing, no journal")
    func dryRun() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        try f.add("20270115-000002", task: "t2")
        f.stage(task: "t1", ["a", "b"], size: 5)
        f.tasks.set("t1", .succeeded)
        f.tasks.set("t2", .failed, fatalError: "CANCELED: canceled")
        let before = try f.store.loadAll().records
        let report = await f.sweep { $0.dryRun = true }
        #expect(try f.store.loadAll().records == before)
        #expect(f.s3.totalCopies == 0)
        #expect(!FileManager.default.fileExists(atPath: f.store.journalURL(for: "20270115-000001").path))
        #expect(!FileManager.default.fileExists(atPath: f.store.lockURL(for: "20270115-000001").path))
        #expect(f.events.contains(.wouldCopy(id: "20270115-000001", label: nil, objects: 2, bytes: 10, alreadyDone: 0)))
        #expect(f.events.contains { if case .stateChanged(let c) = $0 { return c.dryRun && c.to == .failed } else { return false } })
        #expect(report.changes.isEmpty)
    }

    @Test("a record another sweep holds is skipped and left alone")
    func busySkipped() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a"])
        f.tasks.set("t1", .succeeded)
        let inner = try await f.store.withLock("20270115-000001") { _ in await f.sweep() }
        let report = try #require(inner.value)
        #expect(report.busy == 1)
        #expect(f.events == [.busy(id: "20270115-000001")])
        #expect(f.s3.totalCopies == 0)
        #expect(try f.record("20270115-000001").state == .waiting)
    }

    @Test("an unreadable record is reported by name and left untouched; the others go on; exit 1")
    func unreadableRecord() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a"])
        f.tasks.set("t1", .succeeded)
        let bad = f.store.recordURL(for: "20270115-000009")
        try Data("{\"version\": 1, \"id\": ".utf8).write(to: bad)
        let report = await f.sweep()
        #expect(report.unreadableRecords == 1)
        #expect(report.exitStatus == .permanentFailure)
        #expect(f.events.first.map { if case .unreadableRecord(let name, _) = $0 { return name == "20270115-000009.json" } else { return false } } == true)
        #expect(try Data(contentsOf: bad) == Data("{\"version\": 1, \"id\": ".utf8))
        #expect(try f.record("20270115-000001").state == .done)
    }

    @Test("the metrics text has every series, in Prometheus text format")
    func metrics() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a", "b"], size: 1024)
        f.tasks.set("t1", .succeeded)
        let report = await f.sweep()
        let text = SweepMetrics.render(report)
        #expect(text.contains("copypt_transfers{state=\"done\"} 1\n"))
        #expect(text.contains("copypt_transfers{state=\"waiting\"} 0\n"))
        #expect(text.contains("copypt_objects_copied_total 2\n"))
        #expect(text.contains("copypt_bytes_copied_total 2048\n"))
        #expect(text.contains("copypt_last_sweep_timestamp_seconds 1800000000\n"))
        #expect(text.contains("# TYPE copypt_last_sweep_duration_seconds gauge\n"))
        let path = f.root.appendingPathComponent("copypt.prom").path
        try SweepMetrics.write(report, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }
}
