extension GlobusTransferClient {
    /// The status of every task id, in as few requests as the strategy allows:
    ///
    /// 1. Page through the identity's first 1,000 unfinished tasks (offset paging reaches no
    ///    deeper, ``maxOffsetResults``); a waiting task is usually among them. Stops early once
    ///    every id is found, or once reading the remaining pages would cost more requests than
    ///    looking the rest up by id. Skipped when all ids fit in one by-id request.
    /// 2. Look up the ids not seen by id, ~200 per request (`task_list?filter=task_id:…`).
    /// 3. `GET task/{id}` only for ids still missing, to tell a task another identity submitted
    ///    (or that never existed: 404 → ``TaskStatusResult/notFound(_:)``) from a visible one.
    ///
    /// For 1,200 unfinished tasks that is 2 requests (1,000 listed, 200 by id); for 2,500, 9.
    /// - Parameter ids: task ids; duplicates are asked once.
    /// - Returns: one result per distinct id.
    /// - Throws: ``GlobusError`` for anything but a per-task 404 (authentication, transient trouble).
    public func statuses(for ids: [String]) async throws -> [String: TaskStatusResult] {
        var seen = Set<String>()
        let wanted = ids.filter { seen.insert($0).inserted }
        var results = [String: TaskStatusResult](minimumCapacity: wanted.count)
        guard !wanted.isEmpty else { return results }
        var remaining = seen

        // Step 1: unfinished tasks.
        let idsPerRequest = idsPerByIDRequest(wanted)
        if wanted.count > idsPerRequest {
            let perPage = max(1, configuration.pageLimit)
            var listedSoFar = 0
            try await forEachUnfinishedPage { page, unread in
                listedSoFar += page.count
                for task in page where remaining.remove(task.taskID) != nil {
                    results[task.taskID] = .found(task)
                }
                guard !remaining.isEmpty else { return false }
                guard let unread else { return true }
                let reachable = min(unread, max(0, Self.maxOffsetResults - listedSoFar))
                let pagesLeft = (reachable + perPage - 1) / perPage
                let byIDLeft = (remaining.count + idsPerRequest - 1) / idsPerRequest
                return pagesLeft <= byIDLeft
            }
        }

        // Step 2: the rest by id.
        if !remaining.isEmpty {
            for task in try await tasks(ids: wanted.filter { remaining.contains($0) })
            where remaining.remove(task.taskID) != nil {
                results[task.taskID] = .found(task)
            }
        }

        // Step 3: one by one, only to name the missing ones.
        for id in wanted where remaining.contains(id) {
            do {
                results[id] = .found(try await task(id: id))
            } catch let error as GlobusError {
                guard case .taskNotFound = error else { throw error }
                results[id] = .notFound(error)
            }
        }
        logger.debug("Globus status of \(wanted.count) tasks: \(results.count) answered")
        return results
    }

    /// About how many of these ids one by-id request carries (from their average length;
    /// task ids are UUIDs, which need no percent-encoding). Cheap enough to ask per page.
    func idsPerByIDRequest(_ ids: [String]) -> Int {
        guard !ids.isEmpty else { return configuration.pageLimit }
        let overhead = Self.url(configuration.transferEndpoint("task_list"), query: byIDQuery([])).utf8.count
        let sample = ids.prefix(256)
        let average = sample.reduce(0) { $0 + $1.utf8.count } / sample.count
        let fit = (configuration.maxURLLength - overhead + 1) / (average + 1)
        return max(1, min(fit, configuration.pageLimit))
    }
}
