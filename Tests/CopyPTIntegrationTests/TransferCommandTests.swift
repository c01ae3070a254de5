import CopyPTHTTP
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// `copypt transfer` through the real executables, against moto and the Globus emulator
/// performing transfers from a local folder into the staging bucket.
@Suite("copypt transfer end to end", .serialized)
struct TransferCommandTests {
    /// A fixture with a source folder collection, an S3 staging collection on moto, and the
    /// staging and destination buckets.
    final class Setup: Sendable {
        let fixture: EndToEndFixture
        let sourceCollection: String
        let stagingCollection: String
        let sourceRoot: URL

        init(consent: Bool = false) async throws {
            fixture = try await EndToEndFixture()
            sourceRoot = fixture.directory.appendingPathComponent("source", isDirectory: true)
            try FileManager.default.createDirectory(at: sourceRoot, withIntermediateDirectories: true)
            sourceCollection = try await fixture.globus.registerFolderCollection(
                root: sourceRoot.path, displayName: "lab disk", dataAccessConsent: consent)
            stagingCollection = try await fixture.globus.registerS3Collection(endpointURL: fixture.moto.baseURL, displayName: "staging S3")
            try await fixture.createBucket("stage")
            try await fixture.createBucket("dest")
        }

        /// Writes `files` (relative path → text) under `source/<run>/`.
        func writeRun(_ run: String, _ files: [String: String]) throws {
            for (path, text) in files {
                let url = sourceRoot.appendingPathComponent(run).appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
        }

        /// The arguments of `copypt transfer` for `run`.
        func arguments(_ run: String, staging: String? = nil, extra: [String] = []) -> [String] {
            ["transfer", "\(sourceCollection):/\(run)/", "s3://dest/\(run)/", "--staging", "s3://stage/\(run)/",
             "--staging-collection", staging ?? stagingCollection, "--label", run] + extra
        }

        /// Runs `copypt ARGUMENTS` with the fixture's environment plus `extra`.
        func copypt(_ arguments: [String], environment extra: [String: String?] = [:]) async throws -> ChildProcess.Result {
            var environment = fixture.environment
            for (key, value) in extra { environment[key] = value }
            return try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), arguments, environment: environment)
        }

        /// Sweeps until `id` is done (at most `rounds` sweeps).
        func sweepUntilDone(_ id: String, rounds: Int = 6) async throws -> TransferRecord {
            var record = try fixture.store.load(id)
            for _ in 0..<rounds where record.state != .done {
                let sweep = try await fixture.sweep()
                #expect(sweep.status == 0, "\(sweep.stderr)")
                record = try fixture.store.load(id)
            }
            return record
        }
    }

    @Test("copypt transfer then sweeps: files on local disk end verified in the destination bucket, no task id carried by hand")
    func journey() async throws {
        let setup = try await Setup()
        try setup.writeRun("run42", ["a.txt": "alpha", "sub/b.txt": "bravo"])
        let result = try await setup.copypt(setup.arguments("run42"))
        #expect(result.status == 0, "\(result.stderr)")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let record = try setup.fixture.store.load(id)
        #expect(record.state == .waiting)
        #expect(record.globusTaskID.count == 36)
        #expect(record.submission?.acceptedAt != nil)
        #expect(record.submission?.sourcePath == "/run42/")
        let done = try await setup.sweepUntilDone(id)
        #expect(done.state == .done, "\(done.lastError?.message ?? "")")
        #expect(try await setup.fixture.keys("dest", prefix: "run42/") == ["run42/a.txt", "run42/sub/b.txt"])
        #expect(try await setup.fixture.get("dest", "run42/sub/b.txt") == Array("bravo".utf8))
        let submissions = try await setup.fixture.globus.submissions()
        #expect(submissions.tasksCreated == 1)
    }

    @Test("a run killed (SIGKILL) at each step of submission, then run again or followed by a sweep, makes exactly one task", arguments: [
        ("after-submission-id", false), ("after-record", false), ("after-record", true), ("after-post", false), ("after-post", true),
    ])
    func killedMidSubmission(step: String, thenSweep: Bool) async throws {
        let setup = try await Setup()
        try setup.writeRun("run7", ["x.dat": "x"])
        let killed = try await setup.copypt(setup.arguments("run7"), environment: ["COPYPT_TEST_ABORT_AT": step])
        #expect(killed.status == 137, "\(step): \(killed.stderr)")
        let before = try setup.fixture.store.loadAll().records
        #expect(before.count == (step == "after-submission-id" ? 0 : 1))
        #expect(before.allSatisfy { $0.state == .submitting && $0.globusTaskID.isEmpty })
        if let pending = before.first, step == "after-record", !thenSweep {
            // doctor on a record not yet submitted: no lookup of task "", the task check skipped.
            let doctor = try await setup.copypt(["doctor", pending.id, "--json"])
            #expect(doctor.stdout.contains("not submitted yet"), "\(doctor.stdout) \(doctor.stderr)")
            #expect(!(try await setup.fixture.globus.requests()).contains { $0.path.hasPrefix("/v0.10/task/") })
        }
        if thenSweep {
            let sweep = try await setup.fixture.sweep()
            #expect(sweep.status == 0, "\(sweep.stderr)")
        } else {
            let again = try await setup.copypt(setup.arguments("run7"))
            #expect(again.status == 0, "\(again.stderr)")
            if let first = before.first { #expect(again.stdout == first.id + "\n") }
        }
        let records = try setup.fixture.store.loadAll().records
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.state == .waiting || record.state == .copying || record.state == .done)
        let submissions = try await setup.fixture.globus.submissions()
        #expect(submissions.tasksCreated == 1, "\(step): never two tasks")
        #expect(submissions.submissions.map(\.taskID) == [record.globusTaskID], "\(step): never none, and the record has it")
        if step == "after-post" {
            #expect(submissions.submissions.first?.attempts == 2, "the second POST was answered Duplicate")
        }
        #expect(try await setup.sweepUntilDone(record.id).state == .done)
    }

    @Test("an accepted submission whose answer is lost is sent again with the same submission_id: Duplicate, one task")
    func lostAnswer() async throws {
        let setup = try await Setup()
        try setup.writeRun("run8", ["y.dat": "y"])
        try await setup.fixture.globus.configureSubmissions(loseReplies: 1, loseReplyStatus: 502)
        let result = try await setup.copypt(setup.arguments("run8"))
        #expect(result.status == 0, "\(result.stderr)")
        let submissions = try await setup.fixture.globus.submissions()
        #expect(submissions.tasksCreated == 1)
        #expect(submissions.submissions.first?.attempts == 2)
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try setup.fixture.store.load(id).globusTaskID == submissions.submissions.first?.taskID)
    }

    @Test("a mismatch is caught before submission: one line, exit 2, no record and no POST", arguments: ["posix staging", "unknown collection", "no destination bucket"])
    func mismatch(kind: String) async throws {
        let setup = try await Setup()
        try setup.writeRun("run9", ["z.dat": "z"])
        var arguments = setup.arguments("run9")
        var says = ""
        switch kind {
        case "posix staging":
            arguments = setup.arguments("run9", staging: setup.sourceCollection)
            says = "does not store into S3"
        case "unknown collection":
            arguments = setup.arguments("run9", staging: "0a0b0c0d-0000-4000-8000-000000000009")
            says = "does not exist"
        default:
            arguments[2] = "s3://no-such-dest/run9/"
            says = "no-such-dest does not exist"
        }
        let result = try await setup.copypt(arguments)
        #expect(result.status == 2, "\(kind): \(result.stderr)")
        #expect(result.stderr.contains(says), "\(kind): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(kind): \(result.stderr)")
        #expect(try setup.fixture.store.loadAll().records.isEmpty)
        #expect(try await setup.fixture.globus.submissions().transferPosts == 0)
    }

    @Test("--wait sweeps the one transfer to done with progress on stderr and exits 0")
    func wait() async throws {
        let setup = try await Setup()
        try setup.writeRun("run5", ["w.txt": "whiskey"])
        let result = try await setup.copypt(setup.arguments("run5", extra: ["--wait", "--interval", "1s"]))
        #expect(result.status == 0, "\(result.stderr)")
        let id = try #require(result.stdout.split(separator: "\n").first.map(String.init))
        #expect(try setup.fixture.store.load(id).state == .done)
        #expect(result.stdout.contains("→ done"), "\(result.stdout)")
        #expect(result.stderr.contains("Globus task"), "\(result.stderr)")
        #expect(try await setup.fixture.keys("dest", prefix: "run5/") == ["run5/w.txt"])
    }

    @Test("ConsentRequired from the submission is one line naming `copypt login --collection`; after that login, running it again submits one task")
    func consent() async throws {
        let setup = try await Setup(consent: true)
        try setup.writeRun("run3", ["c.txt": "charlie"])
        try await setup.fixture.globus.registerClient("native-app")
        // A person's login (native app, token file) instead of the fixture's service account.
        let person: [String: String?] = ["COPYPT_GLOBUS_CLIENT_ID": "native-app", "COPYPT_GLOBUS_CLIENT_SECRET": nil]
        let login = { (arguments: [String]) async throws -> ChildProcess.Result in
            var environment = setup.fixture.environment
            for (key, value) in person { environment[key] = value }
            let child = try ChildProcess(try EndToEndFixture.executable("copypt"), ["login", "--no-browser"] + arguments, environment: environment)
            #expect(await ChildProcess.waitUntil(timeout: 30) { child.stdoutSoFar.contains("http") })
            let url = try #require(child.stdoutSoFar.split(separator: "\n").first { $0.hasPrefix("http") })
            let code = try await setup.fixture.transport.send(HTTPRequest(method: .get, url: String(url))).bodyText
            child.write(code.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
            return await child.finish()
        }
        #expect(try await login([]).status == 0)

        let refused = try await setup.copypt(setup.arguments("run3"), environment: person)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("copypt login --collection \(setup.sourceCollection)"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        let waiting = try #require(try setup.fixture.store.loadAll().records.first)
        #expect(waiting.state == .submitting && waiting.lastError?.code == "ConsentRequired")
        #expect(try await setup.fixture.globus.submissions().tasksCreated == 0)

        let consented = try await login(["--collection", setup.sourceCollection])
        #expect(consented.status == 0, "\(consented.stderr)")
        let again = try await setup.copypt(setup.arguments("run3"), environment: person)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == waiting.id + "\n")
        #expect(try setup.fixture.store.load(waiting.id).state == .waiting)
        #expect(try await setup.fixture.globus.submissions().tasksCreated == 1)
    }
}
