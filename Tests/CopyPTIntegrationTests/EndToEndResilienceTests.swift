import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Kills and overlaps: the sweep's journal and record locks against real processes.
@Suite struct EndToEndResilienceTests {
    /// Small objects plus two multipart ones (threshold lowered to 1 MiB, 256 KiB parts).
    static func stage(_ e2e: EndToEndFixture, prefix: String, small: Int, large: Int) async throws -> [String] {
        var relatives: [String] = []
        for i in 0..<small {
            let relative = "d\(i % 7)/obj-\(i).bin"
            try await e2e.put("staging", prefix + relative, EndToEndFixture.bytes(512 + i, seed: i))
            relatives.append(relative)
        }
        for i in 0..<large {
            let relative = "big/large-\(i).bin"
            try await e2e.put("staging", prefix + relative, EndToEndFixture.bytes((3 << 19) + i * 1000, seed: 100 + i))
            relatives.append(relative)
        }
        return relatives
    }

    /// Every staging object under `from` byte-for-byte at `to`, and no other key there.
    static func expectExactCopy(_ e2e: EndToEndFixture, from: String, to: String, _ relatives: [String]) async throws {
        #expect(try await e2e.keys("dest", prefix: to) == relatives.map { to + $0 }.sorted())
        for relative in relatives {
            let source = try await e2e.get("staging", from + relative)
            let copy = try await e2e.get("dest", to + relative)
            #expect(copy == source, "\(relative) differs")
        }
        #expect(try await e2e.openUploads("dest") == 0)
    }

    @Test("kill -9 mid-copy, repeatedly: later sweeps finish exactly, re-copying at most one batch per kill")
    func killAndResume() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        let relatives = try await Self.stage(e2e, prefix: "k/", small: 240, large: 2)
        let task = try await e2e.task(bucket: "staging", prefix: "k/", relatives, status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://staging/k/", to: "s3://dest/k/")
        // An upload a killed sweep created but never journalled: the finished copy aborts it.
        try await e2e.createUpload("dest", "k/big/large-0.bin")
        #expect(try await e2e.openUploads("dest") == 1)
        let batch = 20
        let arguments = [
            "--once", "--batch-size", String(batch), "--concurrency", "4",
            "--multipart-threshold", String(1 << 20), "--min-part-size", String(256 << 10),
        ]
        let journal = e2e.store.journalURL(for: id).path
        func journalLines() -> Int {
            (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n").count ?? 0
        }
        var kills = 0
        for target in [30, 90, 150] {
            let process = try e2e.startSweep(arguments)
            let deadline = Date().addingTimeInterval(60)
            while journalLines() < target && process.isRunning && Date() < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            await ChildProcess.waitForExit(of: process)
            // Whatever instant it died at, the record still parses.
            #expect(throws: Never.self) { try e2e.store.load(id) }
        }
        #expect(kills >= 1)
        var finished = false
        for _ in 0..<4 where !finished {
            let result = try await e2e.sweep(arguments)
            #expect([0, 75].contains(result.status), "stderr: \(result.stderr)")
            finished = try e2e.store.load(id).state == .done
        }
        let record = try e2e.store.load(id)
        #expect(record.state == .done)
        #expect(record.progress.objectsDone == relatives.count)
        try await Self.expectExactCopy(e2e, from: "k/", to: "k/", relatives)
        let copies = try e2e.copyRequests(bucket: "dest")
        let recopied = relatives.filter { !$0.hasPrefix("big/") }.filter { (copies["k/" + $0] ?? 0) > 1 }.count
        #expect(recopied <= batch * kills, "\(recopied) small objects copied more than once after \(kills) kills")
    }

    @Test("two sweeps started together copy each object once and leave intact records")
    func overlappingSweeps() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        var ids: [String] = []
        var all: [String: [String]] = [:]
        for name in ["a", "b", "c"] {
            let relatives = try await Self.stage(e2e, prefix: name + "/", small: 40, large: 0)
            let task = try await e2e.task(bucket: "staging", prefix: name + "/", relatives, status: "SUCCEEDED")
            ids.append(try await e2e.add(task: task, from: "s3://staging/\(name)/", to: "s3://dest/\(name)/"))
            all[name] = relatives
        }
        let arguments = ["--once", "--batch-size", "10", "--concurrency", "4"]
        let sweeps = try (0..<2).map { _ in
            try ChildProcess(try EndToEndFixture.executable("copypt-sweep"), arguments, environment: e2e.environment)
        }
        var results: [ChildProcess.Result] = []
        for sweep in sweeps { results.append(await sweep.finish()) }
        for result in results { #expect(result.status == 0, "stderr: \(result.stderr)") }
        let doneLines = results.flatMap { $0.stdout.split(separator: "\n") }.filter { $0.contains("→ done") }
        #expect(doneLines.count == 3)
        for id in ids { #expect(try e2e.store.load(id).state == .done) }
        for (name, relatives) in all {
            try await Self.expectExactCopy(e2e, from: name + "/", to: name + "/", relatives)
        }
        let copies = try e2e.copyRequests(bucket: "dest")
        #expect(copies.count == 120)
        #expect(copies.filter { $0.value != 1 }.isEmpty, "copied more than once: \(copies.filter { $0.value != 1 })")
        #expect(try e2e.store.loadAll().problems.isEmpty)
    }
}
