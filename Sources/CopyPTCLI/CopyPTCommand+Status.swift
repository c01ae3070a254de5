import ArgumentParser
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt status [ID…]`: show transfers.
    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show transfers: a table, one transfer in detail, or JSON with --json.",
            discussion: """
                With no ID: a table, oldest transfer first (newest last). Columns: ID, LABEL, TASK \
                (first 8 characters of the Globus task id), STATE, FROM → TO, OBJECTS and BYTES \
                (done/total; '-' before the copy begins, '?' while the total is unknown), UPDATED \
                (UTC), LAST ERROR (cut to the terminal's width; never cut in a pipe or file). A \
                transfer another copypt process holds right now reads e.g. `copying, busy since \
                2026-12-05T20:00:00Z (pid 1234)` under STATE. --state keeps only transfers in \
                those states. With no transfers, prints nothing.

                With IDs: every field of each transfer (the Globus status seen, options, notes, the \
                full last error). An ID may be shortened to any unique ending, e.g. bb0989.

                --json prints {"schema_version": 1, "transfers": [records…]} (the records as stored).
                Records that cannot be read are reported on stderr and skipped.

                EXIT STATUS: 0 shown, 1 a record file cannot be read (the others are still shown), \
                2 an ID given does not exist or is ambiguous (the others are still shown).
                """
        )

        @Argument(help: ArgumentHelp("Transfers to show in detail (an id, or a unique end of one; default: a table of all).", valueName: "id"))
        var ids: [String] = []

        @Option(name: .customLong("state"), help: ArgumentHelp("Show only transfers in this state (repeatable).", valueName: "state"))
        var states: [TransferState] = []

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

            var records = StatusTable.sorted(listing.records)
            var unknown: [String] = []
            var ambiguous: CLIError?
            if !ids.isEmpty {
                let byID = Dictionary(listing.records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                records = []
                for text in ids {
                    do {
                        if let id = try TransferIDs.resolve(text, among: byID.keys), let record = byID[id] {
                            if !records.contains(where: { $0.id == id }) { records.append(record) }
                        } else if !unknown.contains(text) {
                            unknown.append(text)
                        }
                    } catch let error as CLIError {
                        ambiguous = ambiguous ?? error
                    }
                }
            }
            if !states.isEmpty { records = records.filter { states.contains($0.state) } }

            if global.json {
                context.print(try Self.json(records))
            } else {
                var owners: [String: LockOwner] = [:]
                for record in records { owners[record.id] = store.lockOwner(record.id) }
                if ids.isEmpty {
                    context.standardOutput(StatusTable(records: records, owners: owners, width: context.terminalColumns()).render())
                } else {
                    context.standardOutput(records.map { StatusDetail(record: $0, owner: owners[$0.id]).render() }.joined(separator: "\n"))
                }
            }
            if let ambiguous { throw ambiguous }
            if !unknown.isEmpty {
                throw CLIError.unknownTransfers(unknown, directory: store.transfersDirectory.path)
            }
            if !listing.problems.isEmpty { throw ExitCode(ExitStatus.failure.rawValue) }
        }

        /// The `--json` document: `{"schema_version": 1, "transfers": [records…]}`, pretty-printed
        /// and keys sorted as the records are stored.
        static func json(_ records: [TransferRecord]) throws -> String {
            let data = try RecordCoding.makeEncoder().encode(StatusDocument(transfers: records.map(\.redactingSecrets)))
            return String(decoding: data, as: UTF8.self)
        }

        /// What `status --json` prints.
        struct StatusDocument: Encodable {
            var schemaVersion = JSONOutput.schemaVersion
            var transfers: [TransferRecord]

            enum CodingKeys: String, CodingKey {
                case schemaVersion = "schema_version"
                case transfers
            }
        }
    }
}
