import Foundation

/// A transfer's run of transient trouble (network, throttling, 5xx, Globus unreachable): when it
/// began and when a sweep last reported it, so cron hears of an outage once it has lasted, not
/// every five minutes. Kept in the record as `transient_trouble`; cleared once a sweep gets on.
public struct TransientTrouble: Sendable, Hashable, Codable {
    /// When the first of the run of transient errors was met (RFC 3339 UTC on disk).
    public var since: Date
    /// When a sweep last reported it, or `nil` while it has stayed quiet.
    public var reportedAt: Date?

    /// Trouble that began at `since`; timestamps are truncated to whole seconds, as on disk.
    public init(since: Date, reportedAt: Date? = nil) {
        self.since = RFC3339.truncated(since)
        self.reportedAt = reportedAt.map(RFC3339.truncated)
    }

    enum CodingKeys: String, CodingKey {
        case since
        case reportedAt = "reported_at"
    }
}
