import Foundation

/// One notification event not yet delivered everywhere, kept in the record's `notifications`.
public struct PendingNotification: Sendable, Hashable, Codable {
    /// The idempotency key sent with every attempt (`<id>:<event>:<time>`): a receiver that sees
    /// it twice (a kill between the send and the record write) may drop the second.
    public var key: String
    /// `done`, `failed`, `cancelled`, `stalled`, `faulting`, `inactive` or `deadline_near`.
    public var event: String
    /// Why, one line (the record's last error, the Globus class's reason), if any.
    public var reason: String?
    /// When the event happened (RFC 3339 UTC on disk).
    public var at: Date
    /// Delivery attempts so far (a sweep that tries counts one).
    public var attempts: Int
    /// The channels that acknowledged it (`command`, `url`): never sent to again.
    public var delivered: [String]
    /// The last delivery error, one line, URLs redacted.
    public var lastError: String?

    /// A new event, not yet tried.
    public init(key: String, event: String, reason: String? = nil, at: Date, attempts: Int = 0,
                delivered: [String] = [], lastError: String? = nil) {
        self.key = key
        self.event = event
        self.reason = reason
        self.at = RFC3339.truncated(at)
        self.attempts = attempts
        self.delivered = delivered
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case key, event, reason, at, attempts, delivered
        case lastError = "last_error"
    }

    /// Reads an event; `attempts` and `delivered` default to none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        event = try c.decode(String.self, forKey: .event)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        at = try c.decode(Date.self, forKey: .at)
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
        delivered = try c.decodeIfPresent([String].self, forKey: .delivered) ?? []
        lastError = try c.decodeIfPresent(String.self, forKey: .lastError)
    }
}
