import CopyPTSweep
import Dispatch
import Foundation

/// Ends a sweep that runs past `--max-runtime`, so a sweep stuck on a slow server cannot hold
/// its transfers' locks for days.
///
/// At the limit the sweep's task is cancelled: the copies stop, each transfer records what it
/// has (its journal already holds every verified object), its lock is released, and the run
/// exits 75 so the next one resumes. Should the sweep not have ended `grace` later (stuck where
/// cancellation does not reach), the process exits 75 at once, and the kernel releases its
/// locks. Timers run on a Dispatch queue, not Swift's cooperative pool, which a stuck sweep
/// may be blocking.
struct SweepDeadline: Sendable {
    /// The longest the sweep may run.
    let limit: Duration
    /// How long a cancelled sweep has to wind down before the process exits. Default 30 s.
    var grace: Duration = .seconds(30)
    /// Says on stderr that the limit was reached.
    let announce: @Sendable (String) -> Void
    /// Ends the process (replaced in tests that run commands in-process).
    var exitProcess: @Sendable (Int32) -> Void = { exit($0) }

    /// Runs `sweep`; returns its status, or 75 when the limit cut it short (a permanent failure
    /// or configuration error it met still wins, being already reported and more urgent).
    func run(_ sweep: @escaping @Sendable () async -> SweepExitStatus) async -> SweepExitStatus {
        let work = Task { await sweep() }
        let expired = ExpiredFlag()
        let queue = DispatchQueue(label: "copypt-sweep-deadline")
        let limitText = DurationArgument(limit).description
        let announce = self.announce, exitProcess = self.exitProcess
        let onLimit = DispatchWorkItem {
            expired.set()
            announce("stopping: --max-runtime \(limitText) reached; progress is saved and the next run resumes")
            work.cancel()
        }
        let onGrace = DispatchWorkItem {
            announce("still running \(DurationArgument(grace).description) after --max-runtime \(limitText): exiting now (status 75)")
            exitProcess(SweepExitStatus.transient.rawValue)
        }
        queue.asyncAfter(deadline: .now() + Self.seconds(limit), execute: onLimit)
        queue.asyncAfter(deadline: .now() + Self.seconds(limit + grace), execute: onGrace)
        let status = await work.value
        onLimit.cancel()
        onGrace.cancel()
        guard expired.isSet else { return status }
        return status == .success || status == .transient ? .transient : status
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Set once the deadline passed (from the timer queue, read by the waiting task).
private final class ExpiredFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var expired = false
    func set() { lock.withLock { expired = true } }
    var isSet: Bool { lock.withLock { expired } }
}
