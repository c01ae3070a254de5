@testable import CopyPTGlobus
import Foundation
import Testing

@Suite struct GlobusTaskTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var fixture: String
        var status: GlobusTask.Status
        var niceStatus: String?
        var fatalCode: String?
        var filesTransferred: Int?
        var completed: Bool
        var label: String?
        var historyDeleted: Bool
        var testDescription: String { fixture }
    }

    @Test("task documents decode to the fields copypt reads", arguments: [
        Expected(fixture: "globus-task-succeeded", status: .succeeded, niceStatus: nil, fatalCode: nil,
                 filesTransferred: 3, completed: true, label: "run42 to staging", historyDeleted: false),
        Expected(fixture: "globus-task-failed", status: .failed, niceStatus: nil, fatalCode: "PERMISSION_DENIED",
                 filesTransferred: 1, completed: true, label: "run43 to staging", historyDeleted: false),
        Expected(fixture: "globus-task-active", status: .active, niceStatus: "Queued", fatalCode: nil,
                 filesTransferred: 1, completed: false, label: nil, historyDeleted: false),
        Expected(fixture: "globus-task-inactive", status: .inactive, niceStatus: "Credential expired", fatalCode: nil,
                 filesTransferred: 0, completed: false, label: "needs attention", historyDeleted: false),
        Expected(fixture: "globus-task-history-deleted", status: .succeeded, niceStatus: nil, fatalCode: nil,
                 filesTransferred: 3, completed: true, label: "run42 to staging", historyDeleted: true),
    ])
    func task(_ expected: Expected) throws {
        let task = try JSONDecoder().decode(GlobusTask.self, from: Data(try Fixtures.data(expected.fixture)))
        #expect(task.dataType == "task")
        #expect(task.status == expected.status)
        #expect(task.niceStatus == expected.niceStatus)
        #expect(task.fatalError?.code == expected.fatalCode)
        #expect(task.filesTransferred == expected.filesTransferred)
        #expect((task.completionTime != nil) == expected.completed)
        #expect(task.label == expected.label)
        #expect(task.historyDeleted == expected.historyDeleted)
        #expect(task.files == 3)
        #expect(task.status.isUnfinished == !expected.completed)
    }

    @Test("a failed task carries Globus's fatal_error code and description")
    func fatalError() throws {
        let task = try JSONDecoder().decode(GlobusTask.self, from: Data(try Fixtures.data("globus-task-failed")))
        #expect(task.fatalError == GlobusTask.FatalError(code: "PERMISSION_DENIED", description: "permission denied on destination"))
        #expect(task.bytesTransferred == 4096)
    }

    @Test("globus-sdk's recorded task_list: every field copypt asks for is one of its keys, and each decodes")
    func sdkTaskList() throws {
        let data = Data(try Fixtures.data("globus-sdk-task-list"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let document = try #require((object["DATA"] as? [[String: Any]])?.first)
        for field in GlobusTask.fieldList.split(separator: ",") {
            #expect(document.keys.contains(String(field)), "\(field) is not a task field")
        }
        let task = try #require(try JSONDecoder().decode(GlobusTaskListPage.self, from: data).tasks.first)
        #expect(task.status == .succeeded && task.isPaused == false && task.faults == 0)
        #expect(task.deadline == "2021-09-03T18:04:47+00:00" && task.niceStatusDetails == nil)
        #expect(task.subtasks == GlobusTask.Subtasks(total: 2, pending: 0, retrying: 0, succeeded: 2, failed: 0))
        #expect(task.bytesTransferred == 4 && task.files == 1 && task.filesTransferred == 1)
    }

    @Test("task_list pages decode, full documents and fields-limited ones alike", arguments: [
        ("globus-task-list-unfinished", ["ACTIVE", "INACTIVE"]),
        ("globus-task-list-fields", ["SUCCEEDED", "FAILED"]),
    ])
    func taskList(_ fixture: String, _ statuses: [String]) throws {
        let page = try JSONDecoder().decode(GlobusTaskListPage.self, from: Data(try Fixtures.data(fixture)))
        #expect(page.total == 2 && page.offset == 0 && page.limit == 1000)
        #expect(page.tasks.map(\.status.rawValue) == statuses)
    }

    @Test("unknown statuses are kept, not rejected")
    func unknownStatus() throws {
        let json = #"{"task_id": "t", "status": "PAUSED_BY_ADMIN"}"#
        let task = try JSONDecoder().decode(GlobusTask.self, from: Data(json.utf8))
        #expect(task.status.rawValue == "PAUSED_BY_ADMIN")
        #expect(!task.status.isUnfinished)
        #expect(task.historyDeleted == false)
    }

    @Test("successful_transfers pages decode with optional size and checksum, and a null next_marker ends")
    func successfulTransfers() throws {
        let first = try JSONDecoder().decode(SuccessfulTransfersPage.self, from: Data(try Fixtures.data("globus-successful-transfers-first")))
        #expect(first.marker == "0" && first.nextMarker == "93979")
        #expect(first.transfers.count == 2)
        #expect(first.transfers[0] == SuccessfulTransfer(
            sourcePath: "/beamline/run42/raw/detector-a.dat", destinationPath: "/lab-staging/run42/raw/detector-a.dat",
            size: 1_048_576, checksum: "9e107d9d372bb6826bd81d3542a419d6", checksumAlgorithm: "MD5"))
        #expect(first.transfers[1].size == nil && first.transfers[1].checksum == nil)
        let last = try JSONDecoder().decode(SuccessfulTransfersPage.self, from: Data(try Fixtures.data("globus-successful-transfers-last")))
        #expect(last.nextMarker == nil)
        #expect(last.transfers[0].destinationPath == "/lab-staging/run42/results/summary ü.csv")
    }
}
