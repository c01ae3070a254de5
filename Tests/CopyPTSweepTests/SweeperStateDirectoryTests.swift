@testable import CopyPTSweep
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// The sweep and its state directory: locks held for long, file-system errors, planted links,
/// counters at their limits.
@Suite struct SweeperStateDirectoryTests {
    static let id = "20270115-000001"

    /// A copying record whose task delivered `a`.
    static func copyingFixture() throws -> SweepFixture {
        let f = try SweepFixture()
        try f.add(id, task: "t1")
        f.stage(task: "t1", ["a"])
        f.tasks.set("t1", .succeeded)
        _ = try f.store.withLock(id) { $0.state = .copying }
        return f
    }

    @Test("a record held by another process longer than busyWarnAfter is warned about with its holder, every sweep; a shorter hold is not")
    func busyTooLong() async throws {
        let f = try Self.copyingFixture()
        // The fixture's clock reads 2027-01-15T08:00:00Z.
        let holder = try await LockingProcess.hold(f.store.lockURL(for: Self.id).path, since: "2027-01-15T01:00:00Z")
        let owner = LockOwner(pid: holder.pid, since: try #require(RFC3339.date(from: "2027-01-15T01:00:00Z")))
        let before = try Data(contentsOf: f.store.recordURL(for: Self.id))
        for _ in 0..<2 {
            let report = await f.sweep()
            #expect(report.busy == 1 && report.exitStatus == .success)
            #expect(f.events == [.busy(id: Self.id), .busyTooLong(id: Self.id, label: nil, owner: owner, after: .seconds(6 * 3600))])
        }
        _ = await f.sweep { $0.busyWarnAfter = .seconds(8 * 3600) }
        #expect(f.events == [.busy(id: Self.id)])
        #expect(await holder.child.finish().status == 0)
        #expect(try Data(contentsOf: f.store.recordURL(for: Self.id)) == before)
        #expect(f.s3.totalCopies == 0)
    }

    @Test("a lock file the sweep cannot open is a configuration error naming it (exit 2), not transient; the record is untouched")
    func unopenableLock() async throws {
        let f = try Self.copyingFixture()
        let lockPath = f.store.lockURL(for: Self.id).path
        try FileManager.default.removeItem(atPath: lockPath)
        #expect(symlink("/nonexistent-\(UUID().uuidString)", lockPath) == 0)
        let before = try Data(contentsOf: f.store.recordURL(for: Self.id))
        let report = await f.sweep()
        #expect(report.exitStatus == .configuration)
        let message = try #require(f.events.compactMap { event -> String? in
            if case .runError(let error) = event, error.kind == .configuration { return error.description }
            return nil
        }.first)
        #expect(message.contains(lockPath) && message.contains("symbolic link"))
        #expect(try Data(contentsOf: f.store.recordURL(for: Self.id)) == before)
    }

    @Test("a <id>.journal planted as a symbolic link is refused (exit 2); the outside file stays as it was")
    func plantedJournal() async throws {
        let f = try Self.copyingFixture()
        let outside = f.root.appendingPathComponent("outside.txt")
        try Data("keep me\n".utf8).write(to: outside)
        #expect(symlink(outside.path, f.store.journalURL(for: Self.id).path) == 0)
        let report = await f.sweep()
        #expect(report.exitStatus == .configuration)
        #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me\n")
        #expect(f.s3.totalCopies == 0)
        let record = try f.record(Self.id)
        #expect(record.state == .copying && record.attempts == 0)
    }

    @Test("record and journal errors: permissions, read-only, links and no flock stop the run (2); a full disk is transient (75)",
          arguments: [
              (RecordError.io(operation: "open lock file", path: "/s/t/a.lock", errno: EACCES), SweepError.Kind.configuration),
              (RecordError.io(operation: "create temporary file", path: "/s/t/.a.tmp", errno: EROFS), .configuration),
              (RecordError.io(operation: "write", path: "/s/t/.a.tmp", errno: ENOSPC), .transient),
              (RecordError.lockFailed(path: "/s/t/a.lock", errno: ENOLCK), .configuration),
              (RecordError.lockFailed(path: "/s/t/a.lock", errno: ENOSYS), .configuration),
              (RecordError.unsafeDirectory(path: "/s", mode: 0o40777, owner: 0, user: 0), .configuration),
              (RecordError.notFound(id: "20270115-000001", path: "/s/t/a.json"), .transient),
          ])
    func recordErrorKinds(error: RecordError, kind: SweepError.Kind) {
        let failure = Sweeper.sweepError(error)
        #expect(failure.kind == kind)
        #expect(failure.description == RecordedError.oneLine(error.description))
    }

    @Test("journal errors by errno: a full disk is transient, permissions or a link are configuration errors",
          arguments: [(ENOSPC, SweepError.Kind.transient), (EIO, .transient), (EACCES, .configuration), (ELOOP, .configuration), (EROFS, .configuration)])
    func journalKinds(code: Int32, kind: SweepError.Kind) {
        #expect(SweepError.journal(path: "/s/t/a.journal", operation: "open", errno: code).kind == kind)
    }

    @Test("a transient error at the attempts limit keeps the count there instead of overflowing")
    func attemptsHeld() {
        var record = TransferRecord(
            id: Self.id, globusTaskID: "t1", from: S3Prefix(bucket: "staging", prefix: "run/"),
            to: S3Prefix(bucket: "dest", prefix: "out/run/"), globusPath: "/staging/run/", state: .copying,
            createdAt: SweepFixture.start, attempts: Int(TransferRecord.counterLimit))
        var outcome = CopyOutcome()
        Sweeper.record(.remote(code: "SlowDown", message: "503", kind: .transient), in: &record, loadedState: .copying,
                       at: SweepFixture.start, outcome: &outcome)
        #expect(record.attempts == Int(TransferRecord.counterLimit))
        #expect((try? record.checkRanges(path: "x")) != nil)
    }

    @Test("journal sizes past the counter limit are unreadable lines, and the bytes done never overflow")
    func hugeJournalSizes() async throws {
        try await TemporaryDirectory.with("copypt-journal") { dir in
            let path = dir.appendingPathComponent("t.journal")
            let limit = TransferRecord.counterLimit
            let lines = [
                #"{"done":"a","etag":"e","size":9223372036854775807}"#,
                #"{"done":"b","etag":"e","size":-3}"#,
                #"{"done":"c","etag":"e","size":\#(limit)}"#,
                #"{"done":"d","etag":"e","size":\#(limit)}"#,
            ]
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
            let state = try CopyJournal.replay(path: path.path)
            #expect(state.unreadableLines == 2)
            #expect(Set(state.done.keys) == ["c", "d"])
            #expect(state.bytesDone == limit)
        }
    }
}
