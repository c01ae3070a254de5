import CopyPTHTTP
import Foundation

extension GlobusTransferClient {
    // MARK: - task_list: unfinished tasks

    /// The first ``maxOffsetResults`` (1,000) ACTIVE or INACTIVE tasks of the identity copypt uses:
    /// `GET task_list?filter=status:ACTIVE,INACTIVE&limit=…&offset=…`. Offset paging goes no
    /// deeper, as in globus-sdk; look further tasks up by id (``tasks(ids:)``).
    public func unfinishedTasks() async throws -> [GlobusTask] {
        var all = [GlobusTask]()
        try await forEachUnfinishedPage { page, _ in
            all += page
            return true
        }
        return all
    }

    /// How deep offset paging of `task_list` reads: globus-sdk's `max_total_results` for it
    /// (`paging/limit_offset.py`; the service refuses deeper offsets).
    public static let maxOffsetResults = 1000

    /// Pages through the unfinished tasks, at most ``maxOffsetResults`` of them (the last page's
    /// `limit` shortened so `offset + limit` stays within it), handing each page and the tasks
    /// still unread (from `total`, when Globus sends it) to `body`, which returns `false` to stop early.
    /// - Throws: ``GlobusError/repeatedPage(operation:detail:)`` when a page starts somewhere else
    ///   than asked or repeats tasks already listed, rather than loop.
    func forEachUnfinishedPage(_ body: ([GlobusTask], _ unread: Int?) -> Bool) async throws {
        var offset = 0
        var listed = Set<String>()
        while offset < Self.maxOffsetResults {
            let limit = min(max(1, configuration.pageLimit), Self.maxOffsetResults - offset)
            var query = [("filter", "status:ACTIVE,INACTIVE"), ("limit", String(limit)), ("offset", String(offset))]
            if configuration.limitTaskFields { query.append(("fields", GlobusTask.fieldList)) }
            let operation = "listing unfinished Globus tasks (offset \(offset))"
            let page = try await getDecoded(GlobusTaskListPage.self, "task_list", query: query, operation: operation)
            if let answered = page.offset, answered != offset {
                throw GlobusError.repeatedPage(operation: operation, detail: "the page at offset \(answered) instead")
            }
            var new = 0
            for task in page.tasks where listed.insert(task.taskID).inserted { new += 1 }
            if !page.tasks.isEmpty && new == 0 {
                throw GlobusError.repeatedPage(operation: operation, detail: "a page of tasks it had already listed")
            }
            offset += page.tasks.count
            let unread = page.total.map { max(0, $0 - offset) }
            guard body(page.tasks, unread) else { return }
            if page.tasks.isEmpty { return }
            if let unread, unread == 0 { return }
            if page.total == nil && page.tasks.count < limit { return }
        }
    }

    // MARK: - task_list: by id

    /// The tasks with these ids that Globus shows this identity, via
    /// `GET task_list?filter=task_id:ID1,ID2,…` in as few requests as keep each URL under
    /// ``GlobusConfiguration/maxURLLength`` (about 200 UUIDs per request). Missing ids are
    /// simply absent from the answer. Up to ``byIDConcurrency`` requests run at once (past the
    /// first 1,000 tasks of a large state directory, one after another took seconds per sweep);
    /// the answer keeps the order of `ids`' chunks.
    public func tasks(ids: [String]) async throws -> [GlobusTask] {
        let chunks = idChunks(ids)
        let width = max(1, min(Self.byIDConcurrency, chunks.count))
        var pages = [[GlobusTask]](repeating: [], count: chunks.count)
        try await withThrowingTaskGroup(of: (Int, [GlobusTask]).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                let chunk = chunks[index]
                group.addTask {
                    let page = try await getDecoded(
                        GlobusTaskListPage.self, "task_list", query: byIDQuery(chunk),
                        operation: "looking up \(chunk.count) Globus tasks by id (request \(index + 1)/\(chunks.count))")
                    return (index, page.tasks)
                }
            }
            while next < width { start() }
            while let (index, tasks) = try await group.next() {
                pages[index] = tasks
                if next < chunks.count { start() }
            }
        }
        return pages.flatMap { $0 }
    }

    /// How many by-id lookups ``tasks(ids:)`` runs at once: a few, well under Globus's rate
    /// limits, so 9,000 tasks past the first 1,000 cost the time of ~12 requests, not 45.
    public static let byIDConcurrency = 4

    /// The query for one by-id lookup.
    func byIDQuery(_ ids: [String]) -> [(String, String)] {
        var query = [("filter", "task_id:" + ids.joined(separator: ",")), ("limit", String(configuration.pageLimit))]
        if configuration.limitTaskFields { query.append(("fields", GlobusTask.fieldList)) }
        return query
    }

    /// Splits ids so each by-id URL stays within the limit and each chunk within one page.
    func idChunks(_ ids: [String]) -> [[String]] {
        let overhead = Self.url(configuration.transferEndpoint("task_list"), query: byIDQuery([])).utf8.count
        let budget = configuration.maxURLLength - overhead
        var chunks = [[String]]()
        var current = [String]()
        var used = 0  // bytes of the ids joined by ","
        for id in ids {
            let length = PercentEncoding.query(id).utf8.count
            if !current.isEmpty && (used + 1 + length > budget || current.count >= configuration.pageLimit) {
                chunks.append(current)
                current = []
            }
            used = current.isEmpty ? length : used + 1 + length
            current.append(id)
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    // MARK: - task/{id}

    /// `GET task/{id}`.
    /// - Throws: ``GlobusError/taskNotFound(taskID:identity:requestID:)`` (permanent) when Globus
    ///   answers 404: another identity submitted the task, or it never existed.
    public func task(id: String) async throws -> GlobusTask {
        let operation = "reading Globus task \(id)"
        do {
            return try await getDecoded(GlobusTask.self, "task/" + PercentEncoding.pathSegment(id), operation: operation)
        } catch GlobusError.service(_, 404, let code, _, let requestID) where code.contains("NotFound") {
            throw GlobusError.taskNotFound(taskID: id, identity: tokens.identity, requestID: requestID)
        }
    }
}
