/// The decision core of adaptive concurrency: how many requests may be in flight, from what
/// the requests so far have met. Additive increase, multiplicative decrease (AIMD), as S3's
/// performance guidance and the AWS SDKs' "adaptive" retry mode describe.
///
/// - It starts at ``Settings/start`` and, until the first overload, doubles the width after
///   each window (a window is `width` finished requests, about one round trip) whose
///   throughput grew by at least ``Settings/slowStartGain`` over the previous one ("slow
///   start"); the first window that does not grow ends the doubling.
/// - After that it adds ``Settings/increase`` per window whose throughput grew by at least half
///   what one step could add (`increase / 2·width`), and holds otherwise.
/// - An overload (SlowDown, 503, 429, a refused or dropped connection) multiplies the width by
///   ``Settings/decrease`` (by ½ during slow start: back to the last width that met none); the overloads of requests already in flight at that cut (the next
///   `width-before-the-cut` answers) do not cut again.
/// - The width stays within 1…``Settings/maximum``.
///
/// A pure value: the clock is read only when a window closes, through the `now` argument,
/// so tables of event sequences test it without waiting.
public struct AIMDController: Sendable, Equatable {
    /// The controller's constants.
    public struct Settings: Sendable, Hashable {
        /// The first width. Default 32: twice the old fixed default, well under S3's
        /// 3,500 requests/s per prefix at tens of milliseconds a request.
        public var start: Int
        /// The cap (`--max-concurrency`). Default 512.
        public var maximum: Int
        /// Added per clean window once slow start is over. Default 4.
        public var increase: Int
        /// The factor a cut multiplies the width by. Default 0.7, the AWS SDKs' CUBIC β.
        public var decrease: Double
        /// How much a window's throughput must exceed the previous one's for slow start to
        /// double again. Default 1.25.
        public var slowStartGain: Double

        /// Creates settings; every default is documented on its property. `start` is held
        /// within 1…`maximum`.
        public init(start: Int = 32, maximum: Int = 512, increase: Int = 4, decrease: Double = 0.7, slowStartGain: Double = 1.25) {
            self.maximum = max(maximum, 1)
            self.start = min(max(start, 1), self.maximum)
            self.increase = max(increase, 1)
            self.decrease = min(max(decrease, 0.1), 0.95)
            self.slowStartGain = max(slowStartGain, 1)
        }
    }

    /// What one finished request tells the controller.
    public enum Signal: Sendable, Hashable {
        /// An answer that says nothing about load (success, or an error such as 404).
        case completed
        /// SlowDown, 503, 429 or a connection refused or dropped: too much is in flight.
        case overloaded
    }

    /// The constants.
    public let settings: Settings
    /// Requests that may be in flight now.
    public private(set) var width: Int
    /// The largest width so far.
    public private(set) var peak: Int
    /// How many times an overload cut the width.
    public private(set) var cuts = 0
    /// `true` until the first overload or the first window whose throughput did not grow.
    public private(set) var slowStart = true

    private var windowCount = 0
    private var windowStart: Duration?
    private var lastRate: Double?
    /// Answers still to come from requests in flight at the last cut.
    private var unaffected = 0

    /// A controller at `settings.start`.
    public init(settings: Settings = .init()) {
        self.settings = settings
        width = settings.start
        peak = settings.start
    }

    /// Takes in one finished request; returns `true` when ``width`` changed.
    /// - Parameters:
    ///   - signal: what the request met.
    ///   - now: a monotonic time, read only when a window opens or closes.
    @discardableResult
    public mutating func record(_ signal: Signal, now: @autoclosure () -> Duration) -> Bool {
        if unaffected > 0 { unaffected -= 1 }
        switch signal {
        case .overloaded:
            guard unaffected == 0 else { return false }
            let before = width
            // In slow start the width just doubled from one that met no overload: go back to
            // that (half), rather than to 70 % of an overshoot (fewer SlowDowns at the knee).
            let factor = slowStart ? min(settings.decrease, 0.5) : settings.decrease
            width = max(1, Int((Double(width) * factor).rounded(.down)))
            cuts += 1
            slowStart = false
            unaffected = before
            windowStart = nil
            windowCount = 0
            lastRate = nil
            return width != before
        case .completed:
            guard let start = windowStart else {
                windowStart = now()
                windowCount = 0
                return false
            }
            windowCount += 1
            guard windowCount >= width else { return false }
            let end = now()
            let seconds = Self.seconds(end - start)
            let rate = seconds > 0 ? Double(windowCount) / seconds : .infinity
            let before = width
            if slowStart {
                if lastRate.map({ rate >= $0 * settings.slowStartGain }) ?? true {
                    width = min(settings.maximum, width * 2)
                } else {
                    slowStart = false
                }
            } else if lastRate.map({ rate >= $0 * (1 + Double(settings.increase) / Double(2 * width)) }) ?? true {
                // Throughput still grows with the width (by at least half what the last step
                // could add): another step. At the knee (a rate limit, a busy server) it holds,
                // rather than stepping into SlowDown round after round.
                width = min(settings.maximum, width + settings.increase)
            }
            peak = max(peak, width)
            lastRate = rate
            windowStart = end
            windowCount = 0
            return width != before
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
