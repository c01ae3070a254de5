import CopyPTRecords
import Foundation

extension Sweeper {
    // MARK: - Waiting transfers

    /// Asks Globus about every `waiting` record in one batched `statuses(for:)` call and applies
    /// each decision under the record's lock.
    /// - Returns: the records whose task SUCCEEDED (as loaded; still `waiting` on disk), to copy.
    func checkWaiting(
        _ records: [TransferRecord], report: inout SweepReport, latest: inout [String: RecordTally],
        onEvent: @escaping @Sendable (SweepEvent) -> Void
    ) async -> [TransferRecord] {
        // A view, not a copy: 10,000 loaded records are megabytes (scripts/bench P3).
        let waiting = records.lazy.filter { $0.state == .waiting }
        var seen = Set<String>()
        var taskIDs: [String] = []
        for record in waiting where seen.insert(record.globusTaskID).inserted {
            taskIDs.append(record.globusTaskID)
        }
        guard !taskIDs.isEmpty else { return [] }
        let statuses: [String: TaskStatus]
        do {
            statuses = try await tasks.statuses(for: taskIDs)
        } catch {
            let failure = Self.sweepError(error)
            if failure.kind == .transient {
                if let reported = noteTransientRun(failure, waiting: Array(waiting)) { onEvent(.runError(reported)) }
            } else {
                onEvent(.runError(failure))
            }
            CopyOutcome(error: failure).merge(into: &report, latest: &latest)
            return []
        }
        let now = configuration.now()
        var succeeded: [TransferRecord] = []
        for record in waiting {
            let status = statuses[record.globusTaskID]
            let decision = WaitingDecision.decide(
                record, status: status, giveUpAfter: configuration.giveUpAfter, now: now)
            switch decision {
            case .unchanged, .attention, .recovered:
                let health = await globusHealth(of: record, status: status, now: now)
                if decision == .unchanged && health == nil {
                    clearTransientTrouble(record)
                    continue
                }
                apply(decision, to: record, health: health, now: now, onEvent: onEvent).merge(into: &report, latest: &latest)
            case .copy:
                succeeded.append(record)
            case .fail:
                apply(decision, to: record, now: now, onEvent: onEvent).merge(into: &report, latest: &latest)
            }
        }
        return succeeded
    }

    /// The Globus health to write for a waiting record, or `nil` when nothing a person would
    /// care about changed (the common case: no write, no request). Only a task entering the
    /// faulting or paused class costs one more request, for the latest fault or the pause reason;
    /// if that request fails, the class is written without the detail.
    func globusHealth(of record: TransferRecord, status: TaskStatus?, now: Date) async -> GlobusHealth? {
        guard let status, status.state == .active || status.state == .inactive else { return nil }
        let stallAfter = configuration.stallAfter
        let check = GlobusHealthCheck.assess(record, status: status, stallAfter: stallAfter, now: now)
        guard check.write else { return nil }
        var fault: String?
        var pause: String?
        if check.fetchDetail && !configuration.dryRun {
            switch check.health.class {
            case .faulting: fault = try? await tasks.latestFault(taskID: record.globusTaskID)
            case .paused: pause = try? await tasks.pauseReason(taskID: record.globusTaskID)
            default: break
            }
        }
        return check.finished(fault: fault, pause: pause, stallAfter: stallAfter, now: now)
    }

    /// Writes one decision under the record's lock (nothing in a dry run).
    func apply(
        _ decision: WaitingDecision, to loaded: TransferRecord, health: GlobusHealth? = nil, now: Date,
        onEvent: @Sendable (SweepEvent) -> Void
    ) -> CopyOutcome {
        if configuration.dryRun {
            if case .fail(let error) = decision {
                onEvent(.stateChanged(SweepStateChange(
                    id: loaded.id, label: loaded.label, from: .waiting, to: .failed, reason: error.description, dryRun: true)))
            } else if case .attention(let niceStatus) = decision {
                onEvent(.needsAttention(id: loaded.id, label: loaded.label, taskID: loaded.globusTaskID, niceStatus: niceStatus))
            }
            return CopyOutcome()
        }
        do {
            let result = try store.withLock(loaded.id) { record -> CopyOutcome in
                guard record.state == .waiting else { return CopyOutcome(record: record) }
                record.transientTrouble = nil
                if let health {
                    record.globusHealth = health
                    record.touch(at: now)
                }
                switch decision {
                case .attention(let niceStatus):
                    record.globusStatus = GlobusStatusSeen(status: TaskStatus.State.inactive.rawValue, niceStatus: niceStatus, at: now)
                    record.touch(at: now)
                case .recovered:
                    record.globusStatus = GlobusStatusSeen(status: TaskStatus.State.active.rawValue, at: now)
                    record.touch(at: now)
                case .fail(let error):
                    if case .globusTaskFailed = error {
                        record.globusStatus = GlobusStatusSeen(status: TaskStatus.State.failed.rawValue, at: now)
                    }
                    record.state = .failed
                    record.lastError = RecordedError(code: error.code, message: error.description, at: now, transient: false)
                    record.touch(at: now)
                    let change = SweepStateChange(id: record.id, label: record.label, from: .waiting, to: .failed, reason: error.description)
                    return CopyOutcome(record: record, change: change, error: error)
                case .unchanged, .copy:
                    break
                }
                return CopyOutcome(record: record)
            }
            guard let outcome = result.value else {
                reportBusy(loaded, onEvent: onEvent)
                return CopyOutcome(busy: true)
            }
            if let change = outcome.change {
                onEvent(.stateChanged(change))
            } else if case .attention(let niceStatus) = decision, outcome.record?.state == .waiting {
                onEvent(.needsAttention(id: loaded.id, label: loaded.label, taskID: loaded.globusTaskID, niceStatus: niceStatus))
            }
            return outcome
        } catch {
            let failure = Self.sweepError(error)
            if failure.kind == .configuration {
                onEvent(.runError(failure))
            } else {
                onEvent(.transientError(id: loaded.id, label: loaded.label, error: failure))
            }
            return CopyOutcome(error: failure)
        }
    }

    /// `error` as a ``SweepError`` (adapters throw those; a record error is classified by
    /// ``stateDirectoryError(_:)``; anything else is taken as transient).
    public static func sweepError(_ error: any Error) -> SweepError {
        if let error = error as? SweepError { return error }
        if let error = error as? RecordError { return stateDirectoryError(error) }
        if error is CancellationError {
            return .remote(code: "Cancelled", message: "the sweep was cancelled", kind: .transient)
        }
        return .remote(code: "Error", message: RecordedError.oneLine("\(error)"), kind: .transient)
    }

    /// A record error as a ``SweepError``: a file-system failure that needs a person (permissions,
    /// a read-only file system, a symbolic link, no working `flock`, an unsafe state directory)
    /// is a configuration error, exit 2 naming the path, not a transient one retried for ever;
    /// a full disk and I/O errors are transient. A record that vanished or changed under the
    /// sweep is transient: the next sweep sees it as it is.
    public static func stateDirectoryError(_ error: RecordError) -> SweepError {
        let kind: SweepError.Kind
        switch error {
        case .io, .lockFailed, .unsafeDirectory: kind = error.isTransient ? .transient : .configuration
        default: kind = .transient
        }
        return .remote(code: "StateDirectory", message: RecordedError.oneLine(error.description), kind: kind)
    }
}
