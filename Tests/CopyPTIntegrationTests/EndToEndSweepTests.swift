import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// The real `copypt-add`, `copypt-sweep` and `copypt status` against moto and the Globus
/// emulator, over real HTTP.
@Suite struct EndToEndSweepTests {
    @Test("several transfers at once in every outcome; a second sweep prints nothing")
    func allOutcomes() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        // Done: nested and unicode paths, plus a delivered path outside the Globus path.
        let files = ["README.txt", "raw/deep/nested/a.dat", "results/summary ü.csv", "日本語/データ 1+2.h5", "x/y/z/w/v/u.bin"]
        for (index, relative) in files.enumerated() {
            try await e2e.put("staging", "run1/" + relative, EndToEndFixture.bytes(1000 + index * 777, seed: index))
        }
        try await e2e.put("staging", "run1/not-delivered.tmp", [1, 2, 3])
        let doneTask = try await e2e.task(bucket: "staging", prefix: "run1/", files + ["../elsewhere/ignored"], status: "SUCCEEDED")
        // Failed by Globus.
        let failedTask = try await e2e.task(bucket: "staging", prefix: "run2/", ["a"], status: "ACTIVE")
        try await e2e.globus.updateTask(failedTask, status: "FAILED", fatalError: (code: "PERMISSION_DENIED", description: "write denied on the collection"))
        // Unknown to Globus.
        let unknownTask = UUID().uuidString.lowercased()
        // Destination bucket missing: permanent NoSuchBucket.
        try await e2e.put("staging", "run4/a", [9, 9])
        let noBucketTask = try await e2e.task(bucket: "staging", prefix: "run4/", ["a"], status: "SUCCEEDED")
        // History gone: fallback listing.
        try await e2e.put("staging", "run5/p/q.txt", [5])
        try await e2e.put("staging", "run5/r.txt", [6, 6])
        let historyTask = try await e2e.task(bucket: "staging", prefix: "run5/", ["p/q.txt", "r.txt"], status: "SUCCEEDED")
        try await e2e.globus.updateTask(historyTask, historyDeleted: true)
        // Still running.
        let activeTask = try await e2e.task(bucket: "staging", prefix: "run6/", ["a"], status: "ACTIVE")

        let done = try await e2e.add(task: doneTask, from: "s3://staging/run1/", to: "s3://dest/in/run1/", ["--label", "run1"])
        let failed = try await e2e.add(task: failedTask, from: "s3://staging/run2/", to: "s3://dest/in/run2/")
        let unknown = try await e2e.add(task: unknownTask, from: "s3://staging/run3/", to: "s3://dest/in/run3/")
        let noBucket = try await e2e.add(task: noBucketTask, from: "s3://staging/run4/", to: "s3://missing-bucket/in/")
        let history = try await e2e.add(task: historyTask, from: "s3://staging/run5/", to: "s3://dest/in/run5/")
        let active = try await e2e.add(task: activeTask, from: "s3://staging/run6/", to: "s3://dest/in/run6/")

        let first = try await e2e.sweep()
        #expect(first.status == 1, "stderr: \(first.stderr)")
        let lines = Set(first.stdout.split(separator: "\n").map(String.init))
        let totalBytes = files.indices.reduce(0) { $0 + 1000 + $1 * 777 }
        #expect(lines.contains("\(done) run1: waiting → done, 5 objects, \(totalBytes >= 1024 ? String(format: "%.1f KiB", Double(totalBytes) / 1024) : "\(totalBytes) B")"))
        #expect(lines.contains("\(failed): waiting → failed"))
        #expect(lines.contains("\(unknown): waiting → failed"))
        #expect(lines.contains("\(noBucket): waiting → failed"))
        #expect(lines.contains("\(history): waiting → done, 2 objects, 3 B"))
        #expect(lines.count == 5)
        #expect(first.stderr.contains("PERMISSION_DENIED: write denied on the collection"))
        #expect(first.stderr.contains("not found"))
        #expect(first.stderr.contains("NoSuchBucket"))
        #expect(first.stderr.contains("no longer has the file list"))

        let store = e2e.store
        #expect(try store.load(done).state == .done)
        #expect(try store.load(done).notes.first?.contains("outside the Globus path") == true)
        #expect(try store.load(failed).lastError?.code == "GlobusTaskFailed")
        #expect(try store.load(unknown).lastError?.code == "TaskNotFound")
        #expect(try store.load(noBucket).lastError?.code == "NoSuchBucket")
        #expect(try store.load(noBucket).lastError?.message.contains("create the bucket") == true)
        #expect(try store.load(history).planSource == "listing")
        #expect(try store.load(active).state == .waiting)

        // Every delivered object byte-for-byte at its destination, nothing else.
        #expect(try await e2e.keys("dest", prefix: "in/run1/") == files.map { "in/run1/" + $0 }.sorted())
        for relative in files {
            let source = try await e2e.get("staging", "run1/" + relative)
            #expect(try await e2e.get("dest", "in/run1/" + relative) == source)
        }
        #expect(try await e2e.keys("dest", prefix: "in/run5/") == ["in/run5/p/q.txt", "in/run5/r.txt"])

        let status = try await e2e.status()
        #expect(status.status == 0)
        #expect(status.stdout.contains(done) && status.stdout.contains("done"))

        // A quiet second sweep: nothing changed, nothing printed, exit 0.
        let second = try await e2e.sweep()
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.isEmpty)
        #expect(second.stderr.isEmpty)
        let copies = try e2e.copyRequests(bucket: "dest")
        #expect(copies.count == 7)
        #expect(copies.values.allSatisfy { $0 == 1 })
        #expect(copies["in/run1/日本語/データ 1+2.h5"] == 1, "\(copies.keys.sorted())")

        // Fix what the failure said (create the bucket), `copypt retry`, and the next sweep copies it.
        try await e2e.createBucket("missing-bucket")
        let retry = try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), ["retry", noBucket], environment: e2e.environment)
        #expect(retry.status == 0, "stderr: \(retry.stderr)")
        let third = try await e2e.sweep()
        #expect(third.status == 0, "stderr: \(third.stderr)")
        #expect(third.stdout.hasSuffix(" → done, 1 object, 2 B\n"), "\(third.stdout)")
        #expect(try await e2e.get("missing-bucket", "in/a") == [9, 9])
        #expect(try store.load(noBucket).lastError == nil)
    }

    @Test("--dry-run changes nothing; --json prints one object per event and a summary; --metrics-file is written")
    func dryRunJSONMetrics() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        for i in 0..<3 { try await e2e.put("staging", "r/f\(i)", EndToEndFixture.bytes(100, seed: i)) }
        let task = try await e2e.task(bucket: "staging", prefix: "r/", ["f0", "f1", "f2"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://staging/r/", to: "s3://dest/r/")
        let recordBefore = try Data(contentsOf: e2e.store.recordURL(for: id))

        let dry = try await e2e.sweep(["--once", "--dry-run"])
        #expect(dry.status == 0, "stderr: \(dry.stderr)")
        #expect(dry.stdout.contains("\(id): would copy 3 objects, 300 B"))
        #expect(dry.stdout.contains("(dry run: nothing changed)"))
        #expect(try Data(contentsOf: e2e.store.recordURL(for: id)) == recordBefore)
        #expect(try await e2e.keys("dest").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: e2e.store.journalURL(for: id).path))

        let metrics = e2e.directory.appendingPathComponent("copypt.prom")
        try e2e.clearRecording()
        let run = try await e2e.sweep(["--once", "--json", "--metrics-file", metrics.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        // S3 requests: one ListObjectsV2 page and one CopyObject per object, nothing else.
        let requests = e2e.recordedRequests()
        #expect(requests.count == 4, "\(requests.map { "\($0.method) \($0.url)" })")
        #expect(requests.filter { $0.method == "GET" && $0.url.contains("list-type=2") }.count == 1)
        #expect(requests.filter { $0.method == "PUT" && $0.copy }.count == 3)
        let objects = try run.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 2)
        #expect(objects.first?["event"] as? String == "state_changed")
        #expect(objects.first?["to"] as? String == "done")
        #expect(objects.first?["objects"] as? Int == 3)
        #expect(objects.last?["event"] as? String == "summary")
        #expect(objects.last?["exit_status"] as? Int == 0)
        #expect(objects.allSatisfy { $0["schema_version"] as? Int == 1 })
        let text = try String(contentsOf: metrics, encoding: .utf8)
        #expect(text.contains("copypt_transfers{state=\"done\"} 1"))
        #expect(text.contains("copypt_objects_copied_total 3"))
        #expect(text.contains("copypt_bytes_copied_total 300"))
        #expect(text.contains("copypt_last_sweep_timestamp_seconds "))
        #expect(text.contains("copypt_last_sweep_duration_seconds "))
    }

    @Test("without --once the sweep repeats every --interval until nothing is waiting or copying")
    func repeatsUntilIdle() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "l/a", [1, 2, 3, 4])
        let task = try await e2e.task(bucket: "staging", prefix: "l/", ["a"], status: "ACTIVE")
        let id = try await e2e.add(task: task, from: "s3://staging/l/", to: "s3://dest/l/")
        let child = try ChildProcess(try EndToEndFixture.executable("copypt-sweep"), ["--interval", "1s"], environment: e2e.environment)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(child.isRunning)
        try await e2e.globus.updateTask(task, status: "SUCCEEDED")
        let result = await child.finish()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "\(id): waiting → done, 1 object, 4 B\n")
        #expect(try await e2e.get("dest", "l/a") == [1, 2, 3, 4])
    }
}
