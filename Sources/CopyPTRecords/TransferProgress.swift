/// How far the copy has got. Totals are `nil` until the sweep has built its copy plan.
public struct TransferProgress: Sendable, Hashable, Codable {
    /// Objects to copy, once known.
    public var objectsTotal: Int?
    /// Objects copied and verified.
    public var objectsDone: Int
    /// Bytes to copy, once known.
    public var bytesTotal: Int64?
    /// Bytes copied and verified.
    public var bytesDone: Int64

    /// Progress counters; all default to "nothing known, nothing done".
    public init(objectsTotal: Int? = nil, objectsDone: Int = 0, bytesTotal: Int64? = nil, bytesDone: Int64 = 0) {
        self.objectsTotal = objectsTotal
        self.objectsDone = objectsDone
        self.bytesTotal = bytesTotal
        self.bytesDone = bytesDone
    }

    /// `true` once a plan exists or anything was copied.
    public var hasStarted: Bool { objectsTotal != nil || objectsDone > 0 || bytesDone > 0 }

    enum CodingKeys: String, CodingKey {
        case objectsTotal = "objects_total"
        case objectsDone = "objects_done"
        case bytesTotal = "bytes_total"
        case bytesDone = "bytes_done"
    }

    /// Decodes, taking 0 / `nil` for absent counters.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            objectsTotal: try c.decodeIfPresent(Int.self, forKey: .objectsTotal),
            objectsDone: try c.decodeIfPresent(Int.self, forKey: .objectsDone) ?? 0,
            bytesTotal: try c.decodeIfPresent(Int64.self, forKey: .bytesTotal),
            bytesDone: try c.decodeIfPresent(Int64.self, forKey: .bytesDone) ?? 0
        )
    }

    /// Encodes every counter, unknown totals as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(objectsTotal, forKey: .objectsTotal)
        try c.encode(objectsDone, forKey: .objectsDone)
        try c.encode(bytesTotal, forKey: .bytesTotal)
        try c.encode(bytesDone, forKey: .bytesDone)
    }
}
