import Dispatch
import Foundation

/// Ctrl-C for long-running commands: the first SIGINT cancels the work, which then says what
/// it had done and exits 130; a second one exits at once.
enum Interruption {
    /// Runs `body` in a task that the first SIGINT cancels, and returns its result.
    static func cancellingOnSIGINT<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await body() }
        let signals = Counter()
        let previous = signal(SIGINT, SIG_IGN)
        // A process started with SIGINT ignored (a shell's background job) keeps ignoring it.
        if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
            return await task.value
        }
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            signals.add()
            if signals.value > 1 { exit(130) }
            task.cancel()
        }
        source.resume()
        let value = await task.value
        source.cancel()
        signal(SIGINT, previous)
        return value
    }
}
