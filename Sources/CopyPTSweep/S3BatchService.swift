import CopyPTBatch
import CopyPTS3

/// The real ``BatchService``: the manifest and report through ``S3Client``, jobs through
/// ``S3ControlClient``, with their errors turned into ``SweepError``s that say what to fix.
public struct S3BatchService: BatchService {
    /// The S3 client (the staging account's credentials).
    public let client: S3Client
    /// The S3 Control client (same credentials).
    public let control: S3ControlClient

    /// A service over `client` and `control`.
    public init(client: S3Client, control: S3ControlClient) {
        self.client = client
        self.control = control
    }

    public func putObject(bucket: String, key: String, body: [UInt8], expectedOwner: String?) async throws -> String {
        try await mapped(bucket, key) {
            try await client.putObject(S3Location(bucket: bucket, key: key), body: body, contentType: "text/csv", expectedOwner: expectedOwner)
        }
    }

    public func createUpload(bucket: String, key: String, expectedOwner: String?) async throws -> String {
        try await mapped(bucket, key) {
            try await client.createUpload(S3Location(bucket: bucket, key: key), contentType: "text/csv", expectedOwner: expectedOwner)
        }
    }

    public func uploadPart(bucket: String, key: String, uploadID: String, partNumber: Int, body: [UInt8], expectedOwner: String?) async throws -> String {
        try await mapped(bucket, key) {
            try await client.uploadPart(
                S3Location(bucket: bucket, key: key), uploadID: uploadID, partNumber: partNumber, body: body, expectedOwner: expectedOwner
            ).eTag
        }
    }

    public func completeUpload(bucket: String, key: String, uploadID: String, parts: [(Int, String)], expectedOwner: String?) async throws -> String {
        try await mapped(bucket, key) {
            try await client.completeMultipartUpload(
                S3Location(bucket: bucket, key: key), uploadID: uploadID,
                parts: parts.map { S3Part(partNumber: $0.0, eTag: $0.1, size: 0) }, expectedOwner: expectedOwner
            ).eTag
        }
    }

    public func getObject(bucket: String, key: String, maxBytes: Int, expectedOwner: String?) async throws -> [UInt8] {
        try await mapped(bucket, key) {
            try await client.getObject(S3Location(bucket: bucket, key: key), maxBytes: maxBytes, expectedOwner: expectedOwner)
        }
    }

    public func createJob(_ spec: BatchJobSpec) async throws -> String {
        try await controlMapped { try await control.createJob(spec) }
    }

    public func describeJob(accountID: String, jobID: String) async throws -> BatchJobStatus {
        try await controlMapped { try await control.describeJob(accountID: accountID, jobID: jobID) }
    }

    // MARK: - Errors

    private func mapped<T>(_ bucket: String, _ key: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            throw S3ObjectStore.sweepError(error, source: "s3://\(bucket)/\(key)", destination: nil)
        }
    }

    private func controlMapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            let code = error.code ?? "S3ControlError"
            let kind: SweepError.Kind = error.isRetryable || code == "TooManyRequestsException" || code == "InternalServiceException"
                ? .transient : error.isConfigurationProblem || code == "AccessDenied" ? .configuration : .permanent
            throw SweepError.remote(
                code: code, message: error.description + " (S3 Control: check AWS_ENDPOINT_URL_S3_CONTROL, the role and s3:CreateJob/s3:DescribeJob)",
                kind: kind)
        }
    }
}
