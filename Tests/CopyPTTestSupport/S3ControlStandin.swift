import CopyPTHTTP
import Foundation

/// `scripts/s3control-standin` in front of its own `moto_server`: the S3 Control Batch Operations
/// job API (CreateJob, DescribeJob, ListJobs, UpdateJobStatus, UpdateJobPriority) on loopback,
/// reading every request against botocore's s3control model and performing S3PutObjectCopy jobs
/// against moto, with a completion report. Each test starts its own; both servers stop when it is
/// released or shut down. The rules and knobs are listed at the top of the script.
public final class S3ControlStandin: Sendable {
    /// The moto behind the stand-in: the S3 endpoint for staging and destination buckets.
    public let moto: MotoServer
    /// The stand-in process.
    public let server: ServerProcess
    /// The transport the helpers use.
    public let transport: CurlTransport
    /// The admin token the stand-in was started with (`X-S3Control-Admin-Token`).
    public let adminToken: String

    /// `http://127.0.0.1:<port>`: the endpoint for `AWS_ENDPOINT_URL_S3_CONTROL` (used as given,
    /// without the `<account-id>.` host prefix).
    public var url: String { server.baseURL }

    private init(moto: MotoServer, server: ServerProcess, transport: CurlTransport, adminToken: String) {
        self.moto = moto
        self.server = server
        self.transport = transport
        self.adminToken = adminToken
    }

    /// Starts moto and the stand-in and returns once both accept connections.
    /// - Parameters:
    ///   - moto: an already running moto to copy against (default: start one, stopped with this).
    ///   - credentials: access key ids and secrets whose SigV4 signatures the stand-in checks
    ///     (default none: it checks only the Authorization header's form and that it is signed for `s3`).
    ///   - pollsPerState: how many DescribeJob calls see each of Preparing, Active and Completing
    ///     before the job moves on (default 0: as fast as it runs).
    ///   - recordOnly: count the copies instead of making them (bench mode), default false.
    ///   - workers: copy threads, default 8.
    public static func start(
        moto: MotoServer? = nil,
        credentials: [String: String] = [:],
        pollsPerState: Int = 0,
        recordOnly: Bool = false,
        workers: Int = 8
    ) async throws -> S3ControlStandin {
        let ownsMoto = moto == nil
        let upstream: MotoServer
        if let moto { upstream = moto } else { upstream = try await MotoServer.start() }
        let token = UUID().uuidString
        var arguments = [
            "--port", "{port}", "--upstream", upstream.endpoint, "--admin-token", token,
            "--polls-per-state", String(pollsPerState), "--workers", String(workers),
        ]
        for (key, secret) in credentials.sorted(by: { $0.key < $1.key }) {
            arguments += ["--credentials", "\(key):\(secret)"]
        }
        if recordOnly { arguments.append("--record-only") }
        let server: ServerProcess
        do {
            server = try await ServerProcess.launch(
                executable: ProjectPaths.script("s3control-standin").path, arguments: arguments)
        } catch {
            if ownsMoto { await upstream.shutdown() }
            throw error
        }
        return S3ControlStandin(moto: upstream, server: server, transport: try CurlTransport(), adminToken: token)
    }

    /// Stops the stand-in and its moto now and waits until they have exited.
    public func shutdown() async {
        await server.shutdown()
        await moto.shutdown()
    }

    // MARK: - Admin API

    /// Why an admin call failed (the stand-in's one-line reason included).
    public struct AdminError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A task failure on demand: every task whose decoded source key matches `pattern` (a
    /// Python regex, searched) fails with this status, code and message instead of copying.
    public struct TaskFailure: Sendable {
        public var pattern: String
        public var status: Int
        public var code: String
        public var message: String

        public init(pattern: String, status: Int = 403, code: String = "AccessDenied", message: String = "Access Denied") {
            self.pattern = pattern
            self.status = status
            self.code = code
            self.message = message
        }
    }

    /// Makes the tasks of jobs created from now on fail as given.
    public func failTasks(_ failures: [TaskFailure]) async throws {
        try await configure([
            "fail_tasks": failures.map {
                ["pattern": $0.pattern, "status": $0.status, "code": $0.code, "message": $0.message] as [String: Any]
            }
        ])
    }

    /// Ends jobs created from now on after `afterTasks` tasks with `status` (`Failed`,
    /// `Cancelled` or `Suspended`), with a failure `code` and `reason` for Failed.
    public func endJobs(status: String, afterTasks: Int = 0, code: String = "JobFailed", reason: String? = nil) async throws {
        var end: [String: Any] = ["status": status, "after_tasks": afterTasks, "code": code]
        if let reason { end["reason"] = reason }
        try await configure(["end": end])
    }

    /// Answers the next `count` S3 Control requests (of `operations`, default every one) with
    /// this error instead of serving them; a refused CreateJob makes no job. Applies at once.
    public func failRequests(
        count: Int, status: Int = 503, code: String = "SlowDown", message: String = "Please reduce your request rate.",
        operations: [String] = []
    ) async throws {
        var errors: [String: Any] = ["count": count, "status": status, "code": code, "message": message]
        if !operations.isEmpty { errors["operations"] = operations }
        try await configure(["errors_next": errors])
    }

    /// Merges knobs into the stand-in's configuration for jobs created from now on (see the
    /// script: fail_tasks, end, record_only, polls_per_state, task_delay, report_order, workers,
    /// errors_next).
    public func configure(_ knobs: [String: Any]) async throws {
        _ = try await admin(.post, "config", body: Array(try JSONSerialization.data(withJSONObject: knobs)))
    }

    /// Moves a running job to `status` (`Failed`, `Cancelled` or `Suspended`) at its next task.
    public func force(job id: String, status: String, code: String = "JobFailed", reason: String? = nil) async throws {
        var doc: [String: Any] = ["status": status, "code": code]
        if let reason { doc["reason"] = reason }
        _ = try await admin(.post, "jobs/\(id)/force", body: Array(try JSONSerialization.data(withJSONObject: doc)))
    }

    /// One job as the stand-in sees it.
    public struct JobSummary: Sendable, Decodable, Equatable {
        public struct Failure: Sendable, Decodable, Equatable {
            public var FailureCode: String
            public var FailureReason: String
        }
        /// The JobId.
        public var id: String
        /// Its S3 Control status, e.g. `Complete`.
        public var status: String
        /// TotalNumberOfTasks, once the manifest was read.
        public var total: Int?
        public var succeeded: Int
        public var failed: Int
        /// The completion report's keys (CSV files, then manifest.json) in the report bucket.
        public var report_keys: [String]
        public var failure_reasons: [Failure]
        /// The ClientRequestToken it was created with.
        public var token: String?
    }

    /// Every job created so far, oldest first.
    public func jobs() async throws -> [JobSummary] {
        struct List: Decodable { var jobs: [JobSummary] }
        return try JSONDecoder().decode(List.self, from: Data(try await admin(.get, "jobs"))).jobs
    }

    /// Request counters: `requests` by S3 Control operation (`CreateJob`, `DescribeJob`, …,
    /// `CreateJob(idempotent)` for a repeated token), `statuses` by HTTP status, `upstream` by S3
    /// operation sent to moto, `tasks` by outcome (`copied`, `recorded`, `failed_on_demand`, …).
    public func stats() async throws -> [String: [String: Int]] {
        try JSONDecoder().decode([String: [String: Int]].self, from: Data(try await admin(.get, "stats")))
    }

    /// Waits until every job is in a terminal status (Complete, Failed, Cancelled), polling the
    /// admin API (not DescribeJob, so the stand-in's poll counting is untouched).
    public func waitForJobs(timeout: Duration = .seconds(120)) async throws -> [JobSummary] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let all = try await jobs()
            if all.allSatisfy({ ["Complete", "Failed", "Cancelled"].contains($0.status) }) { return all }
            if ContinuousClock.now > deadline {
                throw AdminError(description: "s3control-standin: jobs still running after \(timeout): \(all.map(\.status))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func admin(_ method: HTTPMethod, _ path: String, body: [UInt8] = []) async throws -> [UInt8] {
        let response = try await transport.send(HTTPRequest(
            method: method, url: url + "/__s3control/" + path,
            headers: ["Content-Type": "application/json", "X-S3Control-Admin-Token": adminToken], body: body))
        guard response.isSuccess else {
            throw AdminError(description: "s3control-standin \(path) answered \(response.status): \(response.bodyText)")
        }
        return response.body
    }
}
