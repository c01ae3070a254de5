import CopyPTGlobus
import CopyPTRecords

/// The real ``TaskStatusSource``: Globus Transfer through ``GlobusTransferClient``, with its
/// errors turned into ``SweepError``s.
public struct GlobusTaskStatusSource: TaskStatusSource {
    /// The Transfer client.
    public let client: GlobusTransferClient
    /// Paths handed to `onPage` at a time. Default 1,000 (a Globus page).
    public var pageSize: Int

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
        for (id, result) in results {
            guard let task = result.task else { continue }
            statuses[id] = Self.status(of: task)
        }
        return statuses
    }

    /// Streams `successful_transfers`; `false` when Globus no longer has the history.
    public func deliveredPaths(taskID: String, onPage: ([String]) async throws -> Void) async throws -> Bool {
        var page: [String] = []
        page.reserveCapacity(pageSize)
        do {
            var transfers = client.successfulTransfers(taskID: taskID).makeAsyncIterator()
            while let delivered = try await transfers.nextPage() {
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

    // MARK: - Mapping

    /// The sweep's view of a task document. An unknown status is taken as still running.
    static func status(of task: GlobusTask) -> TaskStatus {
        let state = TaskStatus.State(rawValue: task.status.rawValue) ?? .active
        // Globus relays endpoint errors verbatim, often several lines: records and cron mail get
        // one, short enough to read.
        let fatal = task.fatalError.map { shortLine("\($0.code): \($0.description)") }
        return TaskStatus(state: state, niceStatus: task.niceStatus.map(shortLine), fatalError: fatal)
    }

    /// `text` on one line, at most 200 characters (`…` when cut).
    static func shortLine(_ text: String) -> String {
        let line = RecordedError.oneLine(text)
        return line.count <= 200 ? line : String(line.prefix(199)) + "…"
    }

    /// A Globus error as a ``SweepError``: retryable → transient; login, consents and settings →
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
            case .configuration, .tokenFile, .malformedTokenFile, .clientAuthenticationFailed, .oauth,
                 .authorizationRequired:
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
        case .authorizationRequired(_, _, let requirement): return requirement.code
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
