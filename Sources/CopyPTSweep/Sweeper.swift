import CopyPTRecords
import Foundation
import Logging

/// One sweep over the state directory: asks Globus about every `waiting` transfer in batched
/// calls, records what changed, and copies the transfers whose task succeeded, each under its
/// record's lock, journalling as it goes so a kill at any instant loses nothing.
///
/// The sweep reads every record without locks, and locks a record only when about to change
/// it, re-loading it under the lock and re-checking its state first; a record another sweep
/// holds is skipped. A record whose nothing changed is not rewritten.
public struct Sweeper: Sendable {
    /// The records.
    public let store: RecordStore
    /// How the sweep runs.
    public let configuration: SweepConfiguration
    let tasks: any TaskStatusSource
    let objectStores: ObjectStoreCache
    let batchServices: BatchServiceFactory?
    let logger: Logger

    /// A sweeper.
    /// - Parameters:
    ///   - store: the state directory's records.
    ///   - configuration: dry run, give-up time, batch size, clock.
    ///   - tasks: Globus task statuses and delivered paths (``GlobusTaskStatusSource``).
    ///   - objectStores: makes the S3 side for an AWS profile (``S3ObjectStore``); called once per
    ///     profile per sweeper, and only when there is something to copy.
    ///   - batchServices: makes the S3 Batch Operations side for an AWS profile
    ///     (``S3BatchService``), asked only for transfers that may go to Batch Operations;
    ///     default `nil` (every transfer is copied directly).
    ///   - logger: debug and info messages; events go to `onEvent` instead.
    public init(
        store: RecordStore,
        configuration: SweepConfiguration = SweepConfiguration(),
        tasks: any TaskStatusSource,
        objectStores: @escaping ObjectStoreFactory,
        batchServices: BatchServiceFactory? = nil,
        logger: Logger
    ) {
        self.batchServices = batchServices
        self.store = store
        self.configuration = configuration
        self.tasks = tasks
        self.objectStores = ObjectStoreCache(factory: objectStores)
        self.logger = logger
    }

    /// Runs one sweep.
    /// - Parameter onEvent: called for every event as it happens, possibly from several tasks.
    /// - Returns: what the sweep did; ``SweepReport/exitStatus`` is the status for cron.
    public func sweep(onEvent deliver: @escaping @Sendable (SweepEvent) -> Void) async -> SweepReport {
        let filter = RunErrorFilter()
        let onEvent: @Sendable (SweepEvent) -> Void = { event in
            if filter.shouldPass(event) { deliver(event) }
        }
        let clock = ContinuousClock()
        let started = clock.now
        var report = SweepReport(startedAt: configuration.now())
        var listing: RecordListing
        do {
            listing = try store.loadAll()
        } catch {
            onEvent(.runError(.remote(code: "StateDirectory", message: "\(error)", kind: .configuration)))
            report.configurationErrors += 1
            return report
        }
        if let only = configuration.onlyIDs {
            listing.records.removeAll { !only.contains($0.id) }
            listing.problems.removeAll { problem in !only.contains { problem.fileName.hasPrefix($0 + ".") } }
        }
        for problem in listing.problems {
            onEvent(.unreadableRecord(fileName: problem.fileName, reason: problem.description))
        }
        report.unreadableRecords = listing.problems.count
        report.notificationsPending = listing.records.filter { $0.notifications?.pending.isEmpty == false }.map(\.id)
        var latest = [String: RecordTally](minimumCapacity: listing.records.count)
        for record in listing.records { latest[record.id] = RecordTally(record) }

        let records = await submitPending(listing.records, report: &report, latest: &latest, onEvent: onEvent)
        let succeeded = await checkWaiting(records, report: &report, latest: &latest, onEvent: onEvent)
        let toCopy = records.filter { $0.state == .copying } + succeeded
        await copyAll(toCopy, report: &report, latest: &latest, onEvent: onEvent)

        for tally in latest.values {
            report.transfersByState[tally.state, default: 0] += 1
            if let globusClass = tally.globusClass { report.waitingByGlobusClass[globusClass, default: 0] += 1 }
            report.objectsDoneAllTime = Saturating.add(report.objectsDoneAllTime, tally.objectsDone)
            report.bytesDoneAllTime = Saturating.add(report.bytesDoneAllTime, tally.bytesDone)
        }
        let elapsed = clock.now - started
        report.duration = elapsed.timeInterval
        report.concurrency = await objectStores.concurrency
        return report
    }

    // MARK: - Copying

    /// Copies `records` (at most ``SweepConfiguration/parallelTransfers`` at once).
    func copyAll(
        _ records: [TransferRecord], report: inout SweepReport, latest: inout [String: RecordTally],
        onEvent: @escaping @Sendable (SweepEvent) -> Void
    ) async {
        guard !records.isEmpty else { return }
        await withTaskGroup(of: CopyOutcome.self) { group in
            var next = records.startIndex
            func addNext() {
                guard next < records.endIndex else { return }
                let record = records[next]
                next += 1
                group.addTask { await copyTransfer(record, onEvent: onEvent) }
            }
            for _ in 0..<configuration.parallelTransfers { addNext() }
            while let outcome = await group.next() {
                outcome.merge(into: &report, latest: &latest)
                addNext()
            }
        }
    }
}
