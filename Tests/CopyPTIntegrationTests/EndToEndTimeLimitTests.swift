import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// Time limits through the real executables, against scripts/trickle-server, which answers a
/// byte a second: never slow enough for the 1 byte/s stall limit, so only a total limit ends it.
@Suite struct EndToEndTimeLimitTests {
    static func trickleServer() async throws -> ServerProcess {
        try await ServerProcess.launch(executable: ProjectPaths.script("trickle-server").path, arguments: ["{port}"])
    }

    @Test("a sweep stuck copying from an S3 that trickles a byte a second stops at --max-runtime: exit 75, progress kept, lock released")
    func sweepMaxRuntime() async throws {
        let e2e = try await EndToEndFixture()
        let trickle = try await Self.trickleServer()
        defer { trickle.stop() }
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "run/a", [1, 2, 3])
        let task = try await e2e.task(bucket: "staging", prefix: "run/", ["a"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://staging/run/", to: "s3://dest/run/")

        let clock = ContinuousClock()
        let started = clock.now
        let stuck = try await e2e.sweep(["--once", "--max-runtime", "3s"], environment: ["AWS_ENDPOINT_URL_S3": trickle.baseURL])
        let elapsed = clock.now - started
        #expect(stuck.status == 75, "stderr: \(stuck.stderr)")
        #expect(stuck.stderr.contains("--max-runtime 3s reached"))
        // Cancelled, not killed by the 30 s fallback: the sweep wound down and saved the record.
        #expect(elapsed < .seconds(30))
        let record = try e2e.store.load(id)
        #expect(record.state == .copying)
        #expect(record.lastError?.transient == true)

        // The lock is free and the next sweep, with S3 answering, finishes the transfer.
        let next = try await e2e.sweep()
        #expect(next.status == 0, "stderr: \(next.stderr)")
        #expect(try e2e.store.load(id).state == .done)
        #expect(try await e2e.get("dest", "run/a") == [1, 2, 3])
    }

    @Test("copypt copy from an S3 that trickles a byte a second ends at COPYPT_HTTP_TIMEOUT with exit 75")
    func copyRequestTimeout() async throws {
        let trickle = try await Self.trickleServer()
        defer { trickle.stop() }
        let home = try TemporaryDirectory.make("copypt-timeout")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment: [String: String?] = [
            "HOME": home.path, "AWS_CONFIG_FILE": home.appendingPathComponent("none").path,
            "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("none").path,
            "AWS_ACCESS_KEY_ID": "AKIATIMEOUTTEST00000", "AWS_SECRET_ACCESS_KEY": "timeout-secret-not-real",
            "AWS_SESSION_TOKEN": nil, "AWS_PROFILE": nil, "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL_S3": trickle.baseURL, "AWS_ENDPOINT_URL": nil, "AWS_MAX_ATTEMPTS": "2",
            "COPYPT_HTTP_TIMEOUT": "2s",
        ]
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await ChildProcess.run(
            try EndToEndFixture.executable("copypt"), ["copy", "s3://staging/a", "s3://dest/a"], environment: environment)
        #expect(result.status == 75, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("timed out after 2.0 s"))
        #expect(clock.now - started < .seconds(60))

        var bad = environment
        bad["COPYPT_HTTP_TIMEOUT"] = "soon"
        let rejected = try await ChildProcess.run(
            try EndToEndFixture.executable("copypt"), ["copy", "s3://staging/a", "s3://dest/a"], environment: bad)
        #expect(rejected.status == 2)
        #expect(rejected.stderr.contains("COPYPT_HTTP_TIMEOUT=soon is not a duration"))
    }
}
