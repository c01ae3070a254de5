@testable import CopyPTSweep
import CopyPTRecords
import Foundation
import Testing

@Suite struct GlobusHealthCheckTests {
    static let created = Date(timeIntervalSince1970: 1_800_000_000)
    static let stallAfter = Duration.seconds(6 * 3600)

    static func record(_ health: GlobusHealth? = nil) -> TransferRecord {
        var record = TransferRecord(
            id: "20270115-000001", globusTaskID: "task-1", from: S3Prefix(bucket: "s", prefix: "p/"),
            to: S3Prefix(bucket: "d", prefix: "q/"), globusPath: "/s/p/", createdAt: created)
        record.globusHealth = health
        return record
    }

    static func status(
        _ state: TaskStatus.State = .active, nice: String? = "OK", paused: Bool = false, faults: Int = 0,
        bytes: Int64 = 0, files: Int = 0, of total: Int? = 10, deadline: Date? = nil
    ) -> TaskStatus {
        var status = TaskStatus(state: state, niceStatus: nice)
        status.isPaused = paused
        status.faults = faults
        status.bytesTransferred = bytes
        status.filesTransferred = files
        status.files = total
        status.deadline = deadline
        return status
    }

    func assess(_ record: TransferRecord, _ status: TaskStatus, after seconds: TimeInterval) -> GlobusHealthCheck {
        GlobusHealthCheck.assess(record, status: status, stallAfter: Self.stallAfter, now: Self.created.addingTimeInterval(seconds))
    }

    @Test("each class from the task document, first match wins; a record never judged reads as progressing")
    func classes() {
        let fresh = Self.record()
        #expect(assess(fresh, Self.status(.inactive, nice: "Credential expired"), after: 60).health.class == .inactive)
        #expect(assess(fresh, Self.status(paused: true), after: 60).health.class == .paused)
        #expect(assess(fresh, Self.status(nice: "PERMISSION_DENIED"), after: 60).health.class == .faulting)
        #expect(assess(fresh, Self.status(faults: 1), after: 60).health.class == .faulting)
        let soon = Self.created.addingTimeInterval(60 + 3600)
        #expect(assess(fresh, Self.status(deadline: soon), after: 60).health.class == .deadlineNear)
        #expect(assess(fresh, Self.status(deadline: soon.addingTimeInterval(86_400)), after: 60).health.class == .progressing)
        #expect(assess(fresh, Self.status(), after: 6 * 3600).health.class == .stalled)
        #expect(assess(fresh, Self.status(nice: "Queued"), after: 6 * 3600 - 1).health.class == .progressing)
        // Idle and young: nothing to write.
        let idle = assess(fresh, Self.status(nice: "Queued"), after: 60)
        #expect(idle.health.class == .progressing && !idle.write)
    }

    @Test("writes only on a class change, a new fault bracket, a new progress decile, or progress after half the stall time")
    func writes() {
        let now: TimeInterval = 3600
        let seen = GlobusHealth(
            class: .progressing, reason: "r", since: Self.created, bytesTransferred: 100, filesTransferred: 1, files: 10,
            progressAt: Self.created.addingTimeInterval(now - 60))
        let record = Self.record(seen)
        #expect(!assess(record, Self.status(bytes: 100, files: 1), after: now).write)  // nothing moved
        #expect(!assess(record, Self.status(bytes: 900, files: 1), after: now).write)  // same decile, recent write
        #expect(assess(record, Self.status(bytes: 900, files: 2), after: now).write)   // decile 1 → 2
        // Moving slowly within a decile: rewritten once half the stall time passed since the last write.
        let refreshed = assess(record, Self.status(bytes: 900, files: 1), after: now - 60 + 3 * 3600)
        #expect(refreshed.write && refreshed.health.class == .progressing)
        #expect(refreshed.health.progressAt == Self.created.addingTimeInterval(now - 60 + 3 * 3600))
        // Faults 1 → 3 (bracket 1 → 2) while faulting: written, with the detail fetched again.
        var faulting = seen
        faulting.class = .faulting
        faulting.faults = 1
        let more = assess(Self.record(faulting), Self.status(faults: 3, bytes: 100, files: 1), after: now)
        #expect(more.write && more.fetchDetail && more.health.class == .faulting)
        #expect(!assess(Self.record(faulting), Self.status(faults: 1, bytes: 100, files: 1), after: now).write)
    }

    @Test("faulting holds until the task moves again; stalled clears on progress")
    func recovery() {
        var faulting = GlobusHealth(
            class: .faulting, reason: "r", since: Self.created, bytesTransferred: 100, filesTransferred: 1, files: 10,
            progressAt: Self.created, faults: 2)
        faulting.lastFaults = ["X: y"]
        let still = assess(Self.record(faulting), Self.status(faults: 2, bytes: 100, files: 1), after: 60)
        #expect(still.health.class == .faulting && !still.write)
        let moving = assess(Self.record(faulting), Self.status(faults: 2, bytes: 200, files: 1), after: 60)
        #expect(moving.health.class == .progressing && moving.write)
        var stalled = faulting
        stalled.class = .stalled
        let resumed = assess(Self.record(stalled), Self.status(faults: 2, bytes: 200, files: 1), after: 7 * 3600)
        #expect(resumed.health.class == .progressing && resumed.write)
    }

    @Test("reasons say what to do; the latest fault and the pause reason are kept")
    func reasons() {
        let fresh = Self.record()
        let fault = assess(fresh, Self.status(nice: "ENDPOINT_ERROR", faults: 4), after: 60)
        #expect(fault.fetchDetail)
        let faulted = fault.finished(fault: "ENDPOINT_ERROR: disk full", pause: nil, stallAfter: Self.stallAfter, now: Self.created)
        #expect(faulted.reason == "Globus is retrying after 4 fault(s); latest: ENDPOINT_ERROR: disk full; fix the cause on the collection or cancel the task")
        #expect(faulted.lastFaults == ["ENDPOINT_ERROR: disk full"])
        let paused = assess(fresh, Self.status(paused: true), after: 60)
            .finished(fault: nil, pause: "lab DTN: maintenance", stallAfter: Self.stallAfter, now: Self.created)
        #expect(paused.reason.hasPrefix("paused by lab DTN: maintenance; ask the collection's administrator"))
        let inactive = assess(fresh, Self.status(.inactive, nice: "Credential expired"), after: 60).health
        #expect(inactive.reason == "Globus set the task INACTIVE (Credential expired): reactivate the collection's credentials, then it resumes")
        let stalled = assess(fresh, Self.status(bytes: 0, files: 0), after: 7 * 3600).health
        #expect(stalled.reason.hasPrefix("no progress for 7h (0/10 files, 0 bytes so far); check the task at https://app.globus.org/activity/task-1"))
    }

    @Test("fault brackets and progress deciles")
    func brackets() {
        #expect([0, 1, 2, 4, 5, 9, 10, 49, 50, 99, 100, 999, 1000, 10_000].map(GlobusHealth.faultBracket)
                == [0, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8])
        #expect(GlobusHealth.progressDecile(filesTransferred: 5, files: 10) == 5)
        #expect(GlobusHealth.progressDecile(filesTransferred: 5, files: nil) == 0)
        #expect(GlobusHealth.progressDecile(filesTransferred: 12, files: 10) == 10)
        #expect(GlobusHealth.Class.allCases.filter(\.needsAttention) == [.stalled, .faulting, .inactive, .deadlineNear])
    }

    @Test("nice_status error codes")
    func errorCodes() {
        for code in ["PERMISSION_DENIED", "ENDPOINT_ERROR", "CONNECTION_FAILED", "FILE_NOT_FOUND", "QUOTA_EXCEEDED"] {
            #expect(GlobusHealthCheck.isErrorCode(code))
        }
        for healthy in [nil, "", "OK", "Queued", "Credential expired"] as [String?] {
            #expect(!GlobusHealthCheck.isErrorCode(healthy))
        }
    }
}
