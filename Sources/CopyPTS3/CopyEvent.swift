/// What happened to one object during ``S3Copier/copy(_:options:resume:onEvent:)``,
/// reported as it happens so a caller can journal it.
public enum CopyEvent: Sendable, Equatable {
    /// A multipart copy was created. Sent before its first part is copied: keep the upload
    /// id to resume the copy after a crash (pass it in `resume`).
    case multipartStarted(CopyItem, uploadID: String, plan: PartPlan)
    /// One part of a multipart copy is in place (`bytes` of it). Progress only.
    case partCopied(CopyItem, partNumber: Int, partCount: Int, bytes: Int64)
    /// The destination object exists; `eTag` is the new object's.
    case copied(CopyItem, eTag: String)
    /// The destination was checked against the source: the object is done.
    case verified(CopyItem, CopyVerification)
    /// The object could not be copied. ``S3Error/isRetryable`` tells a transient failure
    /// (try again later; a multipart upload is kept for resuming) from a permanent one
    /// (a multipart upload was aborted).
    case failed(CopyItem, S3Error)
}

/// How a copy was verified.
public enum CopyVerification: String, Sendable, Hashable, Codable {
    /// The CopyObject result's ETag equals the source ETag (single-part copy, no extra request).
    case eTagMatch
    /// HeadObject on the destination showed the source size (multipart, or ETags that
    /// legitimately differ: SSE-KMS, a source uploaded in parts).
    case sizeMatch
}
