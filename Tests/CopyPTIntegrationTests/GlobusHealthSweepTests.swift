import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// The Globus health of waiting transfers (`globus_health`) through the real `copypt-add`,
/// `copypt-sweep` and `copypt status`, against the Globus emulator's task knobs.
@Suite struct GlobusHealthSweepTests {
    /// The record file's bytes, to tell whether a sweep wrote it.
    static func recordBytes(_ e2e: EndToEndFixture, _ id: String) throws -> Data {
        try Data(contentsOf: e2e.stateDirectory.appendingPathComponent("transfers/\(id).json"))
    }

    @Test("each Globus health class is reached, written once and reported; detail is fetched only for faulting and paused tasks")
    func everyClass() async throws {
        let e2e = try await EndToEndFixture()
        let faulting = try await e2e.task(bucket: "staging", prefix: "f/", ["a"])
        try await e2e.globus.setTaskHealth(faulting, [
            "nice_status": "PERMISSION_DENIED",
            "events": [["code": "PERMISSION_DENIED", "description": "write denied", "details": "550 no write permission on /staging/f"]],
        ])
        let paused = try await e2e.task(bucket: "staging", prefix: "p/", ["a"])
        try await e2e.globus.setTaskHealth(paused, [
            "is_paused": true,
            "pause_info": ["pause_rules": [["message": "storage maintenance until Monday", "endpoint_display_name": "lab DTN"]]],
        ])
        let inactive = try await e2e.task(bucket: "staging", prefix: "i/", ["a"], status: "INACTIVE")
        let deadline = try await e2e.task(bucket: "staging", prefix: "d/", ["a"])
        try await e2e.globus.setTaskHealth(deadline, ["deadline_in": 3600])
        let moving = try await e2e.task(bucket: "staging", prefix: "m/", ["a"])
        try await e2e.globus.setTaskHealth(moving, ["files": 10, "files_transferred": 5, "bytes_transferred": 5000])
        let idle = try await e2e.task(bucket: "staging", prefix: "s/", ["a"])

        var ids: [String: String] = [:]
        for (name, task) in [("faulting", faulting), ("paused", paused), ("inactive", inactive),
                             ("deadline_near", deadline), ("progressing", moving), ("stalled", idle)] {
            ids[name] = try await e2e.add(task: task, from: "s3://staging/\(name)/", to: "s3://dest/\(name)/")
        }
        // The idle task has moved nothing since it was added: stalled once --stall-after has passed.
        // 30 s, not less: the moving task's last progress is the first sweep's time, and on a
        // loaded machine the later sweeps must still come before that ages into a stall.
        try await Task.sleep(for: .seconds(31))
        try await e2e.globus.clearRequests()
        let metrics = e2e.directory.appendingPathComponent("metrics.prom")
        let first = try await e2e.sweep(["--once", "--stall-after", "30s", "--metrics-file", metrics.path])
        #expect(first.status == 0, "\(first.stderr)")

        for (name, id) in ids {
            let record = try e2e.store.load(id)
            #expect(record.globusHealth?.class.rawValue == name, "\(name): \(String(describing: record.globusHealth))")
            #expect(record.globusHealth?.reason.isEmpty == false)
        }
        let faultRecord = try e2e.store.load(try #require(ids["faulting"]))
        #expect(faultRecord.globusHealth?.lastFaults == ["PERMISSION_DENIED: write denied (550 no write permission on /staging/f)"])
        #expect(faultRecord.globusHealth?.reason.contains("550 no write permission") == true)
        let pausedRecord = try e2e.store.load(try #require(ids["paused"]))
        #expect(pausedRecord.globusHealth?.reason.contains("lab DTN: storage maintenance until Monday") == true)
        let inactiveRecord = try e2e.store.load(try #require(ids["inactive"]))
        #expect(inactiveRecord.globusHealth?.reason.contains("reactivate the collection's credentials") == true)

        // Requests: the batched listing, one event list (faulting) and one pause info (paused); no task/{id}.
        let paths = try await e2e.globus.requests().map(\.path).filter { $0.hasPrefix("/v0.10/") }
        #expect(paths.filter { $0.hasSuffix("/event_list") } == ["/v0.10/task/\(faulting)/event_list"])
        #expect(paths.filter { $0.hasSuffix("/pause_info") } == ["/v0.10/task/\(paused)/pause_info"])
        #expect(paths.allSatisfy { $0 == "/v0.10/task_list" || $0.hasSuffix("/event_list") || $0.hasSuffix("/pause_info") }, "\(paths)")
        let text = try String(contentsOf: metrics, encoding: .utf8)
        for name in ["faulting", "paused", "inactive", "deadline_near", "progressing", "stalled"] {
            #expect(text.contains("copypt_waiting_transfers{globus=\"\(name)\"} 1"), "\(name) in \(text)")
        }

        // A second sweep sees nothing new: no record is written, no per-task request is made.
        var before: [String: Data] = [:]
        for (name, id) in ids { before[name] = try Self.recordBytes(e2e, id) }
        try await e2e.globus.clearRequests()
        let second = try await e2e.sweep(["--once", "--stall-after", "30s"])
        #expect(second.status == 0, "\(second.stderr)")
        for (name, id) in ids { #expect(try Self.recordBytes(e2e, id) == before[name], "\(name) was rewritten") }
        let quiet = try await e2e.globus.requests().map(\.path).filter { $0.hasPrefix("/v0.10/") }
        #expect(quiet == ["/v0.10/task_list"], "\(quiet)")

        // More faults, into a new bracket: written again with the newest fault.
        try await e2e.globus.setTaskHealth(faulting, ["events": (1...5).map { ["code": "CONNECTION_FAILED", "description": "timed out \($0)"] }])
        let third = try await e2e.sweep(["--once", "--stall-after", "30s"])
        #expect(third.status == 0, "\(third.stderr)")
        let refaulted = try e2e.store.load(try #require(ids["faulting"]))
        #expect(refaulted.globusHealth?.faults == 6)
        #expect(refaulted.globusHealth?.lastFaults.first == "CONNECTION_FAILED: timed out 5")
        #expect(refaulted.globusHealth?.lastFaults.count == 2)

        // status: the GLOBUS column, the detail view's faults, the JSON.
        let table = try await e2e.status()
        #expect(table.stdout.contains("GLOBUS"))
        #expect(table.stdout.contains("paused: paused by lab DTN"))
        let detail = try await e2e.status([try #require(ids["faulting"])])
        #expect(detail.stdout.contains("Globus health:"))
        #expect(detail.stdout.contains("Globus fault:") && detail.stdout.contains("CONNECTION_FAILED: timed out 5"))
        let json = try await e2e.status(["--json"])
        #expect(json.stdout.contains("\"globus_health\""))
        #expect(json.stdout.contains("\"class\" : \"deadline_near\"") || json.stdout.contains("\"class\":\"deadline_near\""))
    }

    @Test("a FAILED task's reason keeps Globus's nice_status_details")
    func failedKeepsDetails() async throws {
        let e2e = try await EndToEndFixture()
        let task = try await e2e.task(bucket: "staging", prefix: "x/", ["a"])
        let id = try await e2e.add(task: task, from: "s3://staging/x/", to: "s3://dest/x/")
        try await e2e.globus.updateTask(task, status: "FAILED", fatalError: (code: "EXPIRED", description: "the task expired"))
        try await e2e.globus.setTaskHealth(task, ["nice_status_details": "deadline passed with 3 files left on lab DTN"])
        let result = try await e2e.sweep(["--once", "-v"])
        #expect(result.status == 1, "\(result.stderr)")
        let record = try e2e.store.load(id)
        #expect(record.state == .failed)
        #expect(record.lastError?.message.contains("deadline passed with 3 files left on lab DTN") == true)
    }

    @Test("10,000 idle waiting transfers: no record write and no per-task request, past the first 1,000 too")
    func tenThousandIdle() async throws {
        let e2e = try await EndToEndFixture()
        let tasks = try await e2e.globus.createTasks(count: 10_000, ownerID: e2e.identity)
        let created = Date(timeIntervalSinceNow: -60)
        let store = e2e.store
        // The first record through the store (it makes the state directory as copypt would), the
        // rest written straight (no fsync each: 10,000 of those take minutes on a loaded machine).
        let directory = e2e.stateDirectory.appendingPathComponent("transfers")
        // One record encoded, the others made from its text (encoding 10,000 is slow on Linux).
        let template = TransferRecord(
            id: "20261205-ffffff", globusTaskID: "TASK-ID", from: try #require(S3Prefix(url: "s3://staging/rNNN/")),
            to: try #require(S3Prefix(url: "s3://dest/rNNN/")), globusPath: "/staging/rNNN/", createdAt: created)
        let text = String(decoding: try RecordCoding.encode(template), as: UTF8.self)
        for (index, task) in tasks.enumerated() {
            let id = String(format: "20261205-%06x", index)
            let json = text.replacingOccurrences(of: "20261205-ffffff", with: id)
                .replacingOccurrences(of: "TASK-ID", with: task).replacingOccurrences(of: "rNNN", with: "r\(index)")
            if index == 0 {
                try store.create(try RecordCoding.decode(Data(json.utf8), path: id))
            } else {
                try Data(json.utf8).write(to: directory.appendingPathComponent("\(id).json"))
            }
        }
        func modificationTimes() throws -> [String: Date] {
            var times: [String: Date] = [:]
            let names = try FileManager.default.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: [.contentModificationDateKey])
            for url in names where url.pathExtension == "json" {
                times[url.lastPathComponent] = try url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
            }
            return times
        }
        let before = try modificationTimes()
        #expect(before.count == 10_000)
        try await e2e.globus.clearRequests()
        let result = try await e2e.sweep()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try modificationTimes() == before)
        let requests = try await e2e.globus.requests().filter { $0.path.hasPrefix("/v0.10/") }
        #expect(requests.allSatisfy { $0.path == "/v0.10/task_list" }, "\(Set(requests.map(\.path)).prefix(5))")
        #expect(requests.count <= 60, "\(requests.count) requests")
    }
}
