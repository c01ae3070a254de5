import CopyPTBatch
import CopyPTRecords
import Foundation

/// The copy of one transfer by S3 Batch Operations, run by the sweep that holds its lock.
///
/// 1. Decide: `--engine auto` hands a transfer to Batch Operations when Globus delivered at
///    least the threshold's objects, a role is set and the key mapping and options are
///    expressible (``BatchEligibility``); otherwise copypt copies it and says why in the notes.
/// 2. Submit: record the job's token, manifest and report locations; stream a CSV manifest of
///    the delivered objects ≤ 5 GB from the staging listing into `.copypt/batch/<id>/` of the
///    staging bucket (one part in memory at a time); CreateJob with the record's token; record
///    the job id; copy the objects over 5 GB with the multipart path.
/// 3. Later sweeps: one DescribeJob; progress into the record. Failed or Cancelled → the
///    transfer fails with the job's reasons; Suspended → reported, left to a person.
/// 4. Complete: read the completion report (failed tasks only); permanent failures fail the
///    transfer with the report's reasons; then list staging and the destination side by side,
///    re-copy directly whatever is missing or differs (the retryable failures), and delete the
///    manifest and the report.
struct TransferBatch: Sendable {
    let copy: TransferCopy
    let service: any BatchService
    /// Called at the named steps (`after-manifest`, `after-create-job`), for kill tests.
    let stepHook: @Sendable (String) -> Void

    /// What the sweep does next with the transfer.
    enum Outcome: Equatable {
        /// Copy it directly (``TransferCopy``).
        case direct
        /// The job is running; look again next sweep.
        case pending
        /// Every object is verified at the destination.
        case done
    }

    /// The report's files are small (failed tasks only); refuse anything past this.
    static let reportLimit = 64 << 20
    /// The most failed tasks a report may name; past it the transfer fails rather than hold them all.
    static let failedTaskLimit = 100_000

    var configuration: SweepConfiguration { copy.configuration }

    // MARK: - Run

    /// Starts, follows or finishes the transfer's job.
    func run(_ record: inout TransferRecord, counts: inout CopyCounts) async throws -> Outcome {
        let plan = CopyPlan(record: record)
        guard let batch = record.batch else {
            guard record.options.engine != .direct else { return .direct }
            // Without a role, auto cannot choose batch: decide without asking Globus.
            if record.options.engine == .auto, record.options.batchRoleARN == nil { return .direct }
            let delivered = try await copy.deliveredPaths(&record, plan: plan)
            guard let delivered else {
                copy.note("the copy is made directly, not by S3 Batch Operations: its manifest is made from Globus's file list, which Globus no longer has", in: &record)
                return .direct
            }
            if record.options.engine == .auto, delivered.count < record.options.batchThreshold {
                copy.note(
                    "engine auto: \(delivered.count) object(s), fewer than the batch threshold \(record.options.batchThreshold), copied directly",
                    in: &record, reported: false)
                return .direct
            }
            if let obstacle = BatchEligibility.obstacle(options: record.options, from: record.from, to: record.to) {
                copy.note("engine \(record.options.engine.rawValue): copied directly, not by S3 Batch Operations: \(obstacle)", in: &record)
                return .direct
            }
            let base = ".copypt/batch/\(record.id)"
            record.batch = BatchJobRecord(
                clientRequestToken: BatchJobRecord.token(recordID: record.id, attempt: 1), manifest: "s3://\(record.from.bucket)/\(base)/manifest.csv",
                report: "s3://\(record.from.bucket)/\(base)/report")
            record.progress.objectsTotal = delivered.count
            record.touch(at: configuration.now())
            try copy.store.save(record)
            try await submit(&record, delivered: delivered, counts: &counts)
            return .pending
        }
        guard batch.jobID != nil else {
            let delivered = try await copy.deliveredPaths(&record, plan: plan)
            try await submit(&record, delivered: delivered, counts: &counts)
            return .pending
        }
        return try await follow(&record, counts: &counts)
    }

    // MARK: - Submit

    /// Writes the manifest (unless recorded), creates the job, records its id and copies the big objects.
    func submit(_ record: inout TransferRecord, delivered: Set<String>?, counts: inout CopyCounts) async throws {
        guard var batch = record.batch, let manifest = Self.location(batch.manifest) else {
            preconditionFailure("submit is called with a batch record")
        }
        let plan = CopyPlan(record: record)
        var big: [PlannedCopy] = []
        if batch.manifestETag == nil {
            let (eTag, rows, bigItems) = try await writeManifest(
                record: &record, plan: plan, delivered: delivered, bucket: manifest.bucket, key: manifest.key)
            big = bigItems
            batch.manifestETag = eTag
            batch.manifestObjects = rows
            batch.directObjects = big.count
            record.batch = batch
            record.touch(at: configuration.now())
            try copy.store.save(record)
            stepHook("after-manifest")
        }
        if batch.manifestObjects != 0 {
            let spec = try jobSpec(record, batch: batch)
            let jobID = try await service.createJob(spec)
            stepHook("after-create-job")
            batch.jobID = jobID
            batch.status = "New"
            record.batch = batch
            record.touch(at: configuration.now())
            try copy.store.save(record)
        } else {
            // Every object is over 5 GB: no job; the last step copies them all.
            batch.jobID = "none"
            batch.status = "Complete"
            record.batch = batch
            try copy.store.save(record)
        }
        if !big.isEmpty { try await copyDirectly(big, record: &record, counts: &counts) }
    }

    /// Streams the manifest: the planned objects ≤ the multipart threshold, part by part.
    /// - Returns: its ETag, its row count and the objects left for the multipart path.
    func writeManifest(
        record: inout TransferRecord, plan: CopyPlan, delivered: Set<String>?, bucket: String, key: String
    ) async throws -> (String, Int, [PlannedCopy]) {
        let owner = record.options.sourceOwner
        var manifest = BatchManifest()
        var uploadID: String?
        var parts: [(Int, String)] = []
        var big: [PlannedCopy] = []
        func flush() async throws {
            if uploadID == nil { uploadID = try await service.createUpload(bucket: bucket, key: key, expectedOwner: owner) }
            guard let uploadID else { return }
            let number = parts.count + 1
            let eTag = try await service.uploadPart(
                bucket: bucket, key: key, uploadID: uploadID, partNumber: number, body: manifest.takePart(), expectedOwner: owner)
            parts.append((number, eTag))
        }
        let (missing, unsafeKeys, ambiguousKeys) = try await copy.forEachPage(
            plan: plan, delivered: delivered, sourceOwner: owner
        ) { page in
            for item in page {
                if item.size > configuration.multipartThreshold {
                    big.append(item)
                } else if manifest.append(bucket: item.sourceBucket, key: item.sourceKey) {
                    try await flush()
                }
            }
        }
        copy.noteSkipped(unsafe: unsafeKeys, ambiguous: ambiguousKeys, plan: plan, in: &record)
        if !missing.isEmpty {
            let lost = missing.sorted()
            throw SweepError.missingFromStaging(staging: record.from.url, count: lost.count, examples: Array(lost.prefix(configuration.exampleLimit)))
        }
        let eTag: String
        if let uploadID {
            if !manifest.part.isEmpty { try await flush() }
            eTag = try await service.completeUpload(bucket: bucket, key: key, uploadID: uploadID, parts: parts, expectedOwner: owner)
        } else {
            eTag = try await service.putObject(bucket: bucket, key: key, body: manifest.takePart(), expectedOwner: owner)
        }
        return (eTag, manifest.count, big)
    }

    /// The CreateJob request for `record`.
    func jobSpec(_ record: TransferRecord, batch: BatchJobRecord) throws -> BatchJobSpec {
        guard let role = record.options.batchRoleARN, let account = BatchEligibility.accountID(ofRole: role),
              let prefix = BatchEligibility.targetKeyPrefix(from: record.from, to: record.to),
              let manifest = Self.location(batch.manifest), let report = Self.location(batch.report), let eTag = batch.manifestETag
        else {
            throw SweepError.remote(
                code: "BatchNotPossible",
                message: "the transfer's batch job can no longer be made (role, key mapping or manifest changed); `copypt retry` it with --engine direct",
                kind: .permanent)
        }
        let partition = BatchEligibility.partition(ofRole: role)
        let unquoted = eTag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return BatchJobSpec(
            accountID: account, roleARN: role, clientRequestToken: batch.clientRequestToken,
            manifestARN: "arn:\(partition):s3:::\(manifest.bucket)/\(manifest.key)", manifestETag: unquoted,
            targetBucketARN: "arn:\(partition):s3:::\(record.to.bucket)", targetKeyPrefix: prefix,
            cannedACL: record.options.acl == .bucketOwnerFullControl ? "bucket-owner-full-control" : nil,
            storageClass: record.options.storageClass?.rawValue,
            kmsKeyID: record.options.sse == .awsKMS ? record.options.sseKMSKeyID : nil,
            reportBucketARN: "arn:\(partition):s3:::\(report.bucket)", reportPrefix: report.key,
            description: "copypt \(record.id) \(record.from.url) to \(record.to.url)".prefix(256).description)
    }

    /// `s3://bucket/key` split, or `nil`.
    static func location(_ url: String) -> (bucket: String, key: String)? {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { return nil }
        let key = rest[rest.index(after: slash)...]
        return key.isEmpty ? nil : (String(rest[..<slash]), String(key))
    }
}
