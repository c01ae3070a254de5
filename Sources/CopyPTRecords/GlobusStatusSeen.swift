import Foundation

/// The Globus task status the sweep saw last.
public struct GlobusStatusSeen: Sendable, Hashable, Codable {
    /// Globus `status`: ACTIVE, INACTIVE, SUCCEEDED or FAILED.
    public var status: String
    /// Globus `nice_status` (e.g. `OK`, `Queued`, `PERMISSION_DENIED`), when given.
    public var niceStatus: String?
    /// When it was seen (RFC 3339 UTC on disk).
    public var at: Date

    /// A status observation.
    public init(status: String, niceStatus: String? = nil, at: Date) {
        self.status = status
        self.niceStatus = niceStatus
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case status
        case niceStatus = "nice_status"
        case at
    }
}
