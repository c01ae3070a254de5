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

        /// Sweeps until the record leaves `copying`/`waiting` (at most `limit` sweeps).
        func sweepUntilSettled(_ id: String, limit: Int = 120, arguments: [String] = ["--once"]) async throws -> TransferRecord {
            for _ in 0..<limit {
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
}
