@testable import CopyPTSweep
import CopyPTRecords
import Foundation
import Testing

@Suite struct SweeperTransientTests {
    static let outage = SweepError.remote(code: "NetworkError", message: "task_list failed: connection refused", kind: .transient)

    func quiet(_ c: inout SweepConfiguration) { c.quietTransientFor = .seconds(3600) }

    func runErrors(_ f: SweepFixture) -> [SweepError] {
        f.events.compactMap { if case .runError(let error) = $0 { return error } else { return nil } }
    }

    @Test("Globus unreachable: quiet (exit 75) for the first hour, one report once it has lasted, then quiet again for a day")
    func globusOutageQuietThenDaily() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        try f.add("20270115-000002", task: "t2")
        f.tasks.failStatuses(with: Self.outage)
        let start = f.now

        var report = await f.sweep(quiet)
        #expect(report.exitStatus == .transient)
        #expect(f.events.isEmpty)
        #expect(try f.record("20270115-000001").transientTrouble == TransientTrouble(since: start))
        let written = try f.modificationDate("20270115-000001")

        f.now = start + 3000
        report = await f.sweep(quiet)
        #expect(f.events.isEmpty && report.exitStatus == .transient)
        #expect(try f.modificationDate("20270115-000001") == written)  // nothing new to record

        f.now = start + 3700
        _ = await f.sweep(quiet)
        let reported = runErrors(f)
        #expect(reported.count == 1)  // one line for the run, not one per transfer
        #expect(reported.first?.description.contains("failing since \(RFC3339.string(from: start)), 1h 1m") == true)
        #expect(try f.record("20270115-000002").transientTrouble?.reportedAt == RFC3339.truncated(start + 3700))

        f.now = start + 3 * 3600
        _ = await f.sweep(quiet)
        #expect(f.events.isEmpty)

        f.now = start + 3700 + 86_400
        _ = await f.sweep(quiet)
        #expect(runErrors(f).count == 1)

        f.tasks.failStatuses(with: nil)
        f.tasks.set("t1", .active)
        f.tasks.set("t2", .active)
        f.now = start + 2 * 86_400
        report = await f.sweep(quiet)
        #expect(report.exitStatus == .success && f.events.isEmpty)
        #expect(try f.record("20270115-000001").transientTrouble == nil)
    }

    @Test("a transient copy error stays quiet until it has lasted, then is reported with since when; success clears it")
    func copyErrorQuietThenReported() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1", label: "run1")
        f.stage(task: "t1", ["a", "b"])
        f.tasks.set("t1", .succeeded)
        f.s3.fail("out/run/a", with: .remote(code: "SlowDown", message: "CopyObject 503 SlowDown", kind: .transient))
        f.s3.fail("out/run/b", with: .remote(code: "SlowDown", message: "CopyObject 503 SlowDown", kind: .transient))
        let start = f.now

        var report = await f.sweep(quiet)
        #expect(report.exitStatus == .transient)
        #expect(report.changes.map(\.to) == [.copying])
        #expect(!f.events.contains { if case .transientError = $0 { return true } else { return false } })
        #expect(try f.record("20270115-000001").transientTrouble?.since == start)

        f.now = start + 3601
        report = await f.sweep(quiet)
        let errors = f.events.compactMap { event -> SweepError? in
            if case .transientError(_, _, let error) = event { return error } else { return nil }
        }
        #expect(errors.count == 1)
        #expect(errors.first?.code == "SlowDown")
        #expect(errors.first?.description.contains("failing since \(RFC3339.string(from: start)), 1h") == true)

        f.s3.fail("out/run/a", with: nil)
        f.s3.fail("out/run/b", with: nil)
        f.now = start + 7200
        report = await f.sweep(quiet)
        #expect(report.exitStatus == .success)
        #expect(try f.record("20270115-000001").transientTrouble == nil)
    }

    @Test("with no quiet time (the library default) every transient error is reported at once, as before")
    func noQuietTime() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.tasks.failStatuses(with: Self.outage)
        _ = await f.sweep()
        #expect(runErrors(f) == [Self.outage])
        _ = await f.sweep()
        #expect(runErrors(f) == [Self.outage])
    }

    @Test("a permanent error is never kept quiet")
    func permanentNotQuiet() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.tasks.set("t1", .failed, fatalError: "PERMISSION_DENIED")
        let report = await f.sweep(quiet)
        #expect(report.exitStatus == .permanentFailure)
        #expect(report.changes.map(\.to) == [.failed])
    }

    @Test("durations in messages: at most two units, rounded down")
    func approximateDurations() {
        #expect(DurationText.approximate(.seconds(45)) == "45s")
        #expect(DurationText.approximate(.seconds(3660)) == "1h 1m")
        #expect(DurationText.approximate(.seconds(90_061)) == "1d 1h")
        #expect(DurationText.approximate(.seconds(7200)) == "2h")
    }
}

extension SweeperTransientTests {
    @Test("when the trouble cannot be recorded (the record unreadable mid-sweep), it is reported rather than kept quiet for ever")
    func unrecordableTroubleIsReported() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.tasks.failStatuses(with: Self.outage)
        let path = f.store.recordURL(for: "20270115-000001")
        f.tasks.onStatuses = {
            try? FileManager.default.removeItem(at: path)
            try? FileManager.default.createDirectory(at: path, withIntermediateDirectories: false)
        }
        let report = await f.sweep(quiet)
        #expect(report.exitStatus == .transient)
        #expect(runErrors(f).count == 1)
    }
}
