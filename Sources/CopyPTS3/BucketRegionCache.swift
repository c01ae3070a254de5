/// The region of each bucket, found once per bucket with HeadBucket and shared by all
/// requests of a client; concurrent first requests to a bucket share one lookup.
actor BucketRegionCache {
    private var known: [String: String] = [:]
    private var pending: [String: Task<String, any Error>] = [:]

    /// The cached region of `bucket`, or the result of `lookup` (run once even when many ask at once).
    func region(of bucket: String, lookup: @escaping @Sendable () async throws -> String) async throws -> String {
        if let region = known[bucket] { return region }
        if let task = pending[bucket] { return try await Self.value(of: task) }
        let task = Task { try await lookup() }
        pending[bucket] = task
        defer { pending[bucket] = nil }
        let region = try await Self.value(of: task)
        known[bucket] = region
        return region
    }

    /// The lookup's result; a cancelled caller cancels the lookup, which would otherwise run on
    /// (an unstructured task does not inherit cancellation) and keep the caller waiting.
    private static func value(of task: Task<String, any Error>) async throws -> String {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Records `region` for `bucket` (from a redirect's `x-amz-bucket-region`).
    func set(_ region: String, for bucket: String) {
        known[bucket] = region
    }

    /// Drops what is known about `bucket`.
    func forget(_ bucket: String) {
        known[bucket] = nil
    }
}
