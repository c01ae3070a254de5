@testable import CopyPTSweep
import Foundation

/// An in-memory Globus: task statuses and delivered paths set by the test; counts calls.
final class FakeTaskSource: TaskStatusSource, @unchecked Sendable {
    private let lock = NSLock()
    private var statusByTask: [String: TaskStatus] = [:]
    private var pathsByTask: [String: [String]] = [:]
    private var historyGone: Set<String> = []
    private var statusError: SweepError?
    private(set) var statusCalls = 0
    private(set) var deliveredCalls = 0
    /// Runs at each status call, before it answers (to change the state directory mid-sweep).
    var onStatuses: (@Sendable () -> Void)?

    func set(_ taskID: String, _ state: TaskStatus.State, niceStatus: String? = nil, fatalError: String? = nil) {
        lock.withLock { statusByTask[taskID] = TaskStatus(state: state, niceStatus: niceStatus, fatalError: fatalError) }
    }

    func deliver(_ taskID: String, _ paths: [String]) {
        lock.withLock { pathsByTask[taskID] = paths }
    }

    func forgetHistory(_ taskID: String) {
        lock.withLock { _ = historyGone.insert(taskID) }
    }

    func failStatuses(with error: SweepError?) {
        lock.withLock { statusError = error }
    }

    func statuses(for taskIDs: [String]) async throws -> [String: TaskStatus] {
        onStatuses?()
        return try lock.withLock {
            statusCalls += 1
            if let statusError { throw statusError }
            var result: [String: TaskStatus] = [:]
            for id in taskIDs { result[id] = statusByTask[id] }
            return result
        }
    }

    func deliveredPaths(taskID: String, onPage: ([String]) async throws -> Void) async throws -> Bool {
        let (gone, paths): (Bool, [String]) = lock.withLock {
            deliveredCalls += 1
            return (historyGone.contains(taskID), pathsByTask[taskID] ?? [])
        }
        if gone { return false }
        var start = 0
        while start < paths.count {
            try await onPage(Array(paths[start..<min(start + 3, paths.count)]))
            start += 3
        }
        return true
    }
}
