import CopyPTRecords
import Foundation

extension Sweeper {
    /// Reports a record skipped because another process holds its lock: `.busy` always, and
    /// `.busyTooLong` when the holder's owner line says it has held it longer than
    /// ``SweepConfiguration/busyWarnAfter``. A sweep keeps no state between runs, so every
    /// sweep that finds the record still held warns again: cron mails it until a person looks.
    func reportBusy(_ loaded: TransferRecord, onEvent: @Sendable (SweepEvent) -> Void) {
        onEvent(.busy(id: loaded.id))
        guard let owner = store.lockOwner(loaded.id) else { return }
        if configuration.now().timeIntervalSince(owner.since) > configuration.busyWarnAfter.timeInterval {
            onEvent(.busyTooLong(id: loaded.id, label: loaded.label, owner: owner, after: configuration.busyWarnAfter))
        }
    }
}
