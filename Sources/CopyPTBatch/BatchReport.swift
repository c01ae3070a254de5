import Foundation

/// Reads a Batch Operations completion report (`Report_CSV_20180820`): the report's
/// `manifest.json` under `<prefix>/job-<id>/`, which names the result CSV files, and those files'
/// rows (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-job-status.html#batch-ops-completion-report).
///
/// The column order comes from the manifest's `ReportSchema` when it has one, else the
/// documented `Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage`.
public enum BatchReport {
    /// The documented columns, in order.
    public static let defaultSchema = ["Bucket", "Key", "VersionId", "TaskStatus", "ErrorCode", "HTTPStatusCode", "ResultMessage"]

    /// The parts of a report's `manifest.json` copypt reads.
    public struct Manifest: Sendable {
        /// Result files as `(bucket, key)`, with the task status they hold (`failed`, `succeeded`).
        public var results: [(bucket: String, key: String, status: String)]
        /// Column names of the result files.
        public var schema: [String]
    }

    /// Reads a report's `manifest.json`.
    /// - Throws: ``BatchReplyError`` when it is not a report manifest.
    public static func manifest(_ bytes: [UInt8]) throws(BatchReplyError) -> Manifest {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let results = object["Results"] as? [[String: Any]]
        else { throw BatchReplyError(detail: "the completion report's manifest.json has no Results list") }
        var files: [(bucket: String, key: String, status: String)] = []
        for result in results {
            guard let bucket = result["Bucket"] as? String, let key = result["Key"] as? String else {
                throw BatchReplyError(detail: "a Results entry of the completion report's manifest.json has no Bucket or Key")
            }
            files.append((bucket, key, (result["TaskExecutionStatus"] as? String) ?? ""))
        }
        var schema = defaultSchema
        if let text = object["ReportSchema"] as? String {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if names.contains("Key"), names.contains("TaskStatus") { schema = names }
        }
        return Manifest(results: files, schema: schema)
    }

    /// Reads the rows of one result file.
    /// - Parameters:
    ///   - bytes: the CSV file.
    ///   - schema: its columns (``Manifest/schema``).
    /// - Throws: ``BatchReplyError`` for a row without a key or task status, or a key that does not decode.
    public static func results(_ bytes: [UInt8], schema: [String]) throws(BatchReplyError) -> [BatchTaskResult] {
        func column(_ name: String) -> Int? { schema.firstIndex(of: name) }
        guard let keyColumn = column("Key"), let statusColumn = column("TaskStatus") else {
            throw BatchReplyError(detail: "the completion report's schema has no Key or TaskStatus column")
        }
        var results: [BatchTaskResult] = []
        for (number, row) in rows(bytes).enumerated() {
            func field(_ index: Int?) -> String { index.flatMap { $0 < row.count ? row[$0] : nil } ?? "" }
            guard row.count > max(keyColumn, statusColumn) else {
                throw BatchReplyError(detail: "row \(number + 1) of the completion report has \(row.count) column(s), fewer than its schema's")
            }
            guard let key = BatchManifest.decode(Substring(row[keyColumn])) else {
                throw BatchReplyError(detail: "row \(number + 1) of the completion report has a key that is not URL-encoded UTF-8")
            }
            // AWS's report examples put the HTTP status before the error code, the ReportSchema
            // text the other way round: take the number as the status wherever it is.
            var status = field(column("HTTPStatusCode"))
            var code = field(column("ErrorCode"))
            if Int(status) == nil, Int(code) != nil { swap(&status, &code) }
            results.append(BatchTaskResult(
                bucket: field(column("Bucket")), key: key, status: row[statusColumn].lowercased(),
                httpStatus: Int(status), errorCode: code, message: field(column("ResultMessage"))))
        }
        return results
    }

    /// CSV rows: commas split fields, a field in double quotes may hold commas, newlines and `""`.
    static func rows(_ bytes: [UInt8]) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): quoted = true
                case UInt8(ascii: ","): endField()
                case UInt8(ascii: "\r"): break
                case UInt8(ascii: "\n"):
                    endField()
                    if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                    row.removeAll()
                default: field.append(byte)
                }
            }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}
