import CopyPTRecords

/// The text form of `copypt status`: one header line, one line per transfer, columns padded.
struct StatusTable {
    static let header = ["ID", "LABEL", "TASK", "STATE", "OBJECTS", "BYTES", "UPDATED", "LAST ERROR"]
    static let labelWidth = 24

    var records: [TransferRecord]
    /// Holders of records locked elsewhere right now, by id: their STATE reads
    /// `copying, busy since T (pid N)`.
    var owners: [String: LockOwner] = [:]

    /// The table, ending in a newline; empty when there are no records.
    func render() -> String {
        guard !records.isEmpty else { return "" }
        let rows = [Self.header] + records.map { Self.row($0, owner: owners[$0.id]) }
        var widths = Array(repeating: 0, count: Self.header.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }

    static func row(_ record: TransferRecord, owner: LockOwner? = nil) -> [String] {
        let progress = record.progress
        let objects = progress.hasStarted ? "\(progress.objectsDone)/\(progress.objectsTotal.map(String.init) ?? "?")" : "-"
        let bytes = progress.hasStarted
            ? "\(ByteCount.text(progress.bytesDone))/\(progress.bytesTotal.map(ByteCount.text) ?? "?")" : "-"
        let error = record.lastError.map { "\($0.code): \($0.message)" } ?? "-"
        return [
            record.id,
            truncated(record.label ?? "-", to: labelWidth),
            String(record.globusTaskID.prefix(8)),
            owner.map { "\(record.state.rawValue), \($0)" } ?? record.state.rawValue,
            objects,
            bytes,
            RFC3339.string(from: record.updatedAt),
            error,
        ]
    }

    private static func truncated(_ text: String, to width: Int) -> String {
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
