import CopyPTRecords
import Foundation

extension TransferCopy {
    // MARK: - Plan

    /// The relative paths Globus delivered under the record's Globus path, or `nil` when Globus
    /// no longer has the task's history (then everything under the staging prefix is copied).
    /// Sets the record's `planSource` and notes paths outside the Globus path and the fallback.
    func deliveredPaths(_ record: inout TransferRecord, plan: CopyPlan) async throws -> Set<String>? {
        var relatives = Set<String>()
        var outside = 0
        var examples: [String] = []
        let limit = configuration.exampleLimit
        let hadHistory = try await tasks.deliveredPaths(taskID: record.globusTaskID) { page in
            for path in page {
                if let relative = plan.relativePath(ofDelivered: path) {
                    relatives.insert(relative)
                } else if !path.hasSuffix("/") {
                    outside += 1
                    if examples.count < limit { examples.append(path) }
                }
            }
        }
        guard hadHistory else {
            record.planSource = Self.planFromListing
            note("Globus no longer has the file list of task \(record.globusTaskID); copying everything under \(record.from.url) instead", in: &record)
            return nil
        }
        record.planSource = Self.planFromHistory
        if outside > 0 {
            note("\(outside) file(s) Globus delivered are outside the Globus path \(plan.globusPath) and were not copied (e.g. \(examples.joined(separator: ", ")))", in: &record)
            if relatives.isEmpty {
                throw SweepError.remote(
                    code: "NothingUnderGlobusPath",
                    message: "none of the \(outside) file(s) Globus task \(record.globusTaskID) delivered is under \(plan.globusPath) (e.g. \(examples.joined(separator: ", "))); "
                        + "re-add the transfer with the --globus-path the task wrote to",
                    kind: .permanent)
            }
        }
        return relatives
    }

    /// Lists the staging prefix page by page and calls `body` with each page's planned copies
    /// (only delivered paths when `delivered` is given). The next page is fetched while `body`
    /// copies this one, and the first may come from `firstPage`, started earlier. Staging keys
    /// whose path below the prefix has a `.` or `..` segment are never planned (their copy could
    /// land outside the destination prefix); they are returned for the record's notes.
    ///
    /// Swift compares Strings under Unicode canonical equivalence, S3 by bytes: `run/é` written
    /// precomposed and decomposed are two objects but one String to the sets and the journal that
    /// track a copy. The first such key listed is copied; the next is returned as ambiguous
    /// (copying it would count it done with the first, or skip it silently).
    /// - Returns: the delivered relative paths not found in staging, the unsafe staging keys, and
    ///   the keys equal to an earlier one up to Unicode normalization.
    /// - Throws: ``SweepError``; a permanent one when S3 hands back a continuation token twice.
    func forEachPage(
        plan: CopyPlan, delivered: Set<String>?, sourceOwner: String?,
        firstPage: Task<StagingPage, any Error>? = nil,
        _ body: ([PlannedCopy]) async throws -> Void
    ) async throws -> (missing: Set<String>, unsafeKeys: [String], ambiguousKeys: [String]) {
        var remaining = delivered ?? []
        var unsafeKeys: [String] = []
        var ambiguousKeys: [String] = []
        var seen = Set<String>()
        var tokens = Set<String>()
        var next: Task<StagingPage, any Error>? = firstPage ?? listing(plan: plan, sourceOwner: sourceOwner, after: nil)
        defer { next?.cancel() }
        while let current = next {
            // The page is fetched by a task of its own: a cancelled sweep (--max-runtime) cancels it.
            let page = try await withTaskCancellationHandler { try await current.value } onCancel: { current.cancel() }
            if let token = page.nextContinuationToken, !tokens.insert(token).inserted {
                throw SweepError.remote(
                    code: "InvalidResponse",
                    message: "ListObjectsV2 \(plan.from.url) handed back a continuation token a second time, so the listing would never end; "
                        + "check that the S3 endpoint (AWS_ENDPOINT_URL_S3, a proxy) is S3",
                    kind: .permanent)
            }
            next = page.nextContinuationToken.map { listing(plan: plan, sourceOwner: sourceOwner, after: $0) }
            var items: [PlannedCopy] = []
            items.reserveCapacity(page.objects.count)
            for object in page.objects {
                guard let relative = plan.relativePath(ofStagingKey: object.key) else { continue }
                guard CopyPlan.isSafe(relative: relative) else {
                    unsafeKeys.append(object.key)
                    continue
                }
                let (isNew, earlier) = seen.insert(relative)
                if !isNew {
                    if !earlier.utf8.elementsEqual(relative.utf8) { ambiguousKeys.append(object.key) }
                    continue
                }
                if delivered != nil, remaining.remove(relative) == nil { continue }
                if let item = plan.copy(of: object) { items.append(item) }
            }
            try await body(items)
        }
        return (remaining, unsafeKeys, ambiguousKeys)
    }

    /// Notes staging keys that were not copied because their path below the staging prefix has
    /// a `.` or `..` segment, or because they equal another key up to Unicode normalization.
    func noteSkipped(unsafe: [String], ambiguous: [String], plan: CopyPlan, in record: inout TransferRecord) {
        let limit = configuration.exampleLimit
        if !unsafe.isEmpty {
            note("\(unsafe.count) staging object(s) under \(plan.from.url) were not copied: their path below it has a `.` or `..` segment, "
                + "so a copy could land outside \(plan.to.url) (e.g. \(unsafe.prefix(limit).joined(separator: ", "))); "
                + "rename them in staging and copy them yourself", in: &record)
        }
        if !ambiguous.isEmpty {
            note("\(ambiguous.count) staging object(s) under \(plan.from.url) were not copied: each has the name of an object copied before "
                + "written in another Unicode normalization form (e.g. \(ambiguous.prefix(limit).joined(separator: ", "))); "
                + "rename them in staging and copy them yourself", in: &record)
        }
    }

    /// One ListObjectsV2 page of the staging prefix (up to `maxKeys` keys, default S3's 1,000),
    /// fetched in the background.
    func listing(plan: CopyPlan, sourceOwner: String?, after token: String?, maxKeys: Int? = nil) -> Task<StagingPage, any Error> {
        Task {
            try await objects.listPage(
                bucket: plan.from.bucket, prefix: plan.from.prefix, continuationToken: token, maxKeys: maxKeys,
                expectedOwner: sourceOwner)
        }
    }

    // MARK: - Staging deletion

    /// Deletes `keys` from staging (DeleteObjects, ≤ 1,000 keys a call), journals them and
    /// empties `keys`. Keys S3 would not delete are noted in the record; the copy stands.
    func deleteStaging(_ keys: inout [String], journal: CopyJournal, state: inout JournalState, record: inout TransferRecord) async throws {
        var start = keys.startIndex
        while start < keys.endIndex {
            let end = min(start + 1000, keys.endIndex)
            let chunk = Array(keys[start..<end])
            let failures = try await objects.delete(bucket: record.from.bucket, keys: chunk, expectedOwner: record.options.sourceOwner)
            let failed = Set(failures.map(\.key))
            let deleted = chunk.filter { !failed.contains($0) }
            try await journal.append(deleted.map { .deleted(stagingKey: $0) })
            try await journal.sync()
            for key in deleted { state.apply(.deleted(stagingKey: key)) }
            if let first = failures.first {
                note("could not delete \(failures.count) staging object(s) after copying them (e.g. \(first.key): \(first.reason)); delete them yourself", in: &record)
            }
            start = end
        }
        keys.removeAll()
    }

    // MARK: - Stray multipart uploads

    /// Aborts multipart uploads still open on `keys` once every copy is complete. A sweep killed
    /// between CreateMultipartUpload and its journal entry leaves such an upload (with no parts
    /// yet), which no later sweep could resume. Costs one ListMultipartUploads per completed
    /// transfer that has multipart objects, nothing otherwise.
    ///
    /// That listing needs s3:ListBucketMultipartUploads on the destination bucket, the one
    /// permission beyond the destination prefix. Every copy is verified by then, so a refused
    /// listing is noted in the record (and logged at info), not a failed transfer.
    func abortStrayUploads(_ keys: Set<String>, record: inout TransferRecord) async throws {
        guard !keys.isEmpty else { return }
        let open: [OpenUpload]
        do {
            open = try await objects.openUploads(bucket: record.to.bucket, prefix: record.to.prefix, expectedOwner: record.options.destOwner)
        } catch SweepError.remote(code: "AccessDenied", let message, _) {
            logger.info("\(record.id): stray multipart uploads not checked: \(message)")
            note("could not list multipart uploads under \(record.to.url) to abort any a killed sweep left behind (AccessDenied); "
                + "the copies are verified; grant s3:ListBucketMultipartUploads on s3://\(record.to.bucket) so later sweeps can, "
                + "or abort stray uploads with a lifecycle rule", in: &record, reported: false)
            return
        }
        for upload in open where keys.contains(upload.key) {
            try await objects.abortUpload(bucket: record.to.bucket, upload, expectedOwner: record.options.destOwner)
        }
    }

    /// Adds `message` to the record's notes (once) and, when `reported`, sends it as a
    /// ``SweepEvent/note(id:label:message:)``.
    func note(_ message: String, in record: inout TransferRecord, reported: Bool = true) {
        let line = RecordedError.oneLine(message)
        guard !record.notes.contains(line) else { return }
        record.notes.append(line)
        if reported { onEvent(.note(id: record.id, label: record.label, message: line)) }
    }
}
