import CopyPTBatch
import CopyPTRecords
import Foundation

extension TransferBatch {
    // MARK: - Follow the job

    /// One DescribeJob; on Complete, ``finish(_:counts:)``.
    func follow(_ record: inout TransferRecord, counts: inout CopyCounts) async throws -> Outcome {
        guard var batch = record.batch, let jobID = batch.jobID else { preconditionFailure("follow is called with a job id") }
        if batch.status != "Complete" {
            guard let role = record.options.batchRoleARN, let account = BatchEligibility.accountID(ofRole: role) else {
                throw SweepError.remote(
                    code: "BatchNotPossible", message: "the record's batch_role_arn is gone or not a role ARN, so job \(jobID) cannot be asked about",
                    kind: .permanent)
            }
            let status = try await service.describeJob(accountID: account, jobID: jobID)
            batch.status = status.status
            batch.tasksTotal = status.tasksTotal
            batch.tasksSucceeded = status.tasksSucceeded
            batch.tasksFailed = status.tasksFailed
            batch.checkedAt = configuration.now()
            record.batch = batch
            record.progress.objectsDone = Int(clamping: status.tasksSucceeded)
            record.touch(at: configuration.now())
            try copy.store.save(record)
            copy.onEvent(.progress(id: record.id, label: record.label, progress: record.progress))
            let reasons = status.reasons.isEmpty ? "no reason given" : status.reasons.prefix(3).joined(separator: "; ")
            switch status.status {
            case "Failed", "Cancelled":
                throw SweepError.remote(
                    code: "BatchJob\(status.status)",
                    message: "S3 Batch Operations job \(jobID) \(status.status.lowercased()) after \(status.tasksSucceeded) task(s) succeeded "
                        + "and \(status.tasksFailed) failed: \(reasons); fix the cause, then `copypt retry \(record.id)` submits a new job",
                    kind: .permanent)
            case "Suspended":
                throw SweepError.remote(
                    code: "BatchJobSuspended",
                    message: "S3 Batch Operations job \(jobID) is suspended: \(reasons); resume or cancel it in S3 (UpdateJobStatus)",
                    kind: .transient)
            case "Complete":
                break
            default:
                return .pending
            }
        }
        try await finish(&record, counts: &counts)
        return .done
    }

    // MARK: - Finish

    /// Reads the report, re-copies what the job left, verifies the destination and cleans up.
    func finish(_ record: inout TransferRecord, counts: inout CopyCounts) async throws {
        guard let batch = record.batch, let jobID = batch.jobID else { preconditionFailure("finish is called with a job id") }
        if batch.tasksFailed > 0 {
            try await checkReport(&record, jobID: jobID)
        }
        let plan = CopyPlan(record: record)
        let delivered = try await copy.deliveredPaths(&record, plan: plan)
        try await reconcile(&record, plan: plan, delivered: delivered, counts: &counts)
        try await cleanUp(record)
    }

    /// Reads the completion report's failed tasks: permanent ones fail the transfer with their
    /// reasons; retryable ones are noted (the reconciliation copies them).
    func checkReport(_ record: inout TransferRecord, jobID: String) async throws {
        guard let batch = record.batch, let report = Self.location(batch.report) else { return }
        let owner = record.options.sourceOwner
        let manifestBytes = try await service.getObject(
            bucket: report.bucket, key: "\(report.key)/job-\(jobID)/manifest.json", maxBytes: Self.reportLimit, expectedOwner: owner)
        let manifest: BatchReport.Manifest
        do {
            manifest = try BatchReport.manifest(manifestBytes)
        } catch {
            throw SweepError.remote(code: "InvalidReport", message: "job \(jobID)'s completion report: \(error)", kind: .permanent)
        }
        var permanent: [BatchTaskResult] = []
        var permanentCount = 0
        var retryable = 0
        for file in manifest.results where file.status.isEmpty || file.status == "failed" {
            let bytes = try await service.getObject(bucket: file.bucket, key: file.key, maxBytes: Self.reportLimit, expectedOwner: owner)
            let results: [BatchTaskResult]
            do {
                results = try BatchReport.results(bytes, schema: manifest.schema)
            } catch {
                throw SweepError.remote(code: "InvalidReport", message: "job \(jobID)'s completion report \(file.key): \(error)", kind: .permanent)
            }
            for result in results where result.status == "failed" {
                if result.isRetryable {
                    retryable += 1
                } else {
                    permanentCount += 1
                    if permanent.count < configuration.exampleLimit { permanent.append(result) }
                }
                if retryable + permanentCount > Self.failedTaskLimit {
                    throw SweepError.remote(
                        code: "BatchTasksFailed",
                        message: "more than \(Self.failedTaskLimit) tasks of S3 Batch Operations job \(jobID) failed; see its report under \(batch.report)",
                        kind: .permanent)
                }
            }
        }
        if permanentCount > 0 {
            throw SweepError.remote(
                code: "BatchTasksFailed",
                message: "\(permanentCount) task(s) of S3 Batch Operations job \(jobID) failed for good (e.g. "
                    + permanent.map(\.summary).joined(separator: "; ") + "); fix the cause, then `copypt retry \(record.id)`",
                kind: .permanent)
        }
        if retryable > 0 {
            copy.note("\(retryable) task(s) of S3 Batch Operations job \(jobID) failed with errors worth retrying; copypt copied them directly", in: &record)
        }
    }

    /// Lists staging and the destination side by side; copies directly each planned object the
    /// destination lacks or holds with another size (or ETag, where the copy keeps it), and
    /// counts the rest verified.
    func reconcile(_ record: inout TransferRecord, plan: CopyPlan, delivered: Set<String>?, counts: inout CopyCounts) async throws {
        var state = try CopyJournal.replay(path: copy.journalPath)
        let journal = try CopyJournal(path: copy.journalPath)
        let options = TransferCopy.options(record.options, destination: record.to)
        let owner = record.options.destOwner
        let kmsCopies = record.options.sse == .awsKMS
        var destination = DestinationCursor(objects: copy.objects, bucket: record.to.bucket, prefix: record.to.prefix, owner: owner)
        var verified = 0
        var verifiedBytes: Int64 = 0
        var copied = CopyCounts()
        let (missing, _, _) = try await copy.forEachPage(plan: plan, delivered: delivered, sourceOwner: record.options.sourceOwner) { page in
            var again: [PlannedCopy] = []
            for item in page {
                let found = try await destination.find(item.destinationKey)
                // A multipart or KMS copy has an ETag of its own; a single-part copy keeps the source's.
                let keepsETag = !kmsCopies && !item.eTag.contains("-") && state.done[item.destinationKey] == nil
                if let found, found.size == item.size, !keepsETag || found.eTag == item.eTag {
                    verified += 1
                    verifiedBytes = Saturating.add(verifiedBytes, item.size)
                } else {
                    again.append(item)
                }
            }
            var start = again.startIndex
            while start < again.endIndex {
                let end = min(start + configuration.batchSize, again.endIndex)
                _ = try await copy.copyBatch(
                    Array(again[start..<end]), options: options, journal: journal, state: &state, record: &record, counts: &copied)
                start = end
            }
        }
        await journal.close()
        if !missing.isEmpty {
            let lost = missing.sorted()
            throw SweepError.missingFromStaging(staging: record.from.url, count: lost.count, examples: Array(lost.prefix(configuration.exampleLimit)))
        }
        counts.objects += verified + copied.objects
        counts.bytes = Saturating.add(Saturating.add(counts.bytes, verifiedBytes), copied.bytes)
        record.progress.objectsDone = verified + copied.objects
        record.progress.bytesDone = Saturating.add(verifiedBytes, copied.bytes)
        record.progress.objectsTotal = record.progress.objectsDone
        record.progress.bytesTotal = record.progress.bytesDone
    }

    /// Deletes the manifest and the report (everything under `.copypt/batch/<id>/`).
    func cleanUp(_ record: TransferRecord) async throws {
        guard let batch = record.batch, let manifest = Self.location(batch.manifest) else { return }
        let prefix = ".copypt/batch/\(record.id)/"
        guard manifest.key.hasPrefix(prefix) else { return }
        var token: String?
        repeat {
            let page = try await copy.objects.listPage(
                bucket: manifest.bucket, prefix: prefix, continuationToken: token, maxKeys: nil, expectedOwner: record.options.sourceOwner)
            if !page.objects.isEmpty {
                _ = try await copy.objects.delete(bucket: manifest.bucket, keys: page.objects.map(\.key), expectedOwner: record.options.sourceOwner)
            }
            token = page.nextContinuationToken
        } while token != nil
    }

    /// Copies `items` (the objects over 5 GB) with the multipart path, journalled as any copy.
    func copyDirectly(_ items: [PlannedCopy], record: inout TransferRecord, counts: inout CopyCounts) async throws {
        var state = try CopyJournal.replay(path: copy.journalPath)
        let journal = try CopyJournal(path: copy.journalPath)
        let options = TransferCopy.options(record.options, destination: record.to)
        let todo = items.filter { state.done[$0.destinationKey] == nil }
        var start = todo.startIndex
        while start < todo.endIndex {
            let end = min(start + configuration.batchSize, todo.endIndex)
            _ = try await copy.copyBatch(Array(todo[start..<end]), options: options, journal: journal, state: &state, record: &record, counts: &counts)
            start = end
        }
        await journal.close()
    }
}

/// Walks the destination listing in key order, one page in memory, to find keys asked for in
/// ascending (byte) order.
struct DestinationCursor {
    let objects: any ObjectStore
    let bucket: String
    let prefix: String
    let owner: String?
    var page: [StagingObject] = []
    var index = 0
    var token: String?
    var started = false

    init(objects: any ObjectStore, bucket: String, prefix: String, owner: String?) {
        self.objects = objects
        self.bucket = bucket
        self.prefix = prefix
        self.owner = owner
    }

    /// The listed object with `key`, or `nil`; keys must be asked for in ascending byte order.
    mutating func find(_ key: String) async throws -> StagingObject? {
        while true {
            while index < page.count {
                let candidate = page[index]
                if candidate.key.utf8.lexicographicallyPrecedes(key.utf8) {
                    index += 1
                    continue
                }
                return candidate.key.utf8.elementsEqual(key.utf8) ? candidate : nil
            }
            if started && token == nil { return nil }
            let next = try await objects.listPage(bucket: bucket, prefix: prefix, continuationToken: token, maxKeys: nil, expectedOwner: owner)
            started = true
            page = next.objects
            index = 0
            token = next.nextContinuationToken
        }
    }
}
