import CopyPTRecords
import Foundation

/// The shared body of `cancel` and `retry`: change one record under its lock, then print
/// `ID: old → new` (or the record with --json).
enum StateChange {
    /// - Parameter change: mutates the record; returns `false` when nothing needed to change.
    /// - Throws: `CLIError.busy` when another process holds the record, `RecordError`s.
    static func apply(
        to given: String,
        global: GlobalOptions,
        context: CommandContext,
        change: (inout TransferRecord, Date) throws -> Bool
    ) throws {
        let store = try global.store(context)
        let id = try TransferIDs.resolve(given, in: store)
        let now = context.now()
        let outcome = try store.withLock(id) { record -> (TransferRecord, TransferState, Bool) in
            let before = record.state
            let changed = try change(&record, now)
            return (record, before, changed)
        }
        guard let (record, before, changed) = outcome.value else {
            throw CLIError.busy(id: id, owner: store.lockOwner(id))
        }
        if global.json {
            context.standardOutput(String(decoding: try RecordCoding.encode(record.redactingSecrets), as: UTF8.self))
        } else if changed {
            context.print("\(id): \(before) → \(record.state)")
        } else {
            context.print("\(id): already \(record.state)")
        }
    }
}
