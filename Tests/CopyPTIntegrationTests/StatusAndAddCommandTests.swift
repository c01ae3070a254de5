import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// `copypt status` and `copypt-add`'s checks through the built executables, against moto and
/// the Globus emulator.
@Suite struct StatusAndAddCommandTests {
    static func copypt(_ e2e: EndToEndFixture, _ arguments: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(try EndToEndFixture.executable("copypt"), arguments, environment: e2e.environment)
    }

    @Test("status: oldest first, FROM → TO, LAST ERROR cut to the terminal only, --state, detail by id ending, cancel by id ending")
    func status() async throws {
        let e2e = try await EndToEndFixture()
        let tasks = ["1b7e5c1e-5a0c-11ef-9a6c-0242ac120002", "2b7e5c1e-5a0c-11ef-9a6c-0242ac120002", "3b7e5c1e-5a0c-11ef-9a6c-0242ac120002"]
        var ids: [String] = []
        for (index, task) in tasks.enumerated() {
            ids.append(try await e2e.add(task: task, from: "s3://st-stg/run\(index)/", to: "s3://st-dst/run\(index)/"))
        }
        // Created in the order third, second, first.
        let base = Date(timeIntervalSince1970: 1_795_599_667)
        let message = "CopyObject s3://st-dst/run1/x failed: 403 AccessDenied: " + String(repeating: "the bucket policy says no; ", count: 12) + "END"
        for (index, id) in ids.enumerated() {
            _ = try e2e.store.withLock(id) { record in
                record.createdAt = base.addingTimeInterval(Double(200 - 100 * index))
                if index == 0 {
                    record.globusStatus = GlobusStatusSeen(status: "SUCCEEDED", niceStatus: "OK", at: base)
                    record.notes = ["2 staging objects changed since Globus wrote them"]
                }
                if index == 1 {
                    record.state = .failed
                    record.lastError = RecordedError(code: "AccessDenied", message: message, at: base)
                }
            }
        }
        let piped = try await Self.copypt(e2e, ["status"])
        #expect(piped.status == 0, "\(piped)")
        let rows = piped.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first?.contains("FROM → TO") == true)
        #expect(rows.dropFirst().map { String($0.prefix(15)) } == [ids[2], ids[1], ids[0]])
        #expect(rows.contains { $0.contains("s3://st-stg/run1/ → s3://st-dst/run1/") && $0.hasSuffix("END") })

        let terminal = try await PseudoTerminal.run(
            try EndToEndFixture.executable("copypt"), ["status"], columns: 150, environment: e2e.environment)
        let lines = terminal.output.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 4 && lines.allSatisfy { $0.count <= 150 }, "\(terminal.output)")
        #expect(lines.contains { $0.hasPrefix(ids[1]) && $0.hasSuffix("…") }, "\(terminal.output)")

        let failed = try await Self.copypt(e2e, ["status", "--state", "failed"])
        #expect(failed.stdout.split(separator: "\n").dropFirst().map { String($0.prefix(15)) } == [ids[1]], "\(failed)")

        let detail = try await Self.copypt(e2e, ["status", String(ids[1].suffix(6)), String(ids[0].suffix(4))])
        #expect(detail.status == 0, "\(detail)")
        #expect(detail.stdout.contains("Last error:         AccessDenied: \(message) (at 2026-11-25T09:41:07Z)"), "\(detail.stdout)")
        #expect(detail.stdout.contains("Globus status:      SUCCEEDED (OK) at 2026-11-25T09:41:07Z"))
        #expect(detail.stdout.contains("Note:               2 staging objects changed since Globus wrote them"))
        #expect(detail.stdout.contains("Globus task:        \(tasks[0])"))

        let cancel = try await Self.copypt(e2e, ["cancel", String(ids[2].suffix(6))])
        #expect(cancel.status == 0 && cancel.stdout == "\(ids[2]): waiting → cancelled\n", "\(cancel)")

        // Two ids with the same ending: the ending is refused, naming both.
        for id in ["20261125-aaa111", "20261125-bbb111"] {
            try e2e.store.create(TransferRecord(
                id: id, globusTaskID: tasks[0], from: try #require(S3Prefix(url: "s3://st-stg/\(id)/")),
                to: try #require(S3Prefix(url: "s3://st-dst/\(id)/")), globusPath: "/st-stg/\(id)/", createdAt: base))
        }
        let ambiguous = try await Self.copypt(e2e, ["status", "111"])
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains("'111' matches 2 transfers (20261125-aaa111, 20261125-bbb111)"), "\(ambiguous)")
    }

    @Test("add checks the buckets and the Globus task first: one line per problem, exit 2, nothing written; --no-check skips them")
    func addChecks() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("chk-stg")
        let unknownTask = "9f0c3a52-0000-4000-8000-000000000042"
        let arguments = ["--task", unknownTask, "--from", "s3://chk-stg/run/", "--to", "s3://chk-dst/out/"]
        let add = try EndToEndFixture.executable("copypt-add")
        let refused = try await ChildProcess.run(add, arguments, environment: e2e.environment)
        #expect(refused.status == 2 && refused.stdout.isEmpty, "\(refused)")
        let problems = refused.stderr.split(separator: "\n")
        #expect(problems.count == 2, "\(refused.stderr)")
        #expect(problems.contains { $0.hasPrefix("copypt-add: the destination bucket chk-dst does not exist") })
        #expect(problems.contains { $0.hasPrefix("copypt-add: Globus task \(unknownTask) not found") && $0.contains("--no-check") })
        let written = FileManager.default.fileExists(atPath: e2e.store.transfersDirectory.path) ? try e2e.store.loadAll().records : []
        #expect(written.isEmpty)

        try await e2e.createBucket("chk-dst")
        let task = try await e2e.task(bucket: "chk-stg", prefix: "run/", ["a.dat"])
        let accepted = try await ChildProcess.run(add, ["--task", task] + arguments.dropFirst(2), environment: e2e.environment)
        #expect(accepted.status == 0 && accepted.stderr.isEmpty, "\(accepted)")
        #expect(try e2e.store.loadAll().records.map(\.id) == [accepted.stdout.trimmingCharacters(in: .newlines)])

        // Offline: nothing answers, and --no-check still queues.
        let closed = "http://127.0.0.1:\(try ServerProcess.freePort())"
        var offline = e2e.environment
        offline["AWS_ENDPOINT_URL_S3"] = closed
        offline["GLOBUS_SDK_SERVICE_URL_TRANSFER"] = closed
        offline["GLOBUS_SDK_SERVICE_URL_AUTH"] = closed
        let unchecked = try await ChildProcess.run(add, ["--no-check", "--task", unknownTask] + arguments.dropFirst(2), environment: offline)
        #expect(unchecked.status == 0 && unchecked.stderr.isEmpty, "\(unchecked)")
        #expect(try e2e.store.loadAll().records.count == 2)
    }
}
