import CopyPTRecords
import CopyPTS3

/// What the sweep needs of S3 for one AWS profile: list the staging prefix, copy a batch with
/// the engine, delete verified staging objects. The seam between the sweep and
/// ``S3ObjectStore`` (the real S3 client and copy engine), so the sweep logic can be tested
/// without S3. Every method throws ``SweepError``.
public protocol ObjectStore: Sendable {
    /// How wide its copies have run (see ``S3Copier``); `nil` when it keeps no such figures.
    var concurrency: CopyConcurrency? { get }

    /// One ListObjectsV2 page under `prefix` of `bucket`: up to `maxKeys` keys, or S3's 1,000
    /// when `nil`.
    func listPage(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int?, expectedOwner: String?) async throws -> StagingPage

    /// Copies and verifies `items` (one batch), resuming the multipart uploads in `resume`
    /// (UploadId by destination key). Reports each step through `onEvent` as it happens,
    /// possibly from several tasks at once; if `onEvent` throws, the batch stops and that error
    /// is rethrown.
    /// - Returns: the objects that failed, with why (an empty array when all were verified).
    func copy(
        _ items: [PlannedCopy],
        options: PlannedCopyOptions,
        resume: [String: String],
        onEvent: @escaping @Sendable (ObjectCopyEvent) async throws -> Void
    ) async throws -> [ObjectCopyFailure]

    /// Deletes `keys` from `bucket` (at most 1,000).
    /// - Returns: the keys that could not be deleted, with S3's reason.
    func delete(bucket: String, keys: [String], expectedOwner: String?) async throws -> [ObjectCopyFailure.KeyFailure]

    /// Multipart uploads in progress under `prefix` of `bucket`, as `(key, uploadID)`.
    func openUploads(bucket: String, prefix: String, expectedOwner: String?) async throws -> [OpenUpload]

    /// Aborts one multipart upload (one that is gone already is not an error).
    func abortUpload(bucket: String, _ upload: OpenUpload, expectedOwner: String?) async throws
}

/// A multipart upload in progress.
public struct OpenUpload: Sendable, Hashable {
    /// The key being uploaded.
    public var key: String
    /// The upload id.
    public var uploadID: String

    /// An upload.
    public init(key: String, uploadID: String) {
        self.key = key
        self.uploadID = uploadID
    }
}

/// Makes the ``ObjectStore`` for an AWS profile (`nil`: the default credential chain).
public typealias ObjectStoreFactory = @Sendable (_ profile: String?) async throws -> any ObjectStore

/// One ListObjectsV2 page of the staging prefix.
public struct StagingPage: Sendable, Hashable {
    /// The objects, in key order.
    public var objects: [StagingObject]
    /// The token for the next page, `nil` on the last.
    public var nextContinuationToken: String?

    /// A page.
    public init(objects: [StagingObject], nextContinuationToken: String?) {
        self.objects = objects
        self.nextContinuationToken = nextContinuationToken
    }
}

/// One staging object as listed.
public struct StagingObject: Sendable, Hashable {
    /// Its key.
    public var key: String
    /// Its size in bytes.
    public var size: Int64
    /// Its ETag, with quotes.
    public var eTag: String

    /// An object.
    public init(key: String, size: Int64, eTag: String) {
        self.key = key
        self.size = size
        self.eTag = eTag
    }
}

/// One object the sweep copies: staging key to destination key, with the listed size and ETag
/// (the copy is conditional on that ETag, so a changed source is detected).
public struct PlannedCopy: Sendable, Hashable {
    /// The staging bucket.
    public var sourceBucket: String
    /// The staging key.
    public var sourceKey: String
    /// The destination bucket.
    public var destinationBucket: String
    /// The destination key.
    public var destinationKey: String
    /// The size in bytes.
    public var size: Int64
    /// The source ETag, with quotes.
    public var eTag: String

    /// A planned copy.
    public init(sourceBucket: String, sourceKey: String, destinationBucket: String, destinationKey: String, size: Int64, eTag: String) {
        self.sourceBucket = sourceBucket
        self.sourceKey = sourceKey
        self.destinationBucket = destinationBucket
        self.destinationKey = destinationKey
        self.size = size
        self.eTag = eTag
    }
}

/// The record's copy options the engine needs (ACL, storage class, encryption, owners).
public struct PlannedCopyOptions: Sendable, Hashable {
    /// `true` to send `x-amz-acl: bucket-owner-full-control`.
    public var bucketOwnerFullControl: Bool
    /// Storage class, `nil` for the bucket's default.
    public var storageClass: String?
    /// `AES256` or `aws:kms`, `nil` for the bucket's default.
    public var serverSideEncryption: String?
    /// KMS key id for `aws:kms`.
    public var kmsKeyID: String?
    /// Expected owner of the destination bucket.
    public var destinationOwner: String?
    /// Expected owner of the staging bucket.
    public var sourceOwner: String?
    /// The transfer's destination: every copy's destination must lie under it, checked right
    /// before each write request; `nil` for no check.
    public var destination: S3Prefix?

    /// Options; every default sends nothing extra.
    public init(
        bucketOwnerFullControl: Bool = false, storageClass: String? = nil, serverSideEncryption: String? = nil,
        kmsKeyID: String? = nil, destinationOwner: String? = nil, sourceOwner: String? = nil, destination: S3Prefix? = nil
    ) {
        self.bucketOwnerFullControl = bucketOwnerFullControl
        self.storageClass = storageClass
        self.serverSideEncryption = serverSideEncryption
        self.kmsKeyID = kmsKeyID
        self.destinationOwner = destinationOwner
        self.sourceOwner = sourceOwner
        self.destination = destination
    }
}

/// A step of a batch copy that the sweep journals.
public enum ObjectCopyEvent: Sendable, Hashable {
    /// A multipart upload was created for `destinationKey`, before its first part is copied.
    case multipartStarted(destinationKey: String, uploadID: String)
    /// The object is copied and verified.
    case verified(destinationKey: String, eTag: String, size: Int64)
}

/// One object of a batch that failed.
public struct ObjectCopyFailure: Sendable, Equatable {
    /// A key DeleteObjects could not delete.
    public struct KeyFailure: Sendable, Hashable {
        /// The key.
        public var key: String
        /// Why, one line.
        public var reason: String

        /// A failure.
        public init(key: String, reason: String) {
            self.key = key
            self.reason = reason
        }
    }

    /// The object.
    public var item: PlannedCopy
    /// Why.
    public var error: SweepError

    /// A failure.
    public init(item: PlannedCopy, error: SweepError) {
        self.item = item
        self.error = error
    }
}

extension ObjectStore {
    /// No figures, by default.
    public var concurrency: CopyConcurrency? { nil }
}
