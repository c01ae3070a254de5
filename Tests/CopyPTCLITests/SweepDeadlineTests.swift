import CopyPTSweep
import CopyPTTestSupport
import Foundation
import Synchronization
import Testing

@testable import CopyPTCLI

/// `copypt-sweep --max-runtime`: the deadline around a sweep, and its settings.
@Suite struct SweepDeadlineTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test("a sweep that ends in time keeps its own status")
    func inTime() async {
        let said = Lines()
        let deadline = SweepDeadline(limit: .seconds(600), announce: said.append, exitProcess: { _ in Issue.record("exited") })
        #expect(await deadline.run { .permanentFailure } == .permanentFailure)
        #expect(said.all.isEmpty)
    }

    @Test("at the limit the sweep is cancelled and the status is 75 (1 and 2 still win)")
    func cancelledAtLimit() async {
        let said = Lines()
        // A long grace: a loaded test machine may take a while to run the cancelled task again.
        let deadline = SweepDeadline(limit: .milliseconds(200), grace: .seconds(600), announce: said.append, exitProcess: { _ in Issue.record("exited") })
        let status = await deadline.run {
            do {
                try await Task.sleep(for: .seconds(60))
                return .success
            } catch {
                return Task.isCancelled ? .success : .configuration
            }
        }
        #expect(status == .transient)
        #expect(said.all == ["stopping: --max-runtime 200ms reached; progress is saved and the next run resumes"])
        let failed = await SweepDeadline(limit: .milliseconds(100), grace: .seconds(600), announce: { _ in }).run {
            try? await Task.sleep(for: .seconds(60))
            return .permanentFailure
        }
        #expect(failed == .permanentFailure)
    }

    @Test("a sweep that ignores cancellation is ended by exiting 75 once the grace period passes")
    func hardExit() async {
        let exits = Mutex<[Int32]>([])
        let said = Lines()
        var deadline = SweepDeadline(limit: .milliseconds(100), announce: said.append, exitProcess: { status in exits.withLock { $0.append(status) } })
        deadline.grace = .milliseconds(200)
        _ = await deadline.run {
            // Ignores cancellation, as a sweep stuck in a system call would (on a thread of its
            // own, to leave the test's threads alone).
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                Thread { usleep(1_500_000); continuation.resume() }.start()
            }
            return .success
        }
        #expect(exits.withLock { $0 } == [75])
        #expect(said.all.last?.contains("exiting now (status 75)") == true)
    }

    @Test("--max-runtime must be positive; COPYPT_HTTP_TIMEOUT must be a duration")
    func settings() async throws {
        let zero = await CLI.run(["sweep", "--once", "--max-runtime", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--max-runtime must be longer than 0"))
        #expect(try CopyPTCommand.Sweep.parse(["--once"]).runtimeLimit == .seconds(4 * 3600))
        #expect(try CopyPTCommand.Sweep.parse([]).runtimeLimit == nil)
        #expect(try CopyPTCommand.Sweep.parse(["--max-runtime", "2d"]).runtimeLimit == .seconds(2 * 86400))
        #expect(try HTTPTimeoutSetting.limit(["COPYPT_HTTP_TIMEOUT": "90"]) == .seconds(90))
        #expect(try HTTPTimeoutSetting.limit(["COPYPT_HTTP_TIMEOUT": "5m"]) == .seconds(300))
        #expect(try HTTPTimeoutSetting.limit([:]) == nil)
        #expect(throws: HTTPTimeoutSettingError(value: "0")) { try HTTPTimeoutSetting.limit(["COPYPT_HTTP_TIMEOUT": "0"]) }
        try await TemporaryDirectory.with { root in
            let bad = await CLI.run(["sweep", "--once", "--state-dir", root.path], environment: ["COPYPT_HTTP_TIMEOUT": "-1"])
            #expect(bad.status == 2 && bad.stderr.contains("COPYPT_HTTP_TIMEOUT=-1 is not a duration"), "\(bad)")
        }
    }
}
