import CopyPTS3
import Logging

/// The real ``ObjectStore``: ListObjectsV2 and DeleteObjects through ``S3Client``, copies
/// through the ``S3Copier`` engine, with S3's errors turned into ``SweepError``s that say what
/// to fix.
public struct S3ObjectStore: ObjectStore {
    /// The S3 client.
    public let client: S3Client
    /// The copy engine.
    public let copier: S3Copier

    /// A store over `client`, copying with an engine set up from `configuration`
    /// (``SweepConfiguration/concurrency`` or ``SweepConfiguration/adaptiveConcurrency``,
    /// ``SweepConfiguration/multipartThreshold`` and
    /// ``SweepConfiguration/minimumPartSize``).
    public init(client: S3Client, configuration: SweepConfiguration, logger: Logger) {
        self.client = client
        self.copier = S3Copier(
            client: client,
            configuration: S3CopierConfiguration(
                concurrency: configuration.concurrency, multipartThreshold: configuration.multipartThreshold,
                partLimits: MultipartLimits(minimumPartSize: configuration.minimumPartSize),
                adaptive: configuration.adaptiveConcurrency),
            logger: logger)
    }

    /// A store with an engine of your own.
    public init(client: S3Client, copier: S3Copier) {
        self.client = client
        self.copier = copier
    }

    // MARK: - ObjectStore

    /// The engine's width: adaptive concurrency's peak, final width and cuts so far.
    public var concurrency: CopyConcurrency? { copier.concurrency }

    /// One ListObjectsV2 page (`encoding-type=url`, keys decoded).
    public func listPage(bucket: String, prefix: String, continuationToken: String?, maxKeys: Int?, expectedOwner: String?) async throws -> StagingPage {
        do {
            let page = try await client.listObjectsV2(
                bucket: bucket, prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys, expectedOwner: expectedOwner)
            return StagingPage(
                objects: page.objects.map { StagingObject(key: $0.key, size: $0.size, eTag: $0.eTag) },
                nextContinuationToken: page.nextContinuationToken)
        } catch let error as S3Error {
            throw Self.sweepError(error, source: "s3://\(bucket)/\(prefix)", destination: nil)
        }
    }

    /// Copies `items` with the engine (CopyObject, or UploadPartCopy above the threshold, each
    /// conditional on the listed ETag) and reports multipart starts and verified objects.
    public func copy(
        _ items: [PlannedCopy], options: PlannedCopyOptions, resume: [String: String],
        onEvent: @escaping @Sendable (ObjectCopyEvent) async throws -> Void
    ) async throws -> [ObjectCopyFailure] {
        var copyItems: [CopyItem] = []
        copyItems.reserveCapacity(items.count)
        var resumeByLocation: [S3Location: String] = [:]
        for item in items {
            let copyItem = CopyItem(
                source: S3Location(bucket: item.sourceBucket, key: item.sourceKey),
                destination: S3Location(bucket: item.destinationBucket, key: item.destinationKey),
                size: item.size, eTag: item.eTag)
            copyItems.append(copyItem)
            if let uploadID = resume[item.destinationKey] { resumeByLocation[copyItem.destination] = uploadID }
        }
        let summary = try await copier.copy(copyItems, options: Self.options(options), resume: resumeByLocation) { event in
            switch event {
            case .multipartStarted(let item, let uploadID, _):
                try await onEvent(.multipartStarted(destinationKey: item.destination.key, uploadID: uploadID))
            case .verified(let item, _):
                try await onEvent(.verified(destinationKey: item.destination.key, eTag: item.eTag, size: item.size))
            case .partCopied, .copied, .failed:
                break
            }
        }
        guard !summary.failures.isEmpty else { return [] }
        // Made only when something failed: hashing every planned copy cost more than the lookup saves.
        let planned = Dictionary(items.map { (S3Location(bucket: $0.destinationBucket, key: $0.destinationKey), $0) }) { _, last in last }
        return summary.failures.compactMap { failure in
            guard let item = planned[failure.item.destination] else { return nil }
            return ObjectCopyFailure(
                item: item,
                error: Self.sweepError(
                    failure.error, source: "s3://\(item.sourceBucket)/\(item.sourceKey)",
                    destination: "s3://\(item.destinationBucket)/\(item.destinationKey)"))
        }
    }

    /// DeleteObjects (≤ 1,000 keys per request).
    public func delete(bucket: String, keys: [String], expectedOwner: String?) async throws -> [ObjectCopyFailure.KeyFailure] {
        do {
            return try await client.deleteObjects(keys, in: bucket, expectedOwner: expectedOwner)
                .map { ObjectCopyFailure.KeyFailure(key: $0.key, reason: "\($0.code): \($0.message)") }
        } catch let error as S3Error {
            throw Self.sweepError(error, source: "s3://\(bucket)", destination: nil)
        }
    }

    /// ListMultipartUploads, every page.
    public func openUploads(bucket: String, prefix: String, expectedOwner: String?) async throws -> [OpenUpload] {
        do {
            return try await client.listMultipartUploads(bucket: bucket, prefix: prefix, expectedOwner: expectedOwner)
                .map { OpenUpload(key: $0.key, uploadID: $0.uploadID) }
        } catch let error as S3Error {
            throw Self.sweepError(error, source: "s3://\(bucket)/\(prefix)", destination: nil)
        }
    }

    /// AbortMultipartUpload; NoSuchUpload counts as done.
    public func abortUpload(bucket: String, _ upload: OpenUpload, expectedOwner: String?) async throws {
        do {
            try await client.abortMultipartUpload(
                S3Location(bucket: bucket, key: upload.key), uploadID: upload.uploadID, expectedOwner: expectedOwner)
        } catch let error as S3Error where error.code == "NoSuchUpload" {
            return
        } catch let error as S3Error {
            throw Self.sweepError(error, source: "s3://\(bucket)/\(upload.key)", destination: nil)
        }
    }

    // MARK: - Mapping

    /// The engine's options.
    static func options(_ options: PlannedCopyOptions) -> CopyOptions {
        let sse: CopyOptions.ServerSideEncryption?
        switch options.serverSideEncryption {
        case "AES256": sse = .aes256
        case "aws:kms": sse = .kms(keyID: options.kmsKeyID)
        default: sse = nil
        }
        return CopyOptions(
            acl: options.bucketOwnerFullControl ? .bucketOwnerFullControl : nil,
            storageClass: options.storageClass,
            serverSideEncryption: sse,
            destinationOwner: options.destinationOwner,
            sourceOwner: options.sourceOwner,
            destinationPrefix: options.destination.map { S3Location(bucket: $0.bucket, key: $0.prefix) })
    }

    /// An S3 error as a ``SweepError``: retryable → transient; bad or missing credentials →
    /// configuration; anything else permanent, with what to fix appended.
    static func sweepError(_ error: S3Error, source: String, destination: String?) -> SweepError {
        let code = error.code ?? Self.code(of: error)
        if error.isRetryable {
            return .remote(code: code, message: error.description, kind: .transient)
        }
        let kind: SweepError.Kind = error.isConfigurationProblem ? .configuration : .permanent
        let advice = advice(code: code, source: source, destination: destination)
        return .remote(code: code, message: advice.isEmpty ? error.description : error.description(advice: advice), kind: kind)
    }

    private static func code(of error: S3Error) -> String {
        switch error {
        case .service(_, _, let code, _, _): return code
        case .unparseableResponse: return "UnreadableResponse"
        case .transport: return "NetworkError"
        case .credentials: return "AWSCredentials"
        case .invalidLocation: return "InvalidLocation"
        case .invalidRequest: return "InvalidRequest"
        case .sourceChanged: return "SourceChanged"
        case .verificationFailed: return "VerificationFailed"
        case .invalidResponse: return "InvalidResponse"
        }
    }

    private static func advice(code: String, source: String, destination: String?) -> String {
        switch code {
        case "AccessDenied", "AllAccessDisabled":
            let target = destination.map { " and s3:PutObject (+ s3:PutObjectAcl with ACLs) on \($0)" } ?? ""
            return " — grant your principal s3:GetObject and s3:ListBucket on \(source)\(target), "
                + "check --dest-owner/--source-owner, then `copypt retry`"
        case "NoSuchBucket":
            return " — create the bucket or fix the bucket name (add the transfer again), then `copypt retry`"
        case "PreconditionFailed", "SourceChanged":
            return " — the staging object changed after Globus delivered it; `copypt retry` copies the current version"
        default:
            return ""
        }
    }
}
