/// How the server-side copy is made: the options given to `copypt-add`.
public struct CopyOptions: Sendable, Hashable, Codable {
    /// The canned ACL put on each destination object.
    public enum ACL: String, Sendable, Hashable, Codable, CaseIterable {
        /// `x-amz-acl: bucket-owner-full-control`, so the destination account owns what we write.
        case bucketOwnerFullControl = "bucket-owner-full-control"
        /// No ACL header (buckets with ACLs disabled, "bucket owner enforced").
        case none
    }

    /// S3 storage classes a copy may write to a general purpose bucket
    /// (Amazon S3 API Reference, CopyObject, `x-amz-storage-class`).
    public enum StorageClass: String, Sendable, Hashable, Codable, CaseIterable {
        case standard = "STANDARD"
        case reducedRedundancy = "REDUCED_REDUNDANCY"
        case standardIA = "STANDARD_IA"
        case oneZoneIA = "ONEZONE_IA"
        case intelligentTiering = "INTELLIGENT_TIERING"
        case glacier = "GLACIER"
        case deepArchive = "DEEP_ARCHIVE"
        case glacierIR = "GLACIER_IR"
    }

    /// Server-side encryption of the destination objects (`x-amz-server-side-encryption`).
    public enum Encryption: String, Sendable, Hashable, Codable, CaseIterable {
        /// SSE-S3.
        case aes256 = "AES256"
        /// SSE-KMS, with `sseKMSKeyID` or the account's AWS managed key.
        case awsKMS = "aws:kms"
    }

    /// Which engine copies: copypt itself, or S3 Batch Operations (`--engine`).
    public enum Engine: String, Sendable, Hashable, Codable, CaseIterable {
        /// Batch Operations for a transfer of at least ``CopyOptions/batchThreshold`` objects
        /// when a role is set and the key mapping allows it, else copypt's own copies.
        case auto
        /// copypt's own copies (CopyObject, UploadPartCopy).
        case direct
        /// S3 Batch Operations (`S3PutObjectCopy`), objects over 5 GB by copypt's multipart path.
        case batch
    }

    /// Canned ACL; default `.bucketOwnerFullControl`.
    public var acl: ACL
    /// Storage class; default `nil` (the destination bucket's default, STANDARD).
    public var storageClass: StorageClass?
    /// Server-side encryption; default `nil` (the destination bucket's default encryption).
    public var sse: Encryption?
    /// KMS key id or ARN for `sse == .awsKMS`; default `nil`.
    public var sseKMSKeyID: String?
    /// 12-digit account id expected to own the destination bucket; default `nil` (not checked).
    public var destOwner: String?
    /// 12-digit account id expected to own the staging bucket; default `nil` (not checked).
    public var sourceOwner: String?
    /// Delete the staging objects once their copies are verified; default `false`.
    public var deleteStaging: Bool
    /// AWS profile name to take credentials from; default `nil` (the usual credential chain).
    public var profile: String?
    /// The copy engine; default `.auto`.
    public var engine: Engine = .auto
    /// The IAM role Batch Operations assumes (`--batch-role-arn`); default `nil` (no batch).
    public var batchRoleARN: String? = nil
    /// The least object count `.auto` hands to Batch Operations; default 100,000.
    public var batchThreshold: Int = CopyOptions.defaultBatchThreshold

    /// ``batchThreshold``'s default.
    public static let defaultBatchThreshold = 100_000

    /// Options with every default as documented on each property.
    public init(
        acl: ACL = .bucketOwnerFullControl,
        storageClass: StorageClass? = nil,
        sse: Encryption? = nil,
        sseKMSKeyID: String? = nil,
        destOwner: String? = nil,
        sourceOwner: String? = nil,
        deleteStaging: Bool = false,
        profile: String? = nil
    ) {
        self.acl = acl
        self.storageClass = storageClass
        self.sse = sse
        self.sseKMSKeyID = sseKMSKeyID
        self.destOwner = destOwner
        self.sourceOwner = sourceOwner
        self.deleteStaging = deleteStaging
        self.profile = profile
    }

    enum CodingKeys: String, CodingKey {
        case acl
        case storageClass = "storage_class"
        case sse
        case sseKMSKeyID = "sse_kms_key_id"
        case destOwner = "dest_owner"
        case sourceOwner = "source_owner"
        case deleteStaging = "delete_staging"
        case profile
        case engine
        case batchRoleARN = "batch_role_arn"
        case batchThreshold = "batch_threshold"
    }

    /// Decodes, taking the documented default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            acl: try c.decodeIfPresent(ACL.self, forKey: .acl) ?? .bucketOwnerFullControl,
            storageClass: try c.decodeIfPresent(StorageClass.self, forKey: .storageClass),
            sse: try c.decodeIfPresent(Encryption.self, forKey: .sse),
            sseKMSKeyID: try c.decodeIfPresent(String.self, forKey: .sseKMSKeyID),
            destOwner: try c.decodeIfPresent(String.self, forKey: .destOwner),
            sourceOwner: try c.decodeIfPresent(String.self, forKey: .sourceOwner),
            deleteStaging: try c.decodeIfPresent(Bool.self, forKey: .deleteStaging) ?? false,
            profile: try c.decodeIfPresent(String.self, forKey: .profile)
        )
        engine = try c.decodeIfPresent(Engine.self, forKey: .engine) ?? .auto
        batchRoleARN = try c.decodeIfPresent(String.self, forKey: .batchRoleARN)
        batchThreshold = try c.decodeIfPresent(Int.self, forKey: .batchThreshold) ?? CopyOptions.defaultBatchThreshold
    }

    /// Encodes every key, absent values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(acl, forKey: .acl)
        try c.encode(storageClass, forKey: .storageClass)
        try c.encode(sse, forKey: .sse)
        try c.encode(sseKMSKeyID, forKey: .sseKMSKeyID)
        try c.encode(destOwner, forKey: .destOwner)
        try c.encode(sourceOwner, forKey: .sourceOwner)
        try c.encode(deleteStaging, forKey: .deleteStaging)
        try c.encode(profile, forKey: .profile)
        // Written only when not the default, so records of direct copies read as before.
        if engine != .auto { try c.encode(engine, forKey: .engine) }
        try c.encodeIfPresent(batchRoleARN, forKey: .batchRoleARN)
        if batchThreshold != CopyOptions.defaultBatchThreshold { try c.encode(batchThreshold, forKey: .batchThreshold) }
    }
}
