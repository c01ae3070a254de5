import Foundation

/// When to retry a Globus request that got 429, 500, 502, 503, 504 or no response (globus-sdk
/// retries the same statuses, `transport/retry_config.py`).
///
/// Exponential back-off (`baseDelay` × 2^(n−1)), capped at `maxDelay`; a `Retry-After`
/// header wins over the computed delay (also capped). A pure value, so tests check the
/// schedule without sleeping.
public struct GlobusRetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included. Default 5.
    public var maxAttempts: Int
    /// The wait after the first failure. Default 0.5 s.
    public var baseDelay: Duration
    /// The longest single wait. Default 60 s.
    public var maxDelay: Duration

    /// Creates a policy; defaults as documented on each property.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The policy a configuration describes.
    public init(_ configuration: GlobusConfiguration) {
        self.init(maxAttempts: configuration.maxAttempts, baseDelay: configuration.retryBaseDelay,
                  maxDelay: configuration.maxRetryDelay)
    }

    /// Never retries.
    public static let never = GlobusRetryPolicy(maxAttempts: 1)

    /// The wait before the next attempt after failed attempt number `attempt` (1-based), or
    /// `nil` when no attempt is left.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter { return min(max(retryAfter, .zero), maxDelay) }
        let factor = 1 << min(attempt - 1, 20)
        return min(baseDelay * factor, maxDelay)
    }

    /// A `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, read against `now`.
    public static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64(seconds * 1000))
    }
}
