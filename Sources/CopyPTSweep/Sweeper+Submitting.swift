import CopyPTRecords
import Foundation

extension Sweeper {
    // MARK: - Submitting transfers (`copypt transfer`)

    /// Submits the Globus task of every `submitting` record, one after another, each under its
    /// lock and with the `submission_id` the record holds, so a run killed anywhere (even between
    /// Globus's answer and the record's update) is finished here without a second task.
    /// - Returns: `records` with those accepted now `waiting` (and their task ids), for the rest
    ///   of the sweep to check at once.
    func submitPending(
        _ records: [TransferRecord], report: inout SweepReport, latest: inout [String: RecordTally],
        onEvent: @escaping @Sendable (SweepEvent) -> Void
    ) async -> [TransferRecord] {
        guard records.contains(where: { $0.state == .submitting }) else { return records }
        var updated = records
        for index in updated.indices where updated[index].state == .submitting {
            let outcome = await submitTransfer(updated[index], onEvent: onEvent)
            outcome.merge(into: &report, latest: &latest)
            if let record = outcome.record { updated[index] = record }
        }
        return updated
    }

    /// Submits the `submitting` records among `ids` and nothing else (what `copypt transfer`
    /// runs once it has written the record).
    /// - Returns: the report of this step alone; ``SweepReport/exitStatus`` as for a sweep.
    public func submit(ids: Set<String>, onEvent: @escaping @Sendable (SweepEvent) -> Void) async -> SweepReport {
        var report = SweepReport(startedAt: configuration.now())
        var latest: [String: RecordTally] = [:]
        for id in ids.sorted() {
            let loaded: TransferRecord
            do {
                loaded = try store.load(id)
            } catch {
                let failure = Self.sweepError(error)
                onEvent(.runError(failure))
                CopyOutcome(error: failure).merge(into: &report, latest: &latest)
                continue
            }
            guard loaded.state == .submitting else { continue }
            await submitTransfer(loaded, onEvent: onEvent).merge(into: &report, latest: &latest)
        }
        for tally in latest.values { report.transfersByState[tally.state, default: 0] += 1 }
        return report
    }

    /// One submission under the record's lock: accepted → `waiting` with the task id; a
    /// permanent refusal → `failed`; transient or a person's action needed → stays `submitting`.
    func submitTransfer(_ loaded: TransferRecord, onEvent: @escaping @Sendable (SweepEvent) -> Void) async -> CopyOutcome {
        if configuration.dryRun {
            onEvent(.note(id: loaded.id, label: loaded.label, message: "would submit its Globus transfer (submission \(loaded.submission?.submissionID ?? "-"))"))
            return CopyOutcome()
        }
        var outcome = CopyOutcome()
        do {
            let result = try await store.withLock(loaded.id) { record -> Void in
                outcome.record = record
                guard record.state == .submitting else { return }
                let now: Date
                do {
                    let taskID = try await tasks.submit(record)
                    now = configuration.now()
                    record.accept(taskID: taskID, at: now)
                    outcome.change = SweepStateChange(id: record.id, label: record.label, from: .submitting, to: .waiting)
                } catch {
                    let failure = Self.sweepError(error)
                    outcome.error = failure
                    now = configuration.now()
                    Self.record(failure, in: &record, loadedState: .submitting, at: now, outcome: &outcome)
                    switch failure.kind {
                    case .transient:
                        if !noteTransient(&record, at: now) { outcome.quiet = true }
                    case .configuration:
                        // A person must act (consent, login): kept on the record for `status`.
                        record.lastError = RecordedError(code: failure.code, message: failure.description, at: now, transient: false)
                        record.touch(at: now)
                    case .permanent:
                        break
                    }
                }
                outcome.record = record
            }
            if result.value == nil {
                reportBusy(loaded, onEvent: onEvent)
                return CopyOutcome(busy: true)
            }
        } catch {
            let failure = Self.sweepError(error)
            outcome.error = failure
            onEvent(failure.kind == .configuration ? .runError(failure) : .transientError(id: loaded.id, label: loaded.label, error: failure))
            return outcome
        }
        report(outcome, loaded: loaded, onEvent: onEvent)
        return outcome
    }
}
