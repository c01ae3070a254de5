import CopyPTHTTP

/// The files a task delivered, fetched one page at a time as they are consumed
/// (`GET task/{id}/successful_transfers?marker=…`, following `next_marker` until null).
///
/// At most one page is held in memory, so a 100,000-file task is streamed, not loaded.
/// Iterating throws ``GlobusError/historyUnavailable(taskID:detail:)`` when Globus no longer
/// has the task's per-file history (the caller then lists the staging prefix instead), and
/// ``GlobusError/taskNotFound(taskID:identity:requestID:)`` when the task is not visible.
/// When a page is refused (404, 409, 410), the task document decides which it is: only a task
/// whose document says `history_deleted` counts as history gone; otherwise iterating throws
/// ``GlobusError/deliveredListUnavailable(taskID:detail:)`` (transient). A `next_marker` met a
/// second time throws ``GlobusError/repeatedPage(operation:detail:)`` instead of looping, and an
/// empty list for a task that transferred files is judged by the task document the same way.
public struct GlobusSuccessfulTransfers: AsyncSequence, Sendable {
    public typealias Element = SuccessfulTransfer

    let client: GlobusTransferClient
    /// The task.
    public let taskID: String
    /// Files the task document says were transferred; when > 0 and Globus lists none, the
    /// history is treated as gone.
    let expectedFiles: Int?
    /// `history_deleted` from the task document: fail before any request.
    let historyDeleted: Bool

    /// Creates the iterator.
    public func makeAsyncIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Reads pages lazily.
    public struct Iterator: AsyncIteratorProtocol {
        let sequence: GlobusSuccessfulTransfers
        var buffer: [SuccessfulTransfer] = []
        var index = 0
        var marker: String?
        var started = false
        var finished = false
        var delivered = 0
        var markersSeen = Set<String>()

        /// The next delivered file, or `nil` after the last page.
        public mutating func next() async throws -> SuccessfulTransfer? {
            guard try await fill() else { return nil }
            defer { index += 1 }
            return buffer[index]
        }

        /// The files of the current page not yet returned, or the next page's; `nil` after the
        /// last page. For callers that take a page at a time (one call, not one per file).
        public mutating func nextPage() async throws -> ArraySlice<SuccessfulTransfer>? {
            guard try await fill() else { return nil }
            defer { index = buffer.count }
            return buffer[index...]
        }

        /// Fetches pages until one has a file not yet returned; `false` after the last page.
        private mutating func fill() async throws -> Bool {
            while index >= buffer.count {
                if finished { return false }
                if !started, sequence.historyDeleted {
                    finished = true
                    throw GlobusError.historyUnavailable(
                        taskID: sequence.taskID, detail: "Globus deleted the task's per-file history (history_deleted)")
                }
                let page = try await fetch()
                started = true
                buffer = page.transfers
                index = 0
                marker = page.nextMarker
                if let current = page.marker { markersSeen.insert(current) }
                if let next = page.nextMarker {
                    // A marker already read would read the same pages again, for ever.
                    guard markersSeen.insert(next).inserted else {
                        finished = true
                        throw GlobusError.repeatedPage(
                            operation: "listing the files Globus task \(sequence.taskID) delivered",
                            detail: "next_marker \(next) a second time")
                    }
                } else {
                    finished = true
                }
                delivered += buffer.count
                if finished, delivered == 0 { try await checkNothingListed() }
            }
            return true
        }

        /// Globus listed no file: right for a task that transferred none. Otherwise the task
        /// document decides as for a refused list: history deleted → the caller lists staging;
        /// history kept → a transient error, never "nothing was delivered".
        private mutating func checkNothingListed() async throws {
            var transferred = sequence.expectedFiles
            var historyDeleted = false
            if transferred == nil {
                let task = try await sequence.client.task(id: sequence.taskID)
                transferred = task.filesTransferred
                historyDeleted = task.historyDeleted
            }
            guard let transferred, transferred > 0 else { return }
            let detail = "Globus lists no successful transfers although the task transferred \(transferred) files"
            if historyDeleted {
                throw GlobusError.historyUnavailable(taskID: sequence.taskID, detail: detail + ", and the task document says history_deleted")
            }
            throw GlobusError.deliveredListUnavailable(taskID: sequence.taskID, detail: detail)
        }

        /// The next page. When Globus says the list is unavailable (404 other than
        /// `TaskNotFound`, 409, 410), the task document decides: history deleted → the caller
        /// lists staging instead; history kept → a transient error, never a copy of everything.
        private mutating func fetch() async throws -> SuccessfulTransfersPage {
            do {
                return try await sequence.client.successfulTransfersPage(taskID: sequence.taskID, marker: started ? marker : nil)
            } catch GlobusError.historyUnavailable(let taskID, let detail) {
                finished = true
                let task = try await sequence.client.task(id: taskID)
                if task.historyDeleted {
                    throw GlobusError.historyUnavailable(
                        taskID: taskID, detail: "\(detail), and the task document says history_deleted")
                }
                throw GlobusError.deliveredListUnavailable(
                    taskID: taskID, detail: "\(detail), yet the task is \(task.status) and its history kept")
            }
        }
    }
}

extension GlobusTransferClient {
    /// Streams the files task `taskID` delivered.
    public func successfulTransfers(taskID: String) -> GlobusSuccessfulTransfers {
        GlobusSuccessfulTransfers(client: self, taskID: taskID, expectedFiles: nil, historyDeleted: false)
    }

    /// Streams the files `task` delivered, using its document to detect lost history early:
    /// `history_deleted` fails before any request, and an empty list for a task that
    /// transferred files fails at the end (transient) without asking for the document again.
    public func successfulTransfers(of task: GlobusTask) -> GlobusSuccessfulTransfers {
        GlobusSuccessfulTransfers(
            client: self, taskID: task.taskID, expectedFiles: task.filesTransferred, historyDeleted: task.historyDeleted)
    }

    /// One page of `GET task/{id}/successful_transfers`, starting at `marker` (`nil` for the first).
    ///
    /// Globus documents no answer for a task still running or whose history is gone; copypt
    /// treats 409 and 410, and a 404 other than `TaskNotFound`, as
    /// ``GlobusError/historyUnavailable(taskID:detail:)``.
    public func successfulTransfersPage(taskID: String, marker: String?) async throws -> SuccessfulTransfersPage {
        let operation = "listing the files Globus task \(taskID) delivered" + (marker.map { " (marker \($0))" } ?? "")
        do {
            return try await getDecoded(
                SuccessfulTransfersPage.self, "task/\(PercentEncoding.pathSegment(taskID))/successful_transfers",
                query: marker.map { [("marker", $0)] } ?? [], operation: operation,
                pullReading: SuccessfulTransfersPage.init(pullReading:))
        } catch GlobusError.service(_, let status, let code, let message, let requestID)
            where status == 404 || status == 409 || status == 410 {
            if status == 404 && code == "TaskNotFound" {
                throw GlobusError.taskNotFound(taskID: taskID, identity: tokens.identity, requestID: requestID)
            }
            throw GlobusError.historyUnavailable(taskID: taskID, detail: "Globus answered \(status) \(code): \(message)")
        }
    }
}

import CopyPTHTTP