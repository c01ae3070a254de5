import CopyPTGlobus
import CopyPTRecords
import Foundation

/// The real ``TaskStatusSource``: Globus Transfer through ``GlobusTransferClient``, with its
/// errors turned into ``SweepError``s.
public struct GlobusTaskStatusSource: TaskStatusSource {
    /// The Transfer client.
    public let client: GlobusTransferClient
    /// Paths handed to `onPage` at a time. Default 1,000 (a Globus page).
    public var pageSize: Int
    /// The documents of SUCCEEDED tasks from the last ``statuses(for:)``, so
    /// ``deliveredPaths(taskID:onPage:)`` need not ask for `task/{id}` again.
    private let finished = FinishedTaskDocuments()

    /// A source over `client`.
    public init(client: GlobusTransferClient, pageSize: Int = 1000) {
        self.client = client
        self.pageSize = max(pageSize, 1)
    }

    /// One batched ``GlobusTransferClient/statuses(for:)``; tasks Globus does not show are absent.
    public func statuses(for taskIDs: [String]) async throws -> [String: TaskStatus] {
        let results: [String: TaskStatusResult]
        do {
            results = try await client.statuses(for: taskIDs)
        } catch {
            throw Self.sweepError(error)
        }
        var statuses = [String: TaskStatus](minimumCapacity: results.count)
        var succeeded: [GlobusTask] = []
        for (id, result) in results {
            guard let task = result.task else { continue }
            statuses[id] = Self.status(of: task)
            if task.status == .succeeded { succeeded.append(task) }
        }
        finished.keep(succeeded)
        return statuses
    }

    /// Streams `successful_transfers`; `false` when Globus no longer has the history.
    public func deliveredPaths(taskID: String, onPage: ([String]) async throws -> Void) async throws -> Bool {
        var page: [String] = []
        page.reserveCapacity(pageSize)
        do {
            let transfers = finished.document(taskID).map(client.successfulTransfers(of:))
                ?? client.successfulTransfers(taskID: taskID)
            var iterator = transfers.makeAsyncIterator()
            while let delivered = try await iterator.nextPage() {
                for transfer in delivered {
                    page.append(transfer.destinationPath)
                    if page.count >= pageSize {
                        try await onPage(page)
                        page.removeAll(keepingCapacity: true)
                    }
                }
            }
        } catch GlobusError.historyUnavailable {
            return false
        } catch let error as GlobusError {
            throw Self.sweepError(error)
        }
        if !page.isEmpty { try await onPage(page) }
        return true
    }

    /// The newest error event of the task (`event_list`), one line.
    public func latestFault(taskID: String) async throws -> String? {
        do {
            return try await client.latestErrorEvent(taskID: taskID).map { Self.shortLine($0.summary) }
        } catch {
            throw Self.sweepError(error)
        }
    }

    /// Who paused the task (`pause_info`), one line.
    public func pauseReason(taskID: String) async throws -> String? {
        do {
            return try await client.pauseInfo(taskID: taskID).summary.map(Self.shortLine)
        } catch {
            throw Self.sweepError(error)
        }
    }

    // MARK: - Mapping

    /// The sweep's view of a task document. An unknown status is taken as still running.
    static func status(of task: GlobusTask) -> TaskStatus {
        let state = TaskStatus.State(rawValue: task.status.rawValue) ?? .active
        // Globus relays endpoint errors verbatim, often several lines: records and cron mail get
        // one, short enough to read.
        let fatal = task.fatalError.map { shortLine("\($0.code): \($0.description)") }
        var status = TaskStatus(state: state, niceStatus: task.niceStatus.map(shortLine), fatalError: fatal)
        status.niceStatusDetails = task.niceStatusDetails.map(shortLine)
        status.isPaused = task.isPaused
        status.faults = max(0, task.faults ?? 0)
        status.deadline = task.deadline.flatMap(RFC3339.date(from:))
        status.bytesTransferred = max(0, task.bytesTransferred ?? 0)
        status.filesTransferred = max(0, task.filesTransferred ?? 0)
        status.files = task.files
        status.subtasksTotal = task.subtasks.total
        status.subtasksSucceeded = task.subtasks.succeeded
        status.historyDeleted = task.historyDeleted
        return status
    }

    /// `text` on one line, at most 200 characters (`…` when cut).
    static func shortLine(_ text: String) -> String {
        let line = RecordedError.oneLine(text)
        return line.count <= 200 ? line : String(line.prefix(199)) + "…"
    }

    /// A Globus error as a ``SweepError``: retryable → transient; login and settings →
    /// configuration; a task not found → permanent; anything else permanent.
    static func sweepError(_ error: any Error) -> SweepError {
        guard let error = error as? GlobusError else { return Sweeper.sweepError(error) }
        let kind: SweepError.Kind
        if error.isRetryable {
            kind = .transient
        } else if error.isAuthenticationFailure {
            kind = .configuration
        } else {
            switch error {
            case .configuration, .tokenFile, .malformedTokenFile, .clientAuthenticationFailed, .oauth:
                kind = .configuration
            case .unparseableResponse, .transport:
                kind = .transient
            default:
                kind = .permanent
            }
        }
        return .remote(code: code(of: error), message: error.description, kind: kind)
    }

    private static func code(of error: GlobusError) -> String {
        switch error {
        case .service(_, _, let code, _, _): return code
        case .oauth(_, _, let code, _): return code
        case .taskNotFound: return "TaskNotFound"
        case .historyUnavailable: return "HistoryUnavailable"
        case .deliveredListUnavailable: return "DeliveredListUnavailable"
        case .repeatedPage: return "GlobusRepeatedPage"
        case .transport: return "NetworkError"
        case .notLoggedIn, .loginRequired, .noRefreshToken: return "GlobusLoginRequired"
        case .clientAuthenticationFailed: return "GlobusClientRejected"
        case .unparseableResponse: return "GlobusUnreadableResponse"
        case .configuration, .tokenFile, .malformedTokenFile: return "GlobusConfiguration"
        }
    }
}
