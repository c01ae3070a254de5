import CopyPTHTTP
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--engine batch|auto` through the real executables: moto as S3, the Globus emulator, and
/// scripts/s3control-standin as S3 Control (it reads each request against botocore's model and
/// performs the job's copies against moto).
@Suite(.serialized) struct BatchEndToEndTests {
    static let role = "arn:aws:iam::111122223333:role/copypt-batch"

    /// The end-to-end fixture plus the S3 Control stand-in.
    final class Fixture: @unchecked Sendable {
        let e2e: EndToEndFixture
        let standin: ServerProcess

        init() async throws {
            e2e = try await EndToEndFixture()
            standin = try await ServerProcess.launch(
                executable: ProjectPaths.script("s3control-standin").path,
                arguments: ["--port", "{port}", "--upstream", e2e.moto.baseURL, "--workers", "8"])
        }

        deinit { standin.stop() }

        var environment: [String: String?] { ["AWS_ENDPOINT_URL_S3_CONTROL": standin.baseURL] }

        /// Staging `stg/run42/` with `count` small objects (and `big` larger ones), a SUCCEEDED
        /// Globus task that delivered them, and an empty `dst`.
        func stage(count: Int, big: [String: Int] = [:]) async throws -> (task: String, keys: [String]) {
            try await e2e.createBucket("stg")
            try await e2e.createBucket("dst")
            let names = (0..<count).map { String(format: "d%02d/file-%05d.dat", $0 % 10, $0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0
                func add() {
                    guard next < names.count else { return }
                    let name = names[next]
                    let seed = next
                    next += 1
                    group.addTask { try await self.e2e.put("stg", "run42/" + name, EndToEndFixture.bytes(16 + seed % 50, seed: seed)) }
                }
                for _ in 0..<16 { add() }
                while try await group.next() != nil { add() }
            }
            for (name, size) in big { try await e2e.put("stg", "run42/" + name, EndToEndFixture.bytes(size, seed: size)) }
            let all = names + big.keys.sorted()
            let task = try await e2e.task(bucket: "stg", prefix: "run42/", all, status: "SUCCEEDED")
            return (task, all)
        }

        func add(_ task: String, to: String, _ extra: [String]) async throws -> String {
            try await e2e.add(task: task, from: "s3://stg/run42/", to: to, extra)
        }

        func sweep(_ extra: [String: String?] = [:], arguments: [String] = ["--once"]) async throws -> ChildProcess.Result {
            var env = environment
            for (key, value) in extra { env[key] = value }
            return try await e2e.sweep(arguments, environment: env)
        }

        /// Sweeps until the record leaves `copying`/`waiting` (for at most `limit`: the stand-in
        /// copies a 20,000-object job in minutes on a loaded 2-core machine).
        func sweepUntilSettled(_ id: String, limit: Duration = .seconds(1200), arguments: [String] = ["--once"]) async throws -> TransferRecord {
            let clock = ContinuousClock()
            let deadline = clock.now + limit
            while clock.now < deadline {
                _ = try await sweep(arguments: arguments)
                let record = try e2e.store.load(id)
                if record.state != .copying && record.state != .waiting { return record }
                try await Task.sleep(for: .milliseconds(500))
            }
            return try e2e.store.load(id)
        }

        func admin(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
            var request = HTTPRequest(method: method, url: standin.baseURL + "/__s3control/" + path)
            if let body {
                request.body = Array(try JSONSerialization.data(withJSONObject: body))
                request.headers["Content-Type"] = "application/json"
            }
            let response = try await e2e.transport.send(request)
            guard response.isSuccess else { throw EndToEndError(description: "stand-in \(path): \(response.status) \(response.bodyText)") }
            return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:]
        }

        /// The stand-in's jobs.
        func jobs() async throws -> [[String: Any]] {
            (try await admin(.get, "jobs")["jobs"] as? [[String: Any]]) ?? []
        }
    }

    @Test("a 20,000-object transfer with --engine auto and the threshold lowered completes through one Batch Operations job; the manifest and report are cleaned up")
    func largeTransferThroughBatch() async throws {
        let fixture = try await Fixture()
        let count = Int(ProcessInfo.processInfo.environment["COPYPT_TEST_BATCH_OBJECTS"] ?? "") ?? 20_000
        let (task, keys) = try await fixture.stage(count: count)
        let id = try await fixture.add(task, to: "s3://dst/incoming/run42/", ["--batch-role-arn", Self.role, "--batch-threshold", String(min(1000, count))])
        let record = try await fixture.sweepUntilSettled(id)
        #expect(record.state == .done, "\(record.lastError?.message ?? "")")
        let batch = try #require(record.batch)
        #expect(batch.jobID != nil && batch.status == "Complete")
        #expect(batch.manifestObjects == count)
        #expect(record.progress.objectsDone == count)
        let jobs = try await fixture.jobs()
        #expect(jobs.count == 1)
        let copied = try await fixture.e2e.keys("dst", prefix: "incoming/run42/")
        #expect(copied == keys.map { "incoming/run42/" + $0 }.sorted())
        #expect(copied.count == count)
        #expect(try await fixture.e2e.keys("stg", prefix: ".copypt/").isEmpty)
        let status = try await fixture.e2e.status([id])
        #expect(status.status == 0)
    }

    @Test("tasks the job fails with a retryable error (500 InternalError) are copied directly by the sweep, and the transfer is done")
    func retryableFailuresCopiedDirectly() async throws {
        let fixture = try await Fixture()
        let (task, keys) = try await fixture.stage(count: 40)
        _ = try await fixture.admin(.post, "config", [
            "fail_tasks": [["pattern": "file-0000[1-3]", "status": 500, "code": "InternalError", "message": "We encountered an internal error. Please try again."]],
        ])
        let id = try await fixture.add(task, to: "s3://dst/run42/", ["--engine", "batch", "--batch-role-arn", Self.role])
        let record = try await fixture.sweepUntilSettled(id)
        #expect(record.state == .done, "\(record.lastError?.message ?? "")")
        #expect(record.batch?.tasksFailed == 3)
        #expect(record.notes.contains { $0.contains("3 task(s)") && $0.contains("copied them directly") })
        #expect(try await fixture.e2e.keys("dst", prefix: "run42/") == keys.map { "run42/" + $0 }.sorted())
        #expect(try await fixture.jobs().count == 1)
    }

    @Test("tasks the job fails for good (403 AccessDenied) fail the transfer with the report's reasons, naming the keys")
    func permanentFailuresFailTheTransfer() async throws {
        let fixture = try await Fixture()
        let (task, _) = try await fixture.stage(count: 20)
        _ = try await fixture.admin(.post, "config", [
            "fail_tasks": [["pattern": "file-00007", "status": 403, "code": "AccessDenied", "message": "Access Denied"]],
        ])
        let id = try await fixture.add(task, to: "s3://dst/run42/", ["--engine", "batch", "--batch-role-arn", Self.role])
        let record = try await fixture.sweepUntilSettled(id)
        #expect(record.state == .failed)
        let message = record.lastError?.message ?? ""
        #expect(message.contains("run42/d07/file-00007.dat") && message.contains("AccessDenied"), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test("a job that ends Failed fails the transfer with the job's one-line reason; `copypt retry` then makes a second job, which completes")
    func failedJob() async throws {
        let fixture = try await Fixture()
        let (task, _) = try await fixture.stage(count: 20)
        _ = try await fixture.admin(.post, "config", [
            "end": ["status": "Failed", "after_tasks": 2, "code": "TaskFailureThresholdExceeded", "reason": "too many tasks failed"],
        ])
        let id = try await fixture.add(task, to: "s3://dst/run42/", ["--engine", "batch", "--batch-role-arn", Self.role])
        let record = try await fixture.sweepUntilSettled(id)
        #expect(record.state == .failed)
        let message = record.lastError?.message ?? ""
        #expect(message.contains("failed") && message.contains("too many tasks failed") && message.contains("copypt retry"), "\(message)")
        // `copypt retry` makes a new job (a new token), which completes.
        _ = try await fixture.admin(.post, "config", ["end": [String: Any]()])
        let retried = try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), ["retry", id], environment: fixture.e2e.environment)
        #expect(retried.status == 0, "\(retried.stderr)")
        let again = try await fixture.sweepUntilSettled(id)
        #expect(again.state == .done, "\(again.lastError?.message ?? "")")
        #expect(again.batch?.attempt == 2)
        let jobs = try await fixture.jobs()
        #expect(jobs.count == 2)
        #expect(Set(jobs.compactMap { $0["token"] as? String }).count == 2)
    }

    @Test("kill -9 after the manifest upload and again after CreateJob, before the record knows the job: one job, and the transfer completes",
          arguments: [["after-manifest"], ["after-create-job"], ["after-manifest", "after-create-job"]])
    func killBetweenSteps(steps: [String]) async throws {
        let fixture = try await Fixture()
        let (task, keys) = try await fixture.stage(count: 30)
        let id = try await fixture.add(task, to: "s3://dst/run42/", ["--engine", "batch", "--batch-role-arn", Self.role])
        for step in steps {
            let killed = try await fixture.sweep(["COPYPT_TEST_KILL_AT": step])
            #expect(killed.status != 0)
            let record = try fixture.e2e.store.load(id)
            #expect(record.batch?.manifestETag != nil)
            #expect(record.batch?.jobID == nil)
        }
        let record = try await fixture.sweepUntilSettled(id)
        #expect(record.state == .done, "\(record.lastError?.message ?? "")")
        #expect(try await fixture.jobs().count == 1)
        #expect(try await fixture.e2e.keys("dst", prefix: "run42/") == keys.map { "run42/" + $0 }.sorted())
    }

    @Test("an object over the copy limit (the multipart threshold, lowered) is left out of the manifest and copied by copypt's multipart path")
    func bigObjectsStayDirect() async throws {
        let fixture = try await Fixture()
        let (task, keys) = try await fixture.stage(count: 20, big: ["big/huge.bin": 1_500_000])
        let id = try await fixture.add(task, to: "s3://dst/run42/", ["--engine", "batch", "--batch-role-arn", Self.role])
        let arguments = ["--once", "--multipart-threshold", "1MiB", "--min-part-size", "256KiB"]
        let record = try await fixture.sweepUntilSettled(id, arguments: arguments)
        #expect(record.state == .done, "\(record.lastError?.message ?? "")")
        #expect(record.batch?.manifestObjects == 20)
        #expect(record.batch?.directObjects == 1)
        let jobs = try await fixture.jobs()
        #expect(jobs.first?["total"] as? Int == 20)
        #expect(try fixture.e2e.copyRequests(bucket: "dst")["run42/big/huge.bin", default: 0] >= 2)
        #expect(try await fixture.e2e.keys("dst", prefix: "run42/") == keys.map { "run42/" + $0 }.sorted())
    }

    @Test("a key mapping Batch Operations cannot express: --engine auto copies directly with a note; --engine batch is refused at add (exit 2)")
    func inexpressibleMapping() async throws {
        let fixture = try await Fixture()
        let (task, keys) = try await fixture.stage(count: 20)
        let refused = try await EndToEndFixture.run(
            try EndToEndFixture.executable("copypt-add"),
            ["--no-check", "--task", task, "--from", "s3://stg/run42/", "--to", "s3://dst/other/", "--engine", "batch", "--batch-role-arn", Self.role],
            environment: fixture.e2e.environment)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("TargetKeyPrefix") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        let id = try await fixture.add(task, to: "s3://dst/other/", ["--batch-role-arn", Self.role, "--batch-threshold", "5"])
        let record = try await fixture.sweepUntilSettled(id)
        #expect(record.state == .done, "\(record.lastError?.message ?? "")")
        #expect(record.batch == nil)
        #expect(record.notes.contains { $0.contains("copied directly") && $0.contains("TargetKeyPrefix") }, "\(record.notes)")
        #expect(try await fixture.jobs().isEmpty)
        #expect(try await fixture.e2e.keys("dst", prefix: "other/") == keys.map { "other/" + $0 }.sorted())
    }

    @Test("doctor with --batch-role-arn checks the role's account, asks S3 Control about a job that does not exist, and lists .copypt/batch/")
    func doctorCoversTheRole() async throws {
        let fixture = try await Fixture()
        _ = try await fixture.stage(count: 2)
        var environment = fixture.e2e.environment
        for (key, value) in fixture.environment { environment[key] = value }
        let result = try await EndToEndFixture.run(
            try EndToEndFixture.executable("copypt"),
            ["doctor", "--no-globus", "--from", "s3://stg/run42/", "--to", "s3://dst/run42/", "--batch-role-arn", Self.role],
            environment: environment)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("S3 Control") && $0.contains("DescribeJob answers") }, "\(result.stdout)")
        #expect(lines.contains { $0.contains("batch files") && $0.contains(".copypt/batch/") }, "\(result.stdout)")
        #expect(lines.contains { $0.contains("batch role") }, "\(result.stdout)")
        let stats = try await fixture.admin(.get, "stats")
        #expect((stats["requests"] as? [String: Int])?["DescribeJob"] == 1)
    }
}
