@testable import CopyPTSweep
import CopyPTRecords
import Foundation
import Testing

@Suite struct SweeperRepeatTests {
    @Test("without --once the sweep repeats every interval until nothing is waiting or copying")
    func repeatsUntilIdle() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        f.stage(task: "t1", ["a"])
        f.tasks.set("t1", .active)
        let sleeps = Counter()
        let tasks = f.tasks
        let sweeper = f.sweeper {
            $0.sleep = { _ in
                // The task finishes while the sweep sleeps.
                if sleeps.increment() == 2 { tasks.set("t1", .succeeded) }
            }
        }
        let status = await sweeper.repeatUntilIdle(interval: .seconds(60), onEvent: { _ in }, onReport: { _ in })
        #expect(status == .success)
        #expect(sleeps.value == 2)
        #expect(try f.record("20270115-000001").state == .done)
    }

    @Test("a permanent failure in an earlier sweep is the run's status even when the last was clean")
    func keepsWorstStatus() async throws {
        let f = try SweepFixture()
        try f.add("20270115-000001", task: "t1")
        try f.add("20270115-000002", task: "t2")
        f.tasks.set("t2", .active)
        let tasks = f.tasks
        let sweeper = f.sweeper { $0.sleep = { _ in tasks.set("t2", .failed, fatalError: "X: y") } }
        let status = await sweeper.repeatUntilIdle(interval: .seconds(1), onEvent: { _ in }, onReport: { _ in })
        #expect(status == .permanentFailure)
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    @discardableResult func increment() -> Int { lock.withLock { count += 1; return count } }
    var value: Int { lock.withLock { count } }
}
