import CopyPTHTTP

extension GlobusTransferClient {
    // MARK: - Per-task detail, asked only for tasks in trouble

    /// The newest error event of a task: `GET task/{id}/event_list?filter=is_error:1&limit=1`
    /// (events come newest first), or `nil` when it has none.
    /// - Throws: ``GlobusError/taskNotFound(taskID:identity:requestID:)`` on 404, else ``GlobusError``.
    public func latestErrorEvent(taskID: String) async throws -> GlobusTaskEvent? {
        let operation = "reading the error events of Globus task \(taskID)"
        do {
            let page = try await getDecoded(
                GlobusTaskEventPage.self, "task/\(PercentEncoding.pathSegment(taskID))/event_list",
                query: [("filter", "is_error:1"), ("limit", "1")], operation: operation)
            return page.events.first { $0.isError } ?? page.events.first
        } catch GlobusError.service(_, 404, let code, _, let requestID) where code.contains("NotFound") {
            throw GlobusError.taskNotFound(taskID: taskID, identity: tokens.identity, requestID: requestID)
        }
    }

    /// Why a task is paused: `GET task/{id}/pause_info`.
    /// - Throws: ``GlobusError/taskNotFound(taskID:identity:requestID:)`` on 404, else ``GlobusError``.
    public func pauseInfo(taskID: String) async throws -> GlobusPauseInfo {
        let operation = "reading why Globus task \(taskID) is paused"
        do {
            return try await getDecoded(
                GlobusPauseInfo.self, "task/\(PercentEncoding.pathSegment(taskID))/pause_info", operation: operation)
        } catch GlobusError.service(_, 404, let code, _, let requestID) where code.contains("NotFound") {
            throw GlobusError.taskNotFound(taskID: taskID, identity: tokens.identity, requestID: requestID)
        }
    }
}
