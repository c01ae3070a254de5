import CopyPTCLI
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct SweepCommandTests {
    @Test("sweep --once on a missing or empty state dir prints nothing, exits 0, creates nothing")
    func emptyStateDir() async throws {
        try await TemporaryDirectory.with { root in
            let missing = root.appendingPathComponent("missing")
            for state in [missing, root] {
                for command in [["sweep", "--once"], ["sweep"]] {
                    let result = await CLI.run(command + ["--state-dir", state.path])
                    #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
                }
                let standalone = await CLI.run(CopyPTSweepCommand.self, ["--once"], environment: ["COPYPT_STATE_DIR": state.path])
                #expect(standalone.status == 0 && standalone.stdout.isEmpty && standalone.stderr.isEmpty)
            }
            #expect(!FileManager.default.fileExists(atPath: missing.path))
        }
    }

    @Test("the built copypt-sweep on a missing state dir (found via XDG_STATE_HOME) prints nothing and exits 0")
    func executableEmpty() async throws {
        try await TemporaryDirectory.with { root in
            let result = try await ChildProcess.run(try CLI.executable("copypt-sweep"), ["--once"],
                                                    environment: ["COPYPT_STATE_DIR": nil, "XDG_STATE_HOME": root.path])
            #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        }
    }

    @Test("sweep leaves states unchanged, skips a record locked elsewhere without waiting, reports a corrupt one")
    func sweepsRecords() async throws {
        try await TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            let free = try await CLI.add(state: root)
            let held = try await CLI.add(state: root, task: "7c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
            let bad = store.transfersDirectory.appendingPathComponent("20261125-badbad.json")
            try Data(#"{"version": 7}"#.utf8).write(to: bad)
            // The real sweep locks only what it works on: a copying record (busy here), not a
            // waiting one (which needs Globus) nor a cancelled one.
            _ = try store.withLock(free) { try $0.cancel(at: Date()) }
            _ = try store.withLock(held) { $0.state = .copying }
            let before = try store.loadAll().records

            let ready = root.appendingPathComponent("locked").path
            let holder = try ChildProcess("python3", ["-c", LockHolder.script, store.lockURL(for: held).path, ready])
            try #require(await ChildProcess.waitUntil { FileManager.default.fileExists(atPath: ready) })
            let started = Date()
            let result = await CLI.run(["sweep", "--once", "--verbose", "--state-dir", root.path])
            let elapsed = Date().timeIntervalSince(started)
            _ = await holder.finish()

            #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")  // 1: a corrupt record
            // The holder releases the lock only after this sweep returns, so a sweep that waited for the
            // lock would never return at all (the test would hang, not merely run slow). The bound only
            // has to be finite and far above a normal run (well under a second) plus the scheduling delay
            // of a loaded 2-core parallel run, now that no test helper blocks the cooperative pool.
            #expect(elapsed < 60, "the sweep took \(elapsed) s")
            #expect(result.stderr.contains("20261125-badbad.json") && result.stderr.contains("version 7"))
            #expect(result.stderr.contains("skipped") && result.stderr.contains(held))
            #expect(!result.stderr.contains("skipped: another copypt process holds it (id=\(free))"))
            #expect(try store.loadAll().records == before)
            #expect(try String(contentsOf: bad, encoding: .utf8) == #"{"version": 7}"#)

            _ = try store.withLock(held) { try $0.cancel(at: Date()) }  // else it would be copied now
            let quiet = await CLI.run(["sweep", "--once", "--state-dir", root.path])
            #expect(quiet.status == 1 && quiet.stdout.isEmpty && quiet.isOneLineError, "\(quiet)")
        }
    }

    @Test("sweep accepts the flags the sweep issue needs", arguments: [
        ["--once", "--dry-run"], ["--interval", "90"], ["--interval", "1h30m"], ["--give-up-after", "7d"],
        ["--metrics-file", "/tmp/copypt.prom"], ["--concurrency", "4"], ["--once", "--json", "--quiet"],
        ["--multipart-threshold", "64MiB"], ["--multipart-threshold", "1048576"], ["--multipart-threshold", "5GiB"],
    ])
    func flags(arguments: [String]) async throws {
        try await TemporaryDirectory.with { root in
            let result = await CLI.run(["sweep"] + arguments + ["--state-dir", root.path])
            #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
        }
    }

    @Test("bad sweep flags exit 2 with one line", arguments: [
        ["--interval", "0"], ["--interval", "soon"], ["--interval", "5x"], ["--give-up-after", "0s"],
        ["--concurrency", "0"], ["--concurrency", "many"], ["--metrics-file", "/tmp/"], ["--onse"],
        ["--multipart-threshold", "6GiB"], ["--multipart-threshold", "lots"], ["--multipart-threshold", "0"],
    ])
    func badFlags(arguments: [String]) async throws {
        try await TemporaryDirectory.with { root in
            let result = await CLI.run(CopyPTSweepCommand.self, arguments + ["--state-dir", root.path])
            #expect(result.status == 2 && result.isOneLineError && result.stderr.hasPrefix("copypt-sweep: "), "\(result)")
        }
    }

    @Test("durations parse as seconds, units and sums", arguments: [
        ("60", Duration.seconds(60)), ("90s", .seconds(90)), ("15m", .seconds(900)), ("2h", .seconds(7200)),
        ("7d", .seconds(604_800)), ("1h30m", .seconds(5400)), ("500ms", .milliseconds(500)),
    ])
    func durations(text: String, duration: Duration) throws {
        let parsed = try #require(DurationArgument(argument: text))
        #expect(parsed.duration == duration)
        #expect(DurationArgument(argument: parsed.description)?.duration == duration)
    }
}
