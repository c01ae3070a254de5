import CopyPTRecords
import Foundation

extension Sweeper {
    // MARK: - One transfer's copy

    /// Copies one transfer under its lock: a `waiting` one whose task succeeded becomes
    /// `copying` first (under the same lock), then ``TransferCopy`` copies, and the record ends
    /// `done`, `failed` (permanent error) or stays `copying` (transient error, retried next sweep).
    func copyTransfer(_ loaded: TransferRecord, onEvent: @escaping @Sendable (SweepEvent) -> Void) async -> CopyOutcome {
        if configuration.dryRun {
            do {
                let objects = try await objectStores.store(for: loaded.options.profile)
                return await dryRunCopy(loaded, objects: objects, onEvent: onEvent)
            } catch {
                let failure = Self.sweepError(error)
                onEvent(.runError(failure))
                return CopyOutcome(error: failure)
            }
        }
        let journalPath = store.journalURL(for: loaded.id).path
        var outcome = CopyOutcome()
        do {
            let result = try await store.withLock(loaded.id) { record -> Bool in
                guard record.state == .copying || (record.state == .waiting && loaded.state == .waiting) else {
                    outcome.record = record
                    return false
                }
                // The S3 side is made only for a transfer this sweep holds: a busy one costs nothing,
                // and without credentials the transfer keeps its state.
                let objects: any ObjectStore
                do {
                    objects = try await objectStores.store(for: record.options.profile)
                } catch {
                    outcome.error = Self.sweepError(error)
                    outcome.record = record
                    return true
                }
                let now = configuration.now()
                if record.state == .waiting {
                    record.state = .copying
                    record.globusStatus = GlobusStatusSeen(status: TaskStatus.State.succeeded.rawValue, at: now)
                    record.lastError = nil
                    record.attempts = 0
                    record.transientTrouble = nil
                    record.touch(at: now)
                    try store.save(record)
                }
                let copy = TransferCopy(
                    store: store, configuration: configuration, tasks: tasks, objects: objects,
                    journalPath: journalPath, onEvent: onEvent, logger: logger)
                var counts = CopyCounts()
                do {
                    switch try await batchOutcome(&record, copy: copy, counts: &counts) {
                    case .direct:
                        try await copy.run(&record, counts: &counts)
                    case .pending:
                        // The Batch Operations job is still running: look again next sweep.
                        outcome.objectsCopied = counts.objects
                        outcome.bytesCopied = counts.bytes
                        if loaded.state != record.state {
                            outcome.change = SweepStateChange(id: record.id, label: record.label, from: loaded.state, to: record.state)
                        }
                        outcome.record = record
                        return true
                    case .done:
                        break
                    }
                    outcome.objectsCopied = counts.objects
                    outcome.bytesCopied = counts.bytes
                    record.state = .done
                    record.lastError = nil
                    record.attempts = 0
                    record.transientTrouble = nil
                    record.touch(at: configuration.now())
                    outcome.change = SweepStateChange(
                        id: record.id, label: record.label, from: loaded.state, to: .done,
                        objects: record.progress.objectsDone, bytes: record.progress.bytesDone)
                } catch {
                    let failure = Self.sweepError(error)
                    outcome.error = failure
                    outcome.objectsCopied = counts.objects
                    outcome.bytesCopied = counts.bytes
                    let now = configuration.now()
                    Self.record(failure, in: &record, loadedState: loaded.state, at: now, outcome: &outcome)
                    switch failure.kind {
                    case .transient:
                        // Objects copied in this run: not an outage, a new run of trouble starts now.
                        if counts.objects > 0 { record.transientTrouble = nil }
                        if noteTransient(&record, at: now) {
                            outcome.error = persisting(failure, since: record.transientTrouble?.since, now: now)
                        } else {
                            outcome.quiet = true
                        }
                    case .permanent:
                        record.transientTrouble = nil
                    case .configuration:
                        break
                    }
                }
                outcome.record = record
                return true
            }
            guard let copied = result.value else {
                reportBusy(loaded, onEvent: onEvent)
                return CopyOutcome(busy: true)
            }
            if copied, outcome.record?.state == .done {
                try? CopyJournal.remove(path: journalPath)
            }
        } catch {
            let failure = Self.sweepError(error)
            outcome.error = outcome.error ?? failure
        }
        report(outcome, loaded: loaded, onEvent: onEvent)
        return outcome
    }

    /// Notes `failure` in `record`: permanent → `failed`; transient → same state, attempts + 1;
    /// configuration → unchanged.
    static func record(_ failure: SweepError, in record: inout TransferRecord, loadedState: TransferState, at now: Date, outcome: inout CopyOutcome) {
        switch failure.kind {
        case .permanent:
            record.state = .failed
            record.lastError = RecordedError(code: failure.code, message: failure.description, at: now, transient: false)
            record.touch(at: now)
            outcome.change = SweepStateChange(
                id: record.id, label: record.label, from: loadedState, to: .failed, reason: failure.description)
        case .transient:
            record.lastError = RecordedError(code: failure.code, message: failure.description, at: now, transient: true)
            record.attempts = record.nextAttempt
            record.touch(at: now)
            if loadedState != record.state {
                outcome.change = SweepStateChange(id: record.id, label: record.label, from: loadedState, to: record.state)
            }
        case .configuration:
            break
        }
    }

    /// Sends the events for a finished copy attempt.
    func report(_ outcome: CopyOutcome, loaded: TransferRecord, onEvent: @Sendable (SweepEvent) -> Void) {
        if let change = outcome.change { onEvent(.stateChanged(change)) }
        guard let error = outcome.error else { return }
        switch error.kind {
        case .transient:
            if outcome.quiet {
                logger.debug("\(loaded.id): transient trouble kept quiet (under \(DurationText.format(configuration.quietTransientFor)) old): \(error)")
            } else {
                onEvent(.transientError(id: loaded.id, label: loaded.label, error: error))
            }
        case .configuration: onEvent(.runError(error))
        case .permanent: break  // the state change carries the reason
        }
    }

    /// Dry run: plans the copy read-only and says what it would do.
    func dryRunCopy(_ loaded: TransferRecord, objects: any ObjectStore, onEvent: @escaping @Sendable (SweepEvent) -> Void) async -> CopyOutcome {
        let copy = TransferCopy(
            store: store, configuration: configuration, tasks: tasks, objects: objects,
            journalPath: store.journalURL(for: loaded.id).path, onEvent: onEvent, logger: logger)
        var record = loaded
        do {
            let plan = try await copy.dryRun(&record)
            onEvent(.wouldCopy(id: loaded.id, label: loaded.label, objects: plan.objects, bytes: plan.bytes, alreadyDone: plan.alreadyDone))
            onEvent(.stateChanged(SweepStateChange(
                id: loaded.id, label: loaded.label, from: loaded.state, to: .done,
                objects: plan.objects, bytes: plan.bytes, dryRun: true)))
            return CopyOutcome()
        } catch {
            let failure = Self.sweepError(error)
            var outcome = CopyOutcome(error: failure)
            Self.record(failure, in: &record, loadedState: loaded.state, at: configuration.now(), outcome: &outcome)
            outcome.change?.dryRun = true
            report(outcome, loaded: loaded, onEvent: onEvent)
            outcome.record = nil
            return outcome
        }
    }
}
