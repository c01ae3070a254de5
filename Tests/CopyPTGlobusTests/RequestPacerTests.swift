@testable import CopyPTGlobus
import Foundation
import Testing

@Suite struct RequestPacerTests {
    /// A monotonic clock that only moves when the pacer sleeps.
    final class FakeMonotonic: @unchecked Sendable {
        private let lock = NSLock()
        private let start = ContinuousClock.now
        private var offset = Duration.zero
        private var slept: [Duration] = []
        var now: ContinuousClock.Instant { lock.withLock { start.advanced(by: offset) } }
        var sleeps: [Duration] { lock.withLock { slept } }
        func sleep(_ d: Duration) { lock.withLock { offset += d; slept.append(d) } }
        func advance(_ d: Duration) { lock.withLock { offset += d } }
    }

    @Test("20 requests go at once; the 21st waits until the first leaves the one-second window")
    func window() async throws {
        let clock = FakeMonotonic()
        let pacer = RequestPacer(limit: 20, now: { clock.now }, sleep: { clock.sleep($0) })
        for _ in 0..<20 { try await pacer.acquire() }
        #expect(clock.sleeps.isEmpty)
        clock.advance(.milliseconds(400))
        try await pacer.acquire()
        #expect(clock.sleeps == [.milliseconds(600)])
    }

    @Test("over many requests no one-second window holds more than the limit")
    func neverMoreThanLimit() async throws {
        let clock = FakeMonotonic()
        let pacer = RequestPacer(limit: 5, now: { clock.now }, sleep: { clock.sleep($0) })
        var times: [ContinuousClock.Instant] = []
        for _ in 0..<23 {
            try await pacer.acquire()
            times.append(clock.now)
            clock.advance(.milliseconds(10))
        }
        for (i, t) in times.enumerated() {
            let inWindow = times[i...].filter { t.duration(to: $0) < .seconds(1) }.count
            #expect(inWindow <= 5)
        }
    }
}
