import CopyPTRecords

/// The text form of `copypt status`: one header line, one line per transfer, columns padded,
/// oldest transfer first (newest last, next to the prompt). The columns are a list of
/// ``Column`` values, so a column is added in one place.
struct StatusTable {
    /// One column: its header and how a record (and its lock holder, if another process
    /// holds it right now) fills its cell.
    struct Column: Sendable {
        var header: String
        var cell: @Sendable (TransferRecord, LockOwner?) -> String
    }

    static let labelWidth = 24
    /// The last column is never cut below this many characters.
    static let minimumLastWidth = 20

    /// The columns, left to right; the last one (LAST ERROR) is the one cut to the width.
    static let columns: [Column] = [
        Column(header: "ID") { record, _ in record.id },
        Column(header: "LABEL") { record, _ in truncated(record.label ?? "-", to: labelWidth) },
        Column(header: "TASK") { record, _ in record.globusTaskID.isEmpty ? "-" : String(record.globusTaskID.prefix(8)) },
        // A record another copypt process holds: `copying, busy since T (pid N)`.
        Column(header: "STATE") { record, owner in owner.map { "\(record.state.rawValue), \($0)" } ?? record.state.rawValue },
        // Why a waiting transfer's Globus task is or is not moving: `stalled: no progress for 7h…`.
        Column(header: "GLOBUS") { record, _ in globusCell(record) },
        Column(header: "FROM → TO") { record, _ in "\(record.from.url) → \(record.to.url)" },
        Column(header: "OBJECTS") { record, _ in
            let progress = record.progress
            return progress.hasStarted ? "\(progress.objectsDone)/\(progress.objectsTotal.map(String.init) ?? "?")" : "-"
        },
        Column(header: "BYTES") { record, _ in
            let progress = record.progress
            return progress.hasStarted
                ? "\(ByteCount.text(progress.bytesDone))/\(progress.bytesTotal.map(ByteCount.text) ?? "?")" : "-"
        },
        Column(header: "UPDATED") { record, _ in RFC3339.string(from: record.updatedAt) },
        Column(header: "LAST ERROR") { record, _ in record.lastError.map { "\($0.code): \($0.message)" } ?? "-" },
    ]

    var records: [TransferRecord]
    /// Holders of records locked elsewhere right now, by id.
    var owners: [String: LockOwner] = [:]
    /// The terminal's width in characters, or `nil` (not a terminal: nothing is cut).
    var width: Int? = nil

    /// Oldest first, by creation time, then id (ids start with the creation date).
    static func sorted(_ records: [TransferRecord]) -> [TransferRecord] {
        records.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// The table, ending in a newline; empty when there are no records.
    func render() -> String {
        guard !records.isEmpty else { return "" }
        let columns = Self.columns
        let rows = [columns.map(\.header)] + Self.sorted(records).map { record in columns.map { $0.cell(record, owners[record.id]) } }
        var widths = Array(repeating: 0, count: columns.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        let lastStart = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        let lastWidth = width.map { max($0 - lastStart, Self.minimumLastWidth) }
        return rows.map { row in
            row.enumerated().map { column, cell in
                guard column == row.count - 1 else { return cell + String(repeating: " ", count: widths[column] - cell.count) }
                return lastWidth.map { Self.truncated(cell, to: $0) } ?? cell
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }

    static let globusWidth = 40

    /// The class and the start of the reason, for waiting transfers a sweep has judged.
    static func globusCell(_ record: TransferRecord) -> String {
        guard record.state == .waiting, let health = record.globusHealth else { return "-" }
        return truncated("\(health.class.rawValue): \(health.reason)", to: globusWidth)
    }

    static func truncated(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
