import CopyPTRecords

/// The text form of `copypt status`: one header line, one line per transfer, columns padded,
/// oldest transfer first (newest last, next to the prompt). The columns are a list of
/// ``Column`` values, so a column is added in one place.
struct StatusTable {
    /// One column: its header and how a record fills its cell.
    struct Column: Sendable {
        var header: String
        var cell: @Sendable (TransferRecord) -> String
    }

    static let labelWidth = 24
    /// The last column is never cut below this many characters.
    static let minimumLastWidth = 20

    /// The columns, left to right; the last one (LAST ERROR) is the one cut to the width.
    static let columns: [Column] = [
        Column(header: "ID") { $0.id },
        Column(header: "LABEL") { truncated($0.label ?? "-", to: labelWidth) },
        Column(header: "TASK") { String($0.globusTaskID.prefix(8)) },
        Column(header: "STATE") { $0.state.rawValue },
        Column(header: "FROM → TO") { "\($0.from.url) → \($0.to.url)" },
        Column(header: "OBJECTS") { record in
            let progress = record.progress
            return progress.hasStarted ? "\(progress.objectsDone)/\(progress.objectsTotal.map(String.init) ?? "?")" : "-"
        },
        Column(header: "BYTES") { record in
            let progress = record.progress
            return progress.hasStarted
                ? "\(ByteCount.text(progress.bytesDone))/\(progress.bytesTotal.map(ByteCount.text) ?? "?")" : "-"
        },
        Column(header: "UPDATED") { RFC3339.string(from: $0.updatedAt) },
        Column(header: "LAST ERROR") { record in record.lastError.map { "\($0.code): \($0.message)" } ?? "-" },
    ]

    var records: [TransferRecord]
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
        let rows = [columns.map(\.header)] + Self.sorted(records).map { record in columns.map { $0.cell(record) } }
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
