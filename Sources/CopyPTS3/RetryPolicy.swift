/// Decides whether, and after how long, a failed S3 request is tried again.
///
/// The decision is a pure function of the error and the attempt number, so a table of
/// cases tests it; the client's loop does the sleeping (injected) and checks for
/// cancellation before each attempt.
public protocol RetryPolicy: Sendable {
    /// The delay before the next attempt, or `nil` to give up.
    /// - Parameters:
    ///   - error: why attempt number `attempt` failed.
    ///   - attempt: the 1-based number of the attempt that just failed.
    func delay(for error: S3Error, attempt: Int) -> Duration?
}

// MARK: - Factories

extension RetryPolicy where Self == ExponentialRetryPolicy {
    /// The AWS SDKs' "standard" retry mode: 3 attempts in all, delays of
    /// `rand(0,1) × min(2^(attempt−1) s, 20 s)`, retrying only ``S3Error/isRetryable`` errors.
    public static var `default`: ExponentialRetryPolicy { .standard(maxAttempts: 3) }

    /// The standard mode with `maxAttempts` attempts in all (`AWS_MAX_ATTEMPTS`).
    public static func standard(maxAttempts: Int) -> ExponentialRetryPolicy {
        ExponentialRetryPolicy(base: .seconds(1), maxAttempts: maxAttempts)
    }

    /// Jittered exponential back-off: `rand(0,1) × min(base × 2^(attempt−1), 20 s)`.
    /// - Parameters:
    ///   - base: the scale of the first delay.
    ///   - maxAttempts: attempts in all, the first included (1 means no retry).
    public static func exponential(base: Duration, maxAttempts: Int) -> ExponentialRetryPolicy {
        ExponentialRetryPolicy(base: base, maxAttempts: maxAttempts)
    }
}

extension RetryPolicy where Self == NoRetryPolicy {
    /// Never retries: the first failure is final.
    public static var never: NoRetryPolicy { NoRetryPolicy() }
}

// MARK: - Policies

/// Never retries.
public struct NoRetryPolicy: RetryPolicy {
    /// Creates the policy.
    public init() {}

    public func delay(for error: S3Error, attempt: Int) -> Duration? { nil }
}

/// Jittered, capped exponential back-off over retryable errors (AWS "standard" mode).
public struct ExponentialRetryPolicy: RetryPolicy {
    /// The scale of the first delay; the standard mode uses 1 s.
    public var base: Duration
    /// Attempts in all, the first included; the standard mode's default is 3.
    public var maxAttempts: Int
    /// The longest delay before jitter; the standard mode caps at 20 s.
    public var maxBackoff: Duration
    /// A uniform random number in [0, 1); injected so tests are deterministic.
    public var jitter: @Sendable () -> Double

    /// Creates a policy.
    /// - Parameters:
    ///   - base: the scale of the first delay, default 1 s.
    ///   - maxAttempts: attempts in all, default 3.
    ///   - maxBackoff: the cap on the un-jittered delay, default 20 s.
    ///   - jitter: a source of uniform numbers in [0, 1), default the system generator.
    public init(
        base: Duration = .seconds(1),
        maxAttempts: Int = 3,
        maxBackoff: Duration = .seconds(20),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.base = base
        self.maxAttempts = maxAttempts
        self.maxBackoff = maxBackoff
        self.jitter = jitter
    }

    public func delay(for error: S3Error, attempt: Int) -> Duration? {
        guard attempt < maxAttempts, error.isRetryable else { return nil }
        let exponent = min(max(attempt - 1, 0), 30)
        let scaled = base * (1 << exponent)
        let capped = min(scaled, maxBackoff)
        return capped * jitter()
    }
}
