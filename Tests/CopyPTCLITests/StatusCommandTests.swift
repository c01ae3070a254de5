import CopyPTCLI
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct StatusCommandTests {
    @Test("status on a missing or empty state dir prints nothing, exits 0 and creates nothing")
    func emptyStateDir() async throws {
        try await TemporaryDirectory.with { root in
            let missing = root.appendingPathComponent("missing")
            for state in [missing, root] {
                let result = await CLI.run(["status", "--state-dir", state.path])
                #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
            }
            #expect(!FileManager.default.fileExists(atPath: missing.path))
            let json = await CLI.run(["status", "--json", "--state-dir", missing.path])
            #expect(json.status == 0, "\(json)")
            let document = try RecordCoding.makeDecoder().decode(Document.self, from: Data(json.stdout.utf8))
            #expect(document.schema_version == 1 && document.transfers.isEmpty)
        }
    }

    @Test("status prints a compact table: id, label, task, state, globus, objects, bytes, updated, last error")
    func table() async throws {
        try await TemporaryDirectory.with { root in
            let first = try await CLI.add(state: root, ["--label", "run 42"])
            let second = try await CLI.add(state: root, task: "7c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
            let store = RecordStore(root: root)
            _ = try store.withLock(second) { record in
                record.state = .copying
                record.progress = TransferProgress(objectsTotal: 1234, objectsDone: 17, bytesTotal: 60_880_000_000, bytesDone: 9_000_000)
                record.lastError = RecordedError(code: "SlowDown", message: "CopyObject throttled; retrying", at: CLI.now, transient: true)
                record.touch(at: CLI.now.addingTimeInterval(90))
            }
            let result = await CLI.run(["status", "--state-dir", root.path])
            #expect(result.status == 0 && result.stderr.isEmpty)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                    == "ID LABEL TASK STATE GLOBUS FROM → TO OBJECTS BYTES UPDATED LAST ERROR")
            let rows = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { line in
                (String(line.prefix(15)), line.split(separator: " ", omittingEmptySubsequences: true).map(String.init))
            })
            let route = ["s3://my-staging/run42/", "→", "s3://lab-archive/run42/"]
            #expect(rows[first] == [first, "run", "42", "6c9a4e2e", "waiting", "-"] + route + ["-", "-", "2026-11-25T09:41:07Z", "-"])
            #expect(rows[second] == [second, "-", "7c9a4e2e", "copying", "-"] + route + ["17/1234", "8.6", "MiB/56.7", "GiB",
                                     "2026-11-25T09:42:37Z", "SlowDown:", "CopyObject", "throttled;", "retrying"])
            // Columns line up.
            let stateColumn = lines[0].range(of: "STATE")?.lowerBound.utf16Offset(in: lines[0])
            for line in lines.dropFirst() {
                let offset = (line.range(of: "waiting") ?? line.range(of: "copying"))?.lowerBound.utf16Offset(in: line)
                #expect(offset == stateColumn)
            }
        }
    }

    @Test("a waiting transfer's Globus health: class and reason in the GLOBUS column, the detail view's faults, --json")
    func globusHealth() async throws {
        try await TemporaryDirectory.with { root in
            let id = try await CLI.add(state: root, ["--label", "run 42"])
            _ = try RecordStore(root: root).withLock(id) { record in
                record.globusHealth = GlobusHealth(
                    class: .faulting, reason: "Globus is retrying after 3 fault(s); latest: PERMISSION_DENIED: write denied",
                    since: CLI.now, progressAt: CLI.now, faults: 3, lastFaults: ["PERMISSION_DENIED: write denied", "CONNECTION_FAILED: timed out"])
            }
            let table = await CLI.run(["status", "--state-dir", root.path])
            let lines = table.stdout.split(separator: "\n").map(String.init)
            let column = try #require(lines[0].range(of: "GLOBUS")).lowerBound.utf16Offset(in: lines[0])
            let cell = try #require(lines[1].range(of: "faulting: Globus is retrying")).lowerBound.utf16Offset(in: lines[1])
            #expect(cell == column)
            #expect(lines[1].contains("faulting: Globus is retrying after 3 fa…  "))

            let detail = await CLI.run(["status", "--state-dir", root.path, id])
            #expect(detail.stdout.contains("Globus health:      faulting since 2026-11-25T09:41:07Z: Globus is retrying after 3 fault(s)"))
            #expect(detail.stdout.contains("Globus fault:       PERMISSION_DENIED: write denied\n"))
            #expect(detail.stdout.contains("Globus fault:       CONNECTION_FAILED: timed out\n"))

            let json = await CLI.run(["status", "--state-dir", root.path, "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let transfer = try #require((object["transfers"] as? [[String: Any]])?.first)
            let health = try #require(transfer["globus_health"] as? [String: Any])
            #expect(health["class"] as? String == "faulting")
            #expect(health["faults"] as? Int == 3)
            #expect((health["last_faults"] as? [String])?.count == 2)
        }
    }

    /// The `--json` document of `status`.
    struct Document: Decodable {
        var schema_version: Int
        var transfers: [TransferRecord]
    }

    @Test("status ID… shows those; --json prints the records in a document with a schema_version")
    func selectedAndJSON() async throws {
        try await TemporaryDirectory.with { root in
            let first = try await CLI.add(state: root)
            _ = try await CLI.add(state: root, task: "7c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
            let result = await CLI.run(["status", first, "--json", "--state-dir", root.path])
            #expect(result.status == 0, "\(result)")
            let document = try RecordCoding.makeDecoder().decode(Document.self, from: Data(result.stdout.utf8))
            #expect(document.schema_version == 1)
            let records = document.transfers
            #expect(records.map(\.id) == [first])
            #expect(records.first == (try RecordStore(root: root).load(first)))
        }
    }

    @Test("status with an unknown id shows the rest and exits 2 with one line naming it")
    func unknownID() async throws {
        try await TemporaryDirectory.with { root in
            let first = try await CLI.add(state: root)
            let result = await CLI.run(["status", first, "20261125-ffffff", "--state-dir", root.path])
            #expect(result.status == 2)
            #expect(result.stdout.contains(first))
            #expect(result.isOneLineError && result.stderr.contains("'20261125-ffffff'"), "\(result.stderr)")
        }
    }

    @Test("a corrupt record is reported on stderr by name; the others are shown; exit 1")
    func corruptRecord() async throws {
        try await TemporaryDirectory.with { root in
            let first = try await CLI.add(state: root)
            let bad = root.appendingPathComponent("transfers/20261125-badbad.json")
            try Data(#"{"version": 1, "id": "20261125-badbad""#.utf8).write(to: bad)
            let result = await CLI.run(["status", "--state-dir", root.path])
            #expect(result.status == 1)
            #expect(result.stdout.contains(first) && !result.stdout.contains("badbad"))
            #expect(result.isOneLineError && result.stderr.contains("20261125-badbad.json"), "\(result.stderr)")
            #expect(try String(contentsOf: bad, encoding: .utf8) == #"{"version": 1, "id": "20261125-badbad""#)
        }
    }

    @Test("byte counts read in binary units", arguments: [
        (Int64(0), "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"), (9_000_000, "8.6 MiB"),
        (1_073_741_823, "1.0 GiB"), (60_880_000_000, "56.7 GiB"), (Int64.max, "8.0 EiB"),
    ])
    func byteCounts(bytes: Int64, text: String) {
        #expect(ByteCount.text(bytes) == text)
    }
}
