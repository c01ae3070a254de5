import ArgumentParser
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt status [ID…]`: show transfers.
    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show transfers: a table, or their records as a JSON array with --json.",
            discussion: """
                Columns: ID, LABEL, TASK (first 8 characters of the Globus task id), STATE, \
                OBJECTS and BYTES (done/total; '-' before the copy begins, '?' while the total is \
                unknown), UPDATED (UTC), LAST ERROR. A transfer another copypt process holds right now reads \
                e.g. `copying, busy since 2026-12-05T20:00:00Z (pid 1234)` under STATE. With no transfers, prints nothing (--json: []). \
                Records that cannot be read are reported on stderr and skipped.

                EXIT STATUS: 0 shown, 1 a record file cannot be read (the others are still shown), \
                2 an ID given does not exist (the others are still shown).
                """
        )

        @Argument(help: ArgumentHelp("Transfers to show (default: all).", valueName: "id"))
        var ids: [String] = []

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func run() async throws {
            let context = CommandContext.current
            let logger = global.makeLogger(context)
            let store = try global.store(context)
            let listing = try store.loadAll()
            // An unreadable record needs a person, as in the sweep: logged at error level (shown
            // even with --quiet) and exit 1 once the readable ones are shown.
            for problem in listing.problems { logger.error("\(problem)") }

            var records = listing.records
            var unknown: [String] = []
            if !ids.isEmpty {
                let byID = Dictionary(listing.records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                records = []
                for id in ids {
                    if let record = byID[id] { records.append(record) } else if !unknown.contains(id) { unknown.append(id) }
                }
            }

            if global.json {
                let data = try RecordCoding.makeEncoder().encode(records)
                context.print(String(decoding: data, as: UTF8.self))
            } else {
                var owners: [String: LockOwner] = [:]
                for record in records { owners[record.id] = store.lockOwner(record.id) }
                context.standardOutput(StatusTable(records: records, owners: owners).render())
            }
            if !unknown.isEmpty {
                throw CLIError.unknownTransfers(unknown, directory: store.transfersDirectory.path)
            }
            if !listing.problems.isEmpty { throw ExitCode(ExitStatus.failure.rawValue) }
        }
    }
}
