/// What every copy of a run carries: ACL, storage class, encryption and the accounts that
/// must own the buckets. The same for CopyObject and multipart copies.
public struct CopyOptions: Sendable, Hashable, Codable {
    /// A canned ACL for the destination object.
    public enum CannedACL: String, Sendable, Hashable, Codable, CaseIterable {
        /// The destination bucket's owner gets full control (`bucket-owner-full-control`).
        case bucketOwnerFullControl = "bucket-owner-full-control"
    }

    /// Server-side encryption of the destination object.
    public enum ServerSideEncryption: Sendable, Hashable, Codable {
        /// SSE-S3 (`AES256`).
        case aes256
        /// SSE-KMS (`aws:kms`), with a key id or ARN, or the account's default key when `nil`.
        case kms(keyID: String?)
    }

    /// The canned ACL, or `nil` to send none (the default; S3 Object Ownership "bucket owner
    /// enforced" rejects ACLs other than bucket-owner-full-control).
    public var acl: CannedACL?
    /// The destination storage class (`STANDARD`, `INTELLIGENT_TIERING`, …), or `nil` for S3's default.
    public var storageClass: String?
    /// Server-side encryption, or `nil` for the destination bucket's default.
    public var serverSideEncryption: ServerSideEncryption?
    /// The account id that must own the destination bucket (`x-amz-expected-bucket-owner`), default none.
    public var destinationOwner: String?
    /// The account id that must own the source bucket (`x-amz-source-expected-bucket-owner`), default none.
    public var sourceOwner: String?
    /// For a prefix copy, the bucket and key prefix every destination must lie under: checked
    /// (bucket, then key bytes, see ``S3KeyMapping/lies(_:under:)``) right before each
    /// CopyObject, CreateMultipartUpload, UploadPartCopy and CompleteMultipartUpload. Default
    /// `nil`, no check (one named object).
    public var destinationPrefix: S3Location?

    /// Creates options; every default sends nothing extra.
    public init(
        acl: CannedACL? = nil,
        storageClass: String? = nil,
        serverSideEncryption: ServerSideEncryption? = nil,
        destinationOwner: String? = nil,
        sourceOwner: String? = nil,
        destinationPrefix: S3Location? = nil
    ) {
        self.acl = acl
        self.storageClass = storageClass
        self.serverSideEncryption = serverSideEncryption
        self.destinationOwner = destinationOwner
        self.sourceOwner = sourceOwner
        self.destinationPrefix = destinationPrefix
    }

    /// Throws unless `destination` lies under ``destinationPrefix`` (when there is one).
    /// - Parameter operation: the request about to be sent, for the message.
    /// - Throws: ``S3Error/invalidRequest(_:)``, so the object fails and nothing is written.
    func checkContained(_ destination: S3Location, before operation: String) throws(S3Error) {
        guard let prefix = destinationPrefix else { return }
        guard destination.bucket == prefix.bucket, S3KeyMapping.lies(destination.key, under: prefix.key) else {
            throw .invalidRequest(
                "\(operation) for \(destination) would write outside the destination \(prefix) "
                    + "(a `.` or `..` segment, or another prefix); the object was not copied")
        }
    }

    // MARK: - Headers

    /// The headers that set ACL, storage class and encryption on a new object
    /// (CopyObject and CreateMultipartUpload).
    var objectHeaders: [(String, String)] {
        var headers: [(String, String)] = []
        if let acl { headers.append(("x-amz-acl", acl.rawValue)) }
        if let storageClass { headers.append(("x-amz-storage-class", storageClass)) }
        switch serverSideEncryption {
        case .aes256:
            headers.append(("x-amz-server-side-encryption", "AES256"))
        case .kms(let keyID):
            headers.append(("x-amz-server-side-encryption", "aws:kms"))
            if let keyID { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID)) }
        case nil:
            break
        }
        return headers
    }

    /// `true` when the destination's ETag cannot equal the source's (SSE-KMS).
    var changesETag: Bool {
        if case .kms = serverSideEncryption { return true }
        return false
    }
}
