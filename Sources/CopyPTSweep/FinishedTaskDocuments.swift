import CopyPTGlobus
import Foundation

/// The task documents of the SUCCEEDED tasks a sweep just listed, kept so the copy that follows
/// lists their files with ``GlobusTransferClient/successfulTransfers(of:)`` instead of asking
/// for each document again (scripts/bench P3 counted one extra `task/{id}` per finished task).
/// Replaced at every status call, so it holds one sweep's finished tasks at most.
final class FinishedTaskDocuments: @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: GlobusTask] = [:]

    /// Keeps `tasks`, forgetting those kept before.
    func keep(_ tasks: [GlobusTask]) {
        let byID = Dictionary(tasks.map { ($0.taskID, $0) }, uniquingKeysWith: { first, _ in first })
        lock.withLock { documents = byID }
    }

    /// The document of `taskID`, when the last status call saw it succeed.
    func document(_ taskID: String) -> GlobusTask? {
        lock.withLock { documents[taskID] }
    }
}
