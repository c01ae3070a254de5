@testable import CopyPTS3
import Testing

/// The pure decision core of adaptive concurrency, driven by tables of event sequences on a
/// made-up clock.
@Suite struct AIMDControllerTests {
    /// Feeds `count` completions spread evenly over `seconds`, starting at `clock`.
    static func complete(_ controller: inout AIMDController, _ count: Int, over seconds: Double, clock: inout Double) {
        for _ in 0..<count {
            clock += seconds / Double(count)
            controller.record(.completed, now: .microseconds(Int64((clock * 1e6).rounded())))
        }
    }

    /// One round trip at latency `rtt`: `width + 1` completions (the first opens the window).
    static func roundTrip(_ controller: inout AIMDController, rtt: Double, clock: inout Double) {
        complete(&controller, controller.width + 1, over: rtt, clock: &clock)
    }

    @Test("slow start doubles the width each round trip while throughput grows, up to the cap")
    func slowStartDoubles() {
        var controller = AIMDController(settings: .init(start: 32, maximum: 512))
        var clock = 0.0
        var widths: [Int] = []
        for _ in 0..<6 {
            // A server with a fixed 50 ms latency: a round trip of any width takes 50 ms.
            Self.roundTrip(&controller, rtt: 0.05, clock: &clock)
            widths.append(controller.width)
        }
        #expect(widths == [64, 128, 256, 512, 512, 512])
        #expect(controller.peak == 512)
        #expect(controller.cuts == 0)
    }

    @Test("slow start ends once throughput stops growing; then it grows additively only while throughput grows, and holds at a plateau")
    func plateau() {
        var controller = AIMDController(settings: .init(start: 32, maximum: 512, increase: 4))
        var clock = 0.0
        Self.roundTrip(&controller, rtt: 0.05, clock: &clock)   // 32 → 64
        #expect(controller.width == 64)
        // A CPU-bound server: twice the width takes twice as long, no more throughput.
        Self.complete(&controller, 64, over: 0.1, clock: &clock)
        #expect(controller.width == 64)
        #expect(!controller.slowStart)
        // Throughput a little up: one additive step.
        Self.complete(&controller, 64, over: 0.09, clock: &clock)
        #expect(controller.width == 68)
        // The same throughput at the wider width (a rate limit's knee): hold.
        Self.complete(&controller, 68, over: 68.0 / 711.0, clock: &clock)
        #expect(controller.width == 68)
        // Throughput falls: hold.
        Self.complete(&controller, 68, over: 0.5, clock: &clock)
        #expect(controller.width == 68)
    }

    @Test("an overload cuts the width (by half in slow start, by the decrease factor after), once for all requests in flight at the cut",
          arguments: [(start: 64, decrease: 0.5, after: 32), (start: 100, decrease: 0.7, after: 50), (start: 1, decrease: 0.5, after: 1)])
    func cutOnce(start: Int, decrease: Double, after: Int) {
        var controller = AIMDController(settings: .init(start: start, maximum: 512, decrease: decrease))
        controller.record(.overloaded, now: .zero)
        #expect(controller.width == after)
        // The rest of the burst: answers to requests sent before the cut.
        for _ in 0..<(start - 1) { controller.record(.overloaded, now: .zero) }
        #expect(controller.width == after)
        #expect(controller.cuts == 1)
        #expect(!controller.slowStart)
        // A request sent after the cut that is throttled again cuts again.
        controller.record(.overloaded, now: .zero)
        #expect(controller.width == max(1, Int(Double(after) * decrease)))
        #expect(controller.cuts == 2)
    }

    @Test("repeated overloads never take the width below 1; clean round trips then recover it additively")
    func floorAndRecovery() {
        var controller = AIMDController(settings: .init(start: 16, maximum: 64, increase: 2, decrease: 0.5))
        for _ in 0..<200 { controller.record(.overloaded, now: .zero) }
        #expect(controller.width == 1)
        var clock = 0.0
        var widths: [Int] = []
        for _ in 0..<5 {
            Self.roundTrip(&controller, rtt: 0.05, clock: &clock)
            widths.append(controller.width)
        }
        // The first window only measures (the rate before the cut is forgotten), then +2 each.
        #expect(widths == [3, 5, 7, 9, 11])
        #expect(controller.peak == 16)
    }

    @Test("a run of event sequences keeps the width within 1…cap", arguments: [1, 7, 32, 1000])
    func bounds(cap: Int) {
        var controller = AIMDController(settings: .init(start: 32, maximum: cap))
        var clock = 0.0
        for step in 0..<3000 {
            clock += 0.001
            controller.record(step % 97 == 0 ? .overloaded : .completed, now: .milliseconds(Int64(clock * 1000)))
            #expect(controller.width >= 1 && controller.width <= cap)
        }
        #expect(controller.peak <= cap)
    }

    @Test("settings are held to sane values")
    func settings() {
        let settings = AIMDController.Settings(start: 5000, maximum: 0, increase: -3, decrease: 2)
        #expect(settings.maximum == 1 && settings.start == 1 && settings.increase == 1 && settings.decrease <= 0.95)
    }
}
