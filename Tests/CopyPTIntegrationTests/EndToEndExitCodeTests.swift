import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// Every exit status of `copypt-sweep`, through the real executable.
@Suite struct EndToEndExitCodeTests {
    @Test("0 nothing to do, 2 usage and configuration errors, 1 a permanent failure, 75 S3 or Globus unreachable")
    func everyExitCode() async throws {
        let e2e = try await EndToEndFixture()

        // 0: an empty (missing) state directory: nothing to do, nothing printed, nothing created.
        let empty = try await e2e.sweep()
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty && empty.stderr.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: e2e.stateDirectory.path))

        // 2: usage.
        let usage = try await e2e.sweep(["--once", "--concurrency", "0"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--concurrency"))
        #expect(usage.stdout.isEmpty)

        // 2: configuration (no Globus service account and no login) with a waiting transfer.
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        let waitingTask = try await e2e.task(bucket: "staging", prefix: "w/", ["a"], status: "ACTIVE")
        let waiting = try await e2e.add(task: waitingTask, from: "s3://staging/w/", to: "s3://dest/w/")
        let before = try Data(contentsOf: e2e.store.recordURL(for: waiting))
        let noLogin = try await e2e.sweep(environment: ["COPYPT_GLOBUS_CLIENT_ID": nil, "COPYPT_GLOBUS_CLIENT_SECRET": nil])
        #expect(noLogin.status == 2, "stderr: \(noLogin.stderr)")
        #expect(noLogin.stderr.contains("copypt login"))
        #expect(try Data(contentsOf: e2e.store.recordURL(for: waiting)) == before)

        // 2: AWS configuration (an unknown profile on the transfer) once the task succeeded.
        try await e2e.put("staging", "p/a", [1])
        let profileTask = try await e2e.task(bucket: "staging", prefix: "p/", ["a"], status: "SUCCEEDED")
        let profiled = try await e2e.add(task: profileTask, from: "s3://staging/p/", to: "s3://dest/p/", ["--profile", "nonexistent"])
        let badProfile = try await e2e.sweep()
        #expect(badProfile.status == 2, "stderr: \(badProfile.stderr)")
        #expect(badProfile.stderr.contains("nonexistent"))
        #expect(try e2e.store.load(profiled).state == .waiting)
        _ = try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), ["cancel", profiled], environment: e2e.environment)

        // 1: a Globus task that failed.
        let failedTask = try await e2e.task(bucket: "staging", prefix: "f/", ["a"], status: "FAILED")
        let failed = try await e2e.add(task: failedTask, from: "s3://staging/f/", to: "s3://dest/f/")
        let permanent = try await e2e.sweep()
        #expect(permanent.status == 1, "stderr: \(permanent.stderr)")
        #expect(permanent.stdout == "\(failed): waiting → failed\n")
        #expect(permanent.stderr.contains("failed"))

        // 75: moto unreachable (connection refused) while copying; the transfer stays copying.
        try await e2e.put("staging", "c/a", [1, 2, 3])
        let copyTask = try await e2e.task(bucket: "staging", prefix: "c/", ["a"], status: "SUCCEEDED")
        let copying = try await e2e.add(task: copyTask, from: "s3://staging/c/", to: "s3://dest/c/")
        await e2e.moto.shutdown()
        let s3Down = try await e2e.sweep()
        #expect(s3Down.status == 75, "stderr: \(s3Down.stderr)")
        #expect(s3Down.stdout == "\(copying): waiting → copying\n")
        // Transient trouble is kept quiet for its first hour (--quiet-transient-for), so cron
        // does not mail every run; the record keeps when it began.
        #expect(s3Down.stderr.isEmpty)
        let record = try e2e.store.load(copying)
        #expect(record.state == .copying)
        #expect(record.attempts == 1)
        #expect(record.lastError?.transient == true)
        #expect(record.transientTrouble?.since != nil)
        let loud = try await e2e.sweep(["--once", "--quiet-transient-for", "0"])
        #expect(loud.status == 75)
        #expect(loud.stderr.contains("transient"))

        // 75: Globus unreachable too; the waiting transfer keeps its state and notes the trouble.
        await e2e.globus.shutdown()
        let globusDown = try await e2e.sweep()
        #expect(globusDown.status == 75, "stderr: \(globusDown.stderr)")
        #expect(globusDown.stdout.isEmpty && globusDown.stderr.isEmpty)
        let stillWaiting = try e2e.store.load(waiting)
        #expect(stillWaiting.state == .waiting && stillWaiting.lastError == nil)
        #expect(stillWaiting.transientTrouble?.since != nil && stillWaiting.transientTrouble?.reportedAt == nil)
        _ = before

        // Once the trouble is older than the quiet time: one line per transfer (the waiting one's
        // Globus status call, the copying one's copy), then quiet for a day.
        for id in [waiting, copying] {
            _ = try e2e.store.withLock(id) { $0.transientTrouble = TransientTrouble(since: Date() - 7200) }
        }
        let lasting = try await e2e.sweep()
        #expect(lasting.status == 75)
        let lines = lasting.stderr.split(separator: "\n")
        #expect(lines.count == 2, "stderr: \(lasting.stderr)")
        #expect(lines.allSatisfy { $0.contains("failing since") && $0.contains("reported once a day") })
        let dayAfter = try await e2e.sweep()
        #expect(dayAfter.status == 75 && dayAfter.stderr.isEmpty, "stderr: \(dayAfter.stderr)")
    }
}
