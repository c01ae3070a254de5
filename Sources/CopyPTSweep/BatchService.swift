import CopyPTBatch

/// What the sweep needs for S3 Batch Operations beyond ``ObjectStore``: write the manifest
/// (one PutObject, or a multipart upload part by part), read the completion report, and the
/// S3 Control job calls. The seam between the sweep and ``S3BatchService``, so the batch logic
/// can be tested without S3. Every method throws ``SweepError``.
public protocol BatchService: Sendable {
    /// PutObject of `body`; returns the ETag.
    func putObject(bucket: String, key: String, body: [UInt8], expectedOwner: String?) async throws -> String
    /// CreateMultipartUpload; returns the UploadId.
    func createUpload(bucket: String, key: String, expectedOwner: String?) async throws -> String
    /// UploadPart; returns the part's ETag.
    func uploadPart(bucket: String, key: String, uploadID: String, partNumber: Int, body: [UInt8], expectedOwner: String?) async throws -> String
    /// CompleteMultipartUpload of `parts` (number, ETag); returns the object's ETag.
    func completeUpload(bucket: String, key: String, uploadID: String, parts: [(Int, String)], expectedOwner: String?) async throws -> String
    /// GetObject of a small object, refused past `maxBytes`.
    func getObject(bucket: String, key: String, maxBytes: Int, expectedOwner: String?) async throws -> [UInt8]
    /// CreateJob; the same token answers the same job id.
    func createJob(_ spec: BatchJobSpec) async throws -> String
    /// DescribeJob.
    func describeJob(accountID: String, jobID: String) async throws -> BatchJobStatus
}

/// Makes the ``BatchService`` for an AWS profile (`nil`: the default credential chain).
public typealias BatchServiceFactory = @Sendable (_ profile: String?) async throws -> any BatchService
