import CopyPTRecords
import struct CopyPTS3.S3Copier
import Foundation
import Logging

/// Objects and bytes copied and verified by one sweep.
struct CopyCounts: Sendable, Equatable {
    var objects = 0
    var bytes: Int64 = 0
}

/// What a dry run found for one transfer.
struct DryRunPlan: Sendable, Equatable {
    /// Objects in the plan (done ones included) and their bytes.
    var objects = 0
    var bytes: Int64 = 0
    /// Objects the journal says are done already.
    var alreadyDone = 0
}

/// The copy of one transfer, run by the sweep that holds the record's lock.
///
/// 1. Replay the journal (objects done, multipart uploads to resume, staging objects deleted).
/// 2. The plan: every `destination_path` Globus delivered under the record's Globus path, or,
///    when Globus has no history any more, everything under the staging prefix.
/// 3. List the staging prefix page by page (sizes and ETags come from the listing, not from a
///    HeadObject per object; a short first page while Globus is asked, each next one while
///    the last is copied); copy each page's planned objects not done yet in batches,
///    journalling `upload` entries before a multipart copy's first part and `done` entries as
///    objects are verified, fsyncing and checkpointing the record's progress per batch.
/// 4. With `deleteStaging`, delete verified staging objects (DeleteObjects, ≤ 1,000 keys).
/// 5. Fail when delivered files are missing from staging.
struct TransferCopy: Sendable {
    let store: RecordStore
    let configuration: SweepConfiguration
    let tasks: any TaskStatusSource
    let objects: any ObjectStore
    let journalPath: String
    let onEvent: @Sendable (SweepEvent) -> Void
    let logger: Logger

    static let planFromHistory = "successful_transfers"
    static let planFromListing = "listing"

    // MARK: - Copy

    /// Copies what is left of `record`'s transfer; on return every planned object is verified at
    /// its destination. Checkpoints `record` (progress, plan source, notes) as it goes.
    /// - Throws: ``SweepError``; `counts` holds what was copied before the error.
    func run(_ record: inout TransferRecord, counts: inout CopyCounts) async throws {
        var state = try CopyJournal.replay(path: journalPath)
        let journal = try CopyJournal(path: journalPath)
        let plan = CopyPlan(record: record)
        // Staging's first page is listed while Globus is asked what it delivered. It is short,
        // so copying starts without waiting for a full page; the next (full) pages are listed
        // while it is copied.
        let firstPage = listing(plan: plan, sourceOwner: record.options.sourceOwner, after: nil, maxKeys: S3Copier.firstPageKeys)
        defer { firstPage.cancel() }
        let delivered = try await deliveredPaths(&record, plan: plan)
        if let delivered { record.progress.objectsTotal = delivered.count }
        try store.save(record)
        let options = Self.options(record.options, destination: record.to)
        var pendingDeletes: [String] = []
        var multipartKeys = Set<String>()
        var planned = DryRunPlan()
        let (missing, unsafeKeys, ambiguousKeys) = try await forEachPage(
            plan: plan, delivered: delivered, sourceOwner: record.options.sourceOwner, firstPage: firstPage
        ) { page in
            var batch: [PlannedCopy] = []
            for item in page {
                planned.objects += 1
                planned.bytes = Saturating.add(planned.bytes, item.size)
                if item.size > configuration.multipartThreshold { multipartKeys.insert(item.destinationKey) }
                if state.done[item.destinationKey] != nil {
                    if record.options.deleteStaging && !state.deleted.contains(item.sourceKey) { pendingDeletes.append(item.sourceKey) }
                    continue
                }
                batch.append(item)
            }
            var start = batch.startIndex
            while start < batch.endIndex {
                let end = min(start + configuration.batchSize, batch.endIndex)
                let verified = try await copyBatch(
                    Array(batch[start..<end]), options: options, journal: journal, state: &state, record: &record, counts: &counts)
                if record.options.deleteStaging { pendingDeletes += verified.map(\.sourceKey) }
                if pendingDeletes.count >= 1000 {
                    try await deleteStaging(&pendingDeletes, journal: journal, state: &state, record: &record)
                }
                start = end
            }
        }
        noteSkipped(unsafe: unsafeKeys, ambiguous: ambiguousKeys, plan: plan, in: &record)
        try await deleteStaging(&pendingDeletes, journal: journal, state: &state, record: &record)
        try await abortStrayUploads(multipartKeys, record: &record)
        await journal.close()
        let lost = missing.filter { state.done[plan.destinationKey(for: $0)] == nil }.sorted()
        if !lost.isEmpty {
            throw SweepError.missingFromStaging(
                staging: record.from.url, count: lost.count, examples: Array(lost.prefix(configuration.exampleLimit)))
        }
        record.progress.objectsDone = state.done.count
        record.progress.bytesDone = state.bytesDone
        record.progress.objectsTotal = state.done.count
        record.progress.bytesTotal = state.bytesDone
    }

    /// Copies one batch and checkpoints it.
    /// - Returns: the verified items.
    /// - Throws: the first permanent failure, else the first transient one.
    func copyBatch(
        _ items: [PlannedCopy], options: PlannedCopyOptions, journal: CopyJournal,
        state: inout JournalState, record: inout TransferRecord, counts: inout CopyCounts
    ) async throws -> [PlannedCopy] {
        var resume: [String: String] = [:]
        for item in items { resume[item.destinationKey] = state.uploads[item.destinationKey] }
        let failures = try await objects.copy(items, options: options, resume: resume) { event in
            switch event {
            case .multipartStarted(let key, let uploadID):
                try await journal.append([.upload(destinationKey: key, uploadID: uploadID)])
                try await journal.sync()
            case .verified(let key, let eTag, let size):
                try await journal.append([.done(destinationKey: key, eTag: eTag, size: size)])
            }
        }
        try await journal.sync()
        let failed = Set(failures.map(\.item.destinationKey))
        let verified = items.filter { !failed.contains($0.destinationKey) }
        for item in verified {
            state.apply(.done(destinationKey: item.destinationKey, eTag: item.eTag, size: item.size))
            counts.objects += 1
            counts.bytes = Saturating.add(counts.bytes, item.size)
        }
        record.progress.objectsDone = state.done.count
        record.progress.bytesDone = state.bytesDone
        record.touch(at: configuration.now())
        try store.save(record)
        onEvent(.progress(id: record.id, label: record.label, progress: record.progress))
        if let failure = failures.first(where: { $0.error.kind == .permanent }) ?? failures.first {
            throw failure.error
        }
        return verified
    }

    // MARK: - Dry run

    /// What ``run(_:counts:)`` would copy, found with read-only requests.
    func dryRun(_ record: inout TransferRecord) async throws -> DryRunPlan {
        let state = try CopyJournal.replay(path: journalPath)
        let plan = CopyPlan(record: record)
        let delivered = try await deliveredPaths(&record, plan: plan)
        var result = DryRunPlan()
        let (missing, unsafeKeys, ambiguousKeys) = try await forEachPage(plan: plan, delivered: delivered, sourceOwner: record.options.sourceOwner) { page in
            for item in page {
                result.objects += 1
                result.bytes = Saturating.add(result.bytes, item.size)
                if state.done[item.destinationKey] != nil { result.alreadyDone += 1 }
            }
        }
        noteSkipped(unsafe: unsafeKeys, ambiguous: ambiguousKeys, plan: plan, in: &record)
        let lost = missing.filter { state.done[plan.destinationKey(for: $0)] == nil }.sorted()
        if !lost.isEmpty {
            throw SweepError.missingFromStaging(
                staging: record.from.url, count: lost.count, examples: Array(lost.prefix(configuration.exampleLimit)))
        }
        return result
    }

    // MARK: - Options

    /// The engine's options from the record's; every copy must land under `destination`.
    static func options(_ options: CopyOptions, destination: S3Prefix) -> PlannedCopyOptions {
        PlannedCopyOptions(
            bucketOwnerFullControl: options.acl == .bucketOwnerFullControl,
            storageClass: options.storageClass?.rawValue,
            serverSideEncryption: options.sse?.rawValue,
            kmsKeyID: options.sseKMSKeyID,
            destinationOwner: options.destOwner,
            sourceOwner: options.sourceOwner,
            destination: destination)
    }
}
