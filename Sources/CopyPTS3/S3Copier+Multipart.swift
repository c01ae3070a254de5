// MARK: - Multipart copies

extension S3Copier {
    /// Copies one object in parts, resuming the upload in `run.resume` when there is one.
    ///
    /// Requests: HeadObject (source: metadata, and its ETag is checked), GetObjectTagging
    /// (only when the source has tags), CreateMultipartUpload (or ListParts to resume), one
    /// UploadPartCopy per missing part, HeadObject (source unchanged), Complete, HeadObject
    /// (destination size). A permanent failure aborts the upload; a transient one or a
    /// cancellation keeps it for resuming.
    func copyMultipart(_ item: CopyItem, run: CopyRun) async throws -> CopyVerification {
        let options = run.options
        let source = try await client.headObject(item.source, expectedOwner: options.sourceOwner)
        guard Self.sameETag(source.eTag, item.eTag), source.size == item.size else {
            throw S3Error.sourceChanged(source: item.source.description, expectedETag: item.eTag, actualETag: source.eTag)
        }
        let tags = source.tagCount > 0
            ? try await client.getObjectTagging(item.source, expectedOwner: options.sourceOwner) : []

        var uploadID = run.resume[item.destination]
        var existing: [S3Part] = []
        if let resumed = uploadID {
            do {
                existing = try await client.listParts(item.destination, uploadID: resumed, expectedOwner: options.destinationOwner)
                logger.info("resuming \(item.destination) upload with \(existing.count) parts in place")
            } catch let error as S3Error where error.code == "NoSuchUpload" {
                logger.info("upload of \(item.destination) is gone; starting over")
                uploadID = nil
            }
        }
        let plan = try self.plan(for: item, existing: existing)
        let upload: String
        if let uploadID {
            upload = uploadID
        } else {
            try options.checkContained(item.destination, before: "CreateMultipartUpload")
            upload = try await client.createMultipartUpload(item, options: options, source: source, tags: tags)
            do {
                try await run.emit(.multipartStarted(item, uploadID: upload, plan: plan))
            } catch {
                // The caller could not record the upload: it can never be resumed.
                try? await client.abortMultipartUpload(item.destination, uploadID: upload, expectedOwner: options.destinationOwner)
                throw error
            }
        }

        do {
            let parts = try await copyParts(item, uploadID: upload, plan: plan, existing: existing, run: run)
            try await checkSourceUnchanged(item, options: options, removing: nil)
            try options.checkContained(item.destination, before: "CompleteMultipartUpload")
            let result = try await client.completeMultipartUpload(
                item.destination, uploadID: upload, parts: parts, expectedOwner: options.destinationOwner)
            try await run.emit(.copied(item, eTag: result.eTag))
        } catch let error as S3Error where !error.isRetryable {
            try? await client.abortMultipartUpload(item.destination, uploadID: upload, expectedOwner: options.destinationOwner)
            throw error
        }
        try await verifySize(item, options: options)
        return .sizeMatch
    }

    /// The part plan: the one the existing parts were cut by when resuming (every part but
    /// the last has part 1's size), else a fresh plan for the configured concurrency.
    func plan(for item: CopyItem, existing: [S3Part]) throws(S3Error) -> PartPlan {
        if let first = existing.first(where: { $0.partNumber == 1 }), first.size > 0, first.size <= item.size {
            let resumed = PartPlan(objectSize: item.size, partSize: first.size)
            if resumed.fits(configuration.partLimits) { return resumed }
        }
        return try PartPlan(size: item.size, concurrency: configuration.concurrency, limits: configuration.partLimits)
    }

    /// Copies the parts of `plan` not already in place with the right size, concurrently
    /// (sharing the run's limiter), and returns every part for CompleteMultipartUpload.
    func copyParts(
        _ item: CopyItem, uploadID: String, plan: PartPlan, existing: [S3Part], run: CopyRun
    ) async throws -> [S3Part] {
        var done: [Int: S3Part] = [:]
        for part in existing where part.partNumber <= plan.partCount && part.size == plan.size(ofPart: part.partNumber) {
            done[part.partNumber] = part
        }
        let missing = (1...plan.partCount).filter { done[$0] == nil }
        let client = self.client
        let options = run.options
        try await withThrowingTaskGroup(of: S3Part.self) { group in
            for number in missing {
                group.addTask {
                    let range: ClosedRange<Int64>? = plan.partCount == 1 ? nil : plan.range(ofPart: number)
                    let part = try await run.limiter.run {
                        try options.checkContained(item.destination, before: "UploadPartCopy")
                        return try await client.uploadPartCopy(
                            item, uploadID: uploadID, partNumber: number, partCount: plan.partCount,
                            range: range, options: options)
                    }
                    try await run.emit(.partCopied(item, partNumber: number, partCount: plan.partCount, bytes: part.size))
                    return part
                }
            }
            while let part = try await group.next() { done[part.partNumber] = part }
        }
        return (1...plan.partCount).compactMap { done[$0] }
    }
}
