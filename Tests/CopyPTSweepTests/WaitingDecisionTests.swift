@testable import CopyPTSweep
import CopyPTRecords
import Foundation
import Testing

@Suite struct WaitingDecisionTests {
    static let created = Date(timeIntervalSince1970: 1_800_000_000)

    func record(seen: String? = nil) -> TransferRecord {
        TransferRecord(
            id: "20270115-000001", globusTaskID: "task-1", from: S3Prefix(bucket: "s", prefix: "p/"),
            to: S3Prefix(bucket: "d", prefix: "q/"), globusPath: "/s/p/", createdAt: Self.created,
            globusStatus: seen.map { GlobusStatusSeen(status: $0, at: Self.created) })
    }

    @Test("each Globus status leads to the documented decision")
    func decisions() {
        let now = Self.created.addingTimeInterval(60)
        func decide(_ status: TaskStatus?, seen: String? = nil) -> WaitingDecision {
            WaitingDecision.decide(record(seen: seen), status: status, giveUpAfter: nil, now: now)
        }
        #expect(decide(TaskStatus(state: .active)) == .unchanged)
        #expect(decide(TaskStatus(state: .active), seen: "ACTIVE") == .unchanged)
        #expect(decide(TaskStatus(state: .inactive, niceStatus: "Credential expired")) == .attention(niceStatus: "Credential expired"))
        #expect(decide(TaskStatus(state: .inactive, niceStatus: "Credential expired"), seen: "INACTIVE") == .unchanged)
        #expect(decide(TaskStatus(state: .active), seen: "INACTIVE") == .recovered)
        #expect(decide(TaskStatus(state: .succeeded)) == .copy)
        #expect(decide(TaskStatus(state: .failed, fatalError: "CANCELED: canceled")) == .fail(.globusTaskFailed(taskID: "task-1", reason: "CANCELED: canceled")))
        #expect(decide(nil) == .fail(.globusTaskNotFound(taskID: "task-1")))
    }

    @Test("--give-up-after fails a task still running that long after it was added", arguments: [
        (TaskStatus.State.active, 3600.0, true), (.inactive, 3600, true), (.active, 3599, false), (.succeeded, 7200, false),
    ])
    func giveUp(state: TaskStatus.State, waited: Double, fails: Bool) {
        let decision = WaitingDecision.decide(
            record(), status: TaskStatus(state: state), giveUpAfter: .seconds(3600), now: Self.created.addingTimeInterval(waited))
        if case .fail(.gaveUp(let task, _, let after)) = decision {
            #expect(fails)
            #expect(task == "task-1")
            #expect(after == "1h")
        } else {
            #expect(!fails)
        }
    }
}
