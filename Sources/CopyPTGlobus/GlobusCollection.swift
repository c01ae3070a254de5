/// What copypt reads of a collection's (or endpoint's) document, `GET /v0.10/endpoint/{id}`
/// (docs.globus.org/api/transfer/endpoints_and_collections; globus-sdk's recorded
/// `get_endpoint`): enough to check, before a submission, that the id names a usable collection
/// and whether it stores into S3.
public struct GlobusCollection: Sendable, Hashable, Decodable {
    /// The S3 connector's id in Globus Connect Server v5 (globus-sdk `ConnectorTable.S3`).
    public static let s3ConnectorID = "7643e831-5f6c-4b47-a07f-8ee90f401d23"

    /// `id`.
    public var id: String
    /// `display_name`, when set.
    public var displayName: String?
    /// `entity_type`, e.g. `GCSv5_mapped_collection`, `GCSv5_guest_collection`, `GCSv5_endpoint`.
    public var entityType: String?
    /// `non_functional`: an endpoint that holds no data itself (a GCSv5 endpoint).
    public var nonFunctional: Bool?
    /// `connector_id`, when the document names the storage connector.
    public var connectorID: String?
    /// `s3_url`: set for S3 endpoints of the older kind.
    public var s3URL: String?
    /// `high_assurance`, when given.
    public var highAssurance: Bool?

    /// A document (for tests).
    public init(
        id: String, displayName: String? = nil, entityType: String? = nil, nonFunctional: Bool? = nil,
        connectorID: String? = nil, s3URL: String? = nil, highAssurance: Bool? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.entityType = entityType
        self.nonFunctional = nonFunctional
        self.connectorID = connectorID
        self.s3URL = s3URL
        self.highAssurance = highAssurance
    }

    enum CodingKeys: String, CodingKey {
        case id
        case displayName = "display_name"
        case entityType = "entity_type"
        case nonFunctional = "non_functional"
        case connectorID = "connector_id"
        case s3URL = "s3_url"
        case highAssurance = "high_assurance"
    }

    /// The display name, else the id, for messages (one line, at most 80 characters).
    public var name: String { GlobusText.oneLine(displayName ?? id, limit: 80) }

    /// `true` when the document is a GCSv5 endpoint (not a collection): files cannot be moved
    /// to or from it.
    public var isEndpointOnly: Bool {
        entityType == "GCSv5_endpoint" || (entityType?.hasPrefix("GCSv5_") == true && nonFunctional == true)
    }

    /// Whether the collection stores into S3: `true` or `false` when the document says
    /// (`connector_id`, `s3_url`), `nil` when it does not.
    public var storesInS3: Bool? {
        if let connectorID { return connectorID.lowercased() == Self.s3ConnectorID }
        if s3URL != nil { return true }
        return nil
    }
}
