import CopyPTRecords
import Foundation

extension Sweeper {
    // MARK: - Quiet transient trouble

    /// Notes a transient error met at `now` in the record's run of trouble and says whether to
    /// report it: at once when ``SweepConfiguration/quietTransientFor`` is zero; else only once the
    /// run has lasted that long, and then at most once per
    /// ``SweepConfiguration/transientReportInterval``. Cron mails whatever a sweep prints, so a
    /// network outage should be one mail once it matters, not one every five minutes.
    func noteTransient(_ record: inout TransferRecord, at now: Date) -> Bool {
        var trouble = record.transientTrouble ?? TransientTrouble(since: now)
        defer { record.transientTrouble = trouble }
        guard configuration.quietTransientFor > .zero else { return true }
        guard now.timeIntervalSince(trouble.since) >= configuration.quietTransientFor.timeInterval else { return false }
        if let last = trouble.reportedAt, now.timeIntervalSince(last) < configuration.transientReportInterval.timeInterval {
            return false
        }
        trouble.reportedAt = now
        return true
    }

    /// `error` as reported once its run of trouble has lasted: the same error, saying since when.
    func persisting(_ error: SweepError, since: Date?, now: Date) -> SweepError {
        guard configuration.quietTransientFor > .zero, let since else { return error }
        let lasted = Duration.seconds(max(Int64(now.timeIntervalSince(since)), 0))
        return .remote(
            code: error.code,
            message: "\(error.description) (failing since \(RFC3339.string(from: since)), \(DurationText.approximate(lasted)); "
                + "reported once a day while it lasts)",
            kind: .transient)
    }

    /// The Globus status call failed transiently: every waiting transfer is in trouble. Notes it
    /// in each record (written only when something changes: the first failure, a daily report),
    /// and returns the error to report, or `nil` to stay quiet.
    func noteTransientRun(_ failure: SweepError, waiting: [TransferRecord]) -> SweepError? {
        guard configuration.quietTransientFor > .zero, !configuration.dryRun else { return failure }
        let now = configuration.now()
        var earliest: Date?
        for loaded in waiting {
            let due: Date?
            do {
                due = try store.withLock(loaded.id) { record -> Date? in
                    guard record.state == .waiting else { return nil }
                    return noteTransient(&record, at: now) ? record.transientTrouble?.since : nil
                }.value ?? nil
            } catch {
                // The trouble cannot be recorded (read-only or full state directory): staying
                // quiet would then last for ever, so it is reported.
                due = loaded.transientTrouble?.since ?? now
            }
            if let due { earliest = min(earliest ?? due, due) }
        }
        guard let earliest else {
            logger.debug("transient trouble kept quiet (under \(DurationText.format(configuration.quietTransientFor)) old): \(failure)")
            return nil
        }
        return persisting(failure, since: earliest, now: now)
    }

    /// The record's trouble is over: a sweep got through to Globus for it.
    func clearTransientTrouble(_ loaded: TransferRecord) {
        guard loaded.transientTrouble != nil, !configuration.dryRun else { return }
        _ = try? store.withLock(loaded.id) { record in record.transientTrouble = nil }
    }
}
