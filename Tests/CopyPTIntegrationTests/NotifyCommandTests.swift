import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Notifications and dead-man pings through the real executables: `copypt-add --notify-url`,
/// `copypt cancel`, `copypt-sweep --notify-url/--notify-command/--ping-url`, against
/// `scripts/notify-receiver` (and moto plus the Globus emulator for a real `done`).
@Suite struct NotifyCommandTests {
    static let secretPath = "/services/T000/B000/XXXXSECRETXXXX"

    /// A state directory, and the environment the executables run with (no AWS or Globus needed
    /// while nothing is waiting or copying).
    final class Fixture: @unchecked Sendable {
        let directory: URL
        init() throws { directory = try TemporaryDirectory.make("copypt-notify") }
        deinit { try? FileManager.default.removeItem(at: directory) }
        var stateDirectory: URL { directory.appendingPathComponent("state", isDirectory: true) }
        var store: RecordStore { RecordStore(root: stateDirectory) }
        var environment: [String: String?] {
            ["COPYPT_STATE_DIR": stateDirectory.path, "HOME": directory.path, "COPYPT_NOTIFY_URL": nil,
             "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path, "XDG_STATE_HOME": nil,
             "GLOBUS_SDK_SERVICE_URL_AUTH": "http://127.0.0.1:9/", "GLOBUS_SDK_SERVICE_URL_TRANSFER": "http://127.0.0.1:9/",
             "COPYPT_GLOBUS_CLIENT_ID": "notify-test", "COPYPT_GLOBUS_CLIENT_SECRET": "not-a-secret"]
        }

        func run(_ name: String, _ arguments: [String], _ extra: [String: String?] = [:]) async throws -> ChildProcess.Result {
            var env = environment
            for (key, value) in extra { env[key] = value }
            return try await ChildProcess.run(try EndToEndFixture.executable(name), arguments, environment: env)
        }

        /// `copypt-add --no-check` for a made-up task, then `copypt cancel`: a cancelled event queued.
        func addAndCancel(_ extra: [String] = [], label: String = "run 42") async throws -> String {
            let task = UUID().uuidString.lowercased()
            let added = try await run(
                "copypt-add",
                ["--no-check", "--task", task, "--from", "s3://stg/\(task)/", "--to", "s3://dst/\(task)/", "--label", label] + extra)
            guard added.status == 0 else { throw EndToEndError(description: "copypt-add: \(added)") }
            let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let cancelled = try await run("copypt", ["cancel", id])
            guard cancelled.status == 0 else { throw EndToEndError(description: "copypt cancel: \(cancelled)") }
            return id
        }
    }

    @Test("A cancel is queued in the record and the next sweep POSTs it once: text, fields, idempotency key")
    func cancelDelivered() async throws {
        let fixture = try Fixture()
        let receiver = try await NotifyReceiver.start()
        let id = try await fixture.addAndCancel()
        let queued = try fixture.store.load(id)
        #expect(queued.notifications?.pending.map(\.event) == ["cancelled"])

        let sweep = try await fixture.run("copypt-sweep", ["--once", "--notify-url", receiver.baseURL + Self.secretPath])
        #expect(sweep.status == 0, "\(sweep)")
        let posts = receiver.received().filter { $0.method == "POST" }
        try #require(posts.count == 1, "\(posts)")
        let body = try #require(posts[0].json)
        #expect(posts[0].path == Self.secretPath)
        #expect(body["text"] as? String == "copypt: \(id) (run 42) cancelled: cancelled with copypt cancel")
        #expect(body["event"] as? String == "cancelled" && body["id"] as? String == id && body["state"] as? String == "cancelled")
        let key = try #require(body["idempotency_key"] as? String)
        #expect(key.hasPrefix("\(id):cancelled:") && posts[0].idempotencyKey == key)
        #expect(try fixture.store.load(id).notifications == nil)

        let again = try await fixture.run("copypt-sweep", ["--once", "--notify-url", receiver.baseURL + Self.secretPath])
        #expect(again.status == 0 && receiver.received().count == 1, "\(again)")
    }

    @Test("A webhook failing twice gets the event on the third sweep, exactly once; the failure is told once, URL redacted")
    func retriedUntilDelivered() async throws {
        let fixture = try Fixture()
        let receiver = try await NotifyReceiver.start(failFirst: 2)
        let id = try await fixture.addAndCancel()
        let url = receiver.baseURL + Self.secretPath
        var stderrs: [String] = []
        for _ in 0..<4 {
            let sweep = try await fixture.run("copypt-sweep", ["--once"], ["COPYPT_NOTIFY_URL": url])
            #expect(sweep.status == 0, "\(sweep)")
            stderrs.append(sweep.stderr)
            #expect(!sweep.stderr.contains("SECRET") && !sweep.stdout.contains("SECRET"))
        }
        let answers = receiver.received().map(\.answer)
        #expect(answers == [500, 500, 200], "\(receiver.received())")
        #expect(Set(receiver.received().map(\.idempotencyKey)).count == 1)
        #expect(stderrs[0].contains("\(id) cancelled notification not delivered yet: the webhook http://127.0.0.1:\(receiver.server.port)/… answered HTTP 500"), "\(stderrs)")
        #expect(stderrs[1].isEmpty && stderrs[2].isEmpty && stderrs[3].isEmpty, "\(stderrs)")
        let record = try fixture.store.load(id)
        #expect(record.notifications == nil)
    }

    @Test("kill -9 of the sweep between send and record write: the next sweep sends it again with the same key, then never")
    func killBetweenSendAndWrite() async throws {
        let fixture = try Fixture()
        let receiver = try await NotifyReceiver.start(hangFirst: 1)
        let id = try await fixture.addAndCancel()
        let url = receiver.baseURL + Self.secretPath
        var env = ProcessInfo.processInfo.environment
        for (key, value) in fixture.environment { env[key] = value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try EndToEndFixture.executable("copypt-sweep"))
        process.arguments = ["--once", "--notify-url", url]
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The receiver records the POST before (never) answering it: the send happened.
        let deadline = Date().addingTimeInterval(60)
        while receiver.received().isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try #require(receiver.received().count == 1)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try fixture.store.load(id).notifications?.pending.count == 1)

        let next = try await fixture.run("copypt-sweep", ["--once", "--notify-url", url])
        #expect(next.status == 0, "\(next)")
        let third = try await fixture.run("copypt-sweep", ["--once", "--notify-url", url])
        #expect(third.status == 0, "\(third)")
        let received = receiver.received()
        #expect(received.map(\.answer) == [nil, 200], "\(received)")
        #expect(received[0].idempotencyKey == received[1].idempotencyKey && received[0].idempotencyKey?.hasPrefix("\(id):cancelled:") == true)
        #expect(try fixture.store.load(id).notifications == nil)
    }

    @Test("--notify-command runs without a shell with the COPYPT_* environment and the record JSON on stdin")
    func command() async throws {
        let fixture = try Fixture()
        let id = try await fixture.addAndCancel(["--notify-url", "http://127.0.0.1:9" + Self.secretPath], label: "it's $HOME")
        let out = fixture.directory.appendingPathComponent("notified.txt")
        let script = fixture.directory.appendingPathComponent("notify.sh")
        try """
            #!/bin/sh
            { echo "args=$#:$1:$2"; env | grep '^COPYPT_' | sort; cat; echo; } > "\(out.path)"
            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        // The record's own webhook is unreachable: the command is acknowledged and not run twice.
        let sweep = try await fixture.run(
            "copypt-sweep", ["--once", "--notify-command", "\(script.path) 'two words' $HOME"],
            ["GLOBUS_SDK_SERVICE_URL_TRANSFER": "http://127.0.0.1:9/"])
        #expect(sweep.status == 0, "\(sweep)")
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.contains("args=2:two words:$HOME"), "\(text)")
        for line in ["COPYPT_ID=\(id)", "COPYPT_LABEL=it's $HOME", "COPYPT_STATE=cancelled", "COPYPT_EVENT=cancelled",
                     "COPYPT_REASON=cancelled with copypt cancel", "COPYPT_OBJECTS=0", "COPYPT_BYTES=0"] {
            #expect(text.contains(line + "\n"), "\(line) in \(text)")
        }
        #expect(text.contains("\"id\" : \"\(id)\"") || text.contains("\"id\":\"\(id)\""), "\(text)")
        #expect(!text.contains("XXXXSECRETXXXX") && text.contains("http://127.0.0.1:9/…"), "\(text)")
        // The sweep's own secrets are not passed on.
        #expect(!text.contains("COPYPT_GLOBUS_CLIENT_SECRET") && !text.contains("not-a-secret"), "\(text)")
        #expect(!sweep.stderr.contains("XXXXSECRETXXXX"), "\(sweep.stderr)")
        let pending = try #require(fixture.store.load(id).notifications?.pending.first)
        #expect(pending.delivered == ["command"] && pending.attempts == 1)
        #expect(pending.lastError?.contains("http://127.0.0.1:9/…") == true && pending.lastError?.contains("XXXXSECRETXXXX") == false)
        try FileManager.default.removeItem(at: out)
        _ = try await fixture.run("copypt-sweep", ["--once", "--notify-command", script.path])
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let status = try await fixture.run("copypt", ["status", "--json"])
        #expect(status.stdout.contains("http://127.0.0.1:9/…") && !status.stdout.contains("SECRET"), "\(status)")
    }

    @Test("--ping-url: /start then the URL on exit 0, /fail on exit 2, the summary line as body; a dead ping URL leaves the exit status alone")
    func pings() async throws {
        let fixture = try Fixture()
        let receiver = try await NotifyReceiver.start()
        let ping = receiver.baseURL + "/ping/0b5a0c3e-XXXXSECRETXXXX"
        let ok = try await fixture.run("copypt-sweep", ["--once", "--ping-url", ping])
        #expect(ok.status == 0, "\(ok)")
        // A waiting transfer with Globus unreachable... is transient; a bad Globus login is exit 2.
        let task = UUID().uuidString.lowercased()
        _ = try await fixture.run("copypt-add", ["--no-check", "--task", task, "--from", "s3://stg/a/", "--to", "s3://dst/a/"])
        let failed = try await fixture.run(
            "copypt-sweep", ["--once", "--ping-url", ping], ["COPYPT_GLOBUS_CLIENT_ID": nil, "COPYPT_GLOBUS_CLIENT_SECRET": nil])
        #expect(failed.status == 2, "\(failed)")
        let received = receiver.received()
        #expect(received.map(\.path) == ["/ping/0b5a0c3e-XXXXSECRETXXXX/start", "/ping/0b5a0c3e-XXXXSECRETXXXX", "/ping/0b5a0c3e-XXXXSECRETXXXX/start", "/ping/0b5a0c3e-XXXXSECRETXXXX/fail"], "\(received)")
        #expect(received[1].body.hasPrefix("copypt-sweep: exit 0; 0 change(s)"), "\(received[1].body)")
        #expect(received[3].body.hasPrefix("copypt-sweep: exit 2;"), "\(received[3].body)")

        let dead = try await fixture.run("copypt-sweep", ["--once", "--ping-url", "http://127.0.0.1:9/ping/XXXXSECRETXXXX"], ["COPYPT_GLOBUS_CLIENT_ID": nil, "COPYPT_GLOBUS_CLIENT_SECRET": nil])
        #expect(dead.status == 2, "\(dead)")
        let warnings = dead.stderr.split(separator: "\n").filter { $0.contains("ping failed") }
        #expect(warnings.count == 1 && !dead.stderr.contains("XXXXSECRETXXXX"), "\(dead.stderr)")
    }

    @Test("Unusable --notify-url, --ping-url, --notify-command or COPYPT_NOTIFY_URL: one line, exit 2, the secret path withheld")
    func badInput() async throws {
        let fixture = try Fixture()
        for (arguments, env) in [
            (["--notify-url", "ftp://h/SECRET"], [:]), (["--ping-url", "https://u:SECRET@h/x"], [:]),
            (["--notify-command", "'unclosed"], [:]), ([], ["COPYPT_NOTIFY_URL": "hooks.slack.com/SECRET"]),
        ] as [([String], [String: String?])] {
            let result = try await fixture.run("copypt-sweep", ["--once"] + arguments, env)
            #expect(result.status == 2, "\(arguments) \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains("SECRET"), "\(result.stderr)")
        }
        let add = try await fixture.run("copypt-add", ["--no-check", "--task", UUID().uuidString.lowercased(), "--from", "s3://a/b/", "--to", "s3://c/d/", "--notify-url", "ftp://h/SECRET"])
        #expect(add.status == 2 && !add.stderr.contains("SECRET"), "\(add)")
    }

    @Test("A transfer copied to done and one Globus failed: one POST each from the sweep that made them, none after")
    func doneAndFailed() async throws {
        let e2e = try await EndToEndFixture()
        let receiver = try await NotifyReceiver.start()
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "run1/a.txt", [1, 2, 3])
        try await e2e.put("staging", "run1/b.txt", [4, 5])
        let doneTask = try await e2e.task(bucket: "staging", prefix: "run1/", ["a.txt", "b.txt"], status: "SUCCEEDED")
        let failedTask = try await e2e.task(bucket: "staging", prefix: "run2/", ["a"], status: "ACTIVE")
        try await e2e.globus.updateTask(failedTask, status: "FAILED", fatalError: (code: "PERMISSION_DENIED", description: "write denied on the collection"))
        let done = try await e2e.add(task: doneTask, from: "s3://staging/run1/", to: "s3://dest/run1/", ["--label", "run1"])
        let failed = try await e2e.add(task: failedTask, from: "s3://staging/run2/", to: "s3://dest/run2/")
        let url = receiver.baseURL + Self.secretPath

        let sweep = try await e2e.sweep(["--once", "--notify-url", url])
        #expect(sweep.status == 1, "\(sweep)")
        let bodies = receiver.received().compactMap(\.json)
        #expect(bodies.count == 2, "\(receiver.received())")
        let doneBody = try #require(bodies.first { $0["id"] as? String == done })
        #expect(doneBody["text"] as? String == "copypt: \(done) (run1) done: 2 objects, 5 bytes copied and verified", "\(doneBody)")
        #expect(doneBody["objects"] as? Int == 2 && doneBody["bytes"] as? Int == 5 && doneBody["destination"] as? String == "s3://dest/run1/")
        let failedBody = try #require(bodies.first { $0["id"] as? String == failed })
        #expect(failedBody["event"] as? String == "failed" && (failedBody["reason"] as? String)?.contains("write denied") == true, "\(failedBody)")
        #expect(try e2e.store.load(done).notifications == nil && e2e.store.load(failed).notifications == nil)

        let again = try await e2e.sweep(["--once", "--notify-url", url])
        #expect(again.status == 0, "\(again)")
        #expect(receiver.received().count == 2)
    }

    @Test("A waiting task turning PERMISSION_DENIED (faulting) posts one faulting event with the class's reason, not one per sweep")
    func faultingOnce() async throws {
        let e2e = try await EndToEndFixture()
        let receiver = try await NotifyReceiver.start()
        let task = try await e2e.task(bucket: "staging", prefix: "run1/", ["a.txt"], status: "ACTIVE")
        let id = try await e2e.add(task: task, from: "s3://staging/run1/", to: "s3://dest/run1/")
        let url = receiver.baseURL + Self.secretPath
        let first = try await e2e.sweep(["--once", "--notify-url", url])
        #expect(first.status == 0 && receiver.received().isEmpty, "\(first) \(receiver.received())")

        try await e2e.globus.updateTask(task, niceStatus: "PERMISSION_DENIED")
        for _ in 0..<2 {
            let sweep = try await e2e.sweep(["--once", "--notify-url", url])
            #expect(sweep.status == 0, "\(sweep)")
        }
        let bodies = receiver.received().compactMap(\.json)
        #expect(bodies.count == 1, "\(receiver.received())")
        #expect(bodies.first?["event"] as? String == "faulting" && bodies.first?["state"] as? String == "waiting")
        #expect((bodies.first?["reason"] as? String)?.isEmpty == false, "\(bodies)")
        #expect(try e2e.store.load(id).notifications == nil)
    }
}
