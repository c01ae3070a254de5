import CopyPTSweep
import Foundation

/// Ends a sweep that runs past `--max-runtime`, so a sweep stuck on a slow server cannot hold
/// its transfers' locks for days.
///
/// At the limit the sweep's task is cancelled: the copies stop, each transfer records what it
/// has (its journal already holds every verified object), its lock is released, and the run
/// exits 75 so the next one resumes. Should the sweep not have ended `grace` later (stuck where
/// cancellation does not reach), the process exits 75 at once, and the kernel releases its
/// locks. The clock is a thread of its own, not a task or a Dispatch timer: a stuck sweep may be
/// blocking the threads those run on.
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
        let watch = Watch()
        let limitText = DurationArgument(limit).description
        let graceText = DurationArgument(grace).description
        let (limit, grace, announce, exitProcess) = (self.limit, self.grace, self.announce, self.exitProcess)
        let thread = Thread {
            guard watch.wait(for: limit) else { return }
            announce("stopping: --max-runtime \(limitText) reached; progress is saved and the next run resumes")
            work.cancel()
            guard watch.wait(for: grace) else { return }
            announce("still running \(graceText) after --max-runtime \(limitText): exiting now (status 75)")
            exitProcess(SweepExitStatus.transient.rawValue)
        }
        thread.name = "copypt-sweep-deadline"
        thread.start()
        let status = await work.value
        let expired = watch.finish()
        guard expired else { return status }
        return status == .success || status == .transient ? .transient : status
    }
}

/// The deadline thread's clock: it waits on a condition, so the sweep's end wakes it at once.
private final class Watch: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished = false
    private var expired = false

    /// Waits `duration` or until ``finish()``; `true` when the time ran out first (and notes it).
    func wait(for duration: Duration) -> Bool {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let until = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !finished && Date() < until { _ = condition.wait(until: until) }
        if finished { return false }
        expired = true
        return true
    }

    /// Ends the watch; returns whether the limit had passed.
    func finish() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        condition.broadcast()
        return expired
    }
}
