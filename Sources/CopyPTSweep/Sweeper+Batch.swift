import CopyPTRecords

extension Sweeper {
    // MARK: - S3 Batch Operations

    /// Starts, follows or finishes the transfer's Batch Operations job (``TransferBatch``), or
    /// says to copy it directly. A transfer that cannot go to Batch Operations (`--engine
    /// direct`, or `auto` without a role) costs nothing here.
    func batchOutcome(_ record: inout TransferRecord, copy: TransferCopy, counts: inout CopyCounts) async throws -> TransferBatch.Outcome {
        if record.batch == nil {
            switch record.options.engine {
            case .direct: return .direct
            case .auto where record.options.batchRoleARN == nil: return .direct
            default: break
            }
        }
        guard let batchServices else {
            guard record.batch != nil || record.options.engine == .batch else { return .direct }
            throw SweepError.remote(
                code: "BatchUnavailable", message: "transfer \(record.id) is copied by S3 Batch Operations, but this sweep was set up without it",
                kind: .configuration)
        }
        let service: any BatchService
        do {
            service = try await batchServices(record.options.profile)
        } catch {
            throw Self.sweepError(error)
        }
        let batch = TransferBatch(copy: copy, service: service, stepHook: configuration.batchStepHook)
        return try await batch.run(&record, counts: &counts)
    }
}
