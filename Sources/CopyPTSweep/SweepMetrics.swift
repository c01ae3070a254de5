import CopyPTRecords
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sweep's figures in the Prometheus text exposition format, for node_exporter's textfile
/// collector (prometheus.io/docs/instrumenting/exposition_formats, "Text-based format").
///
/// Object and byte counters are summed over every record, so they only grow while records are
/// kept, whichever process swept last.
public enum SweepMetrics {
    /// The metrics text for `report`.
    public static func render(_ report: SweepReport) -> String {
        var text = ""
        text += "# HELP copypt_transfers Transfers by state after the last sweep.\n"
        text += "# TYPE copypt_transfers gauge\n"
        for state in TransferState.allCases {
            text += "copypt_transfers{state=\"\(state.rawValue)\"} \(report.transfersByState[state] ?? 0)\n"
        }
        text += "# HELP copypt_waiting_transfers Waiting transfers by Globus health class after the last sweep.\n"
        text += "# TYPE copypt_waiting_transfers gauge\n"
        for kind in GlobusHealth.Class.allCases {
            text += "copypt_waiting_transfers{globus=\"\(kind.rawValue)\"} \(report.waitingByGlobusClass[kind] ?? 0)\n"
        }
        text += "# HELP copypt_objects_copied_total Objects copied and verified, over all transfer records.\n"
        text += "# TYPE copypt_objects_copied_total counter\n"
        text += "copypt_objects_copied_total \(report.objectsDoneAllTime)\n"
        text += "# HELP copypt_bytes_copied_total Bytes copied and verified, over all transfer records.\n"
        text += "# TYPE copypt_bytes_copied_total counter\n"
        text += "copypt_bytes_copied_total \(report.bytesDoneAllTime)\n"
        text += "# HELP copypt_last_sweep_timestamp_seconds When the last sweep started (Unix time).\n"
        text += "# TYPE copypt_last_sweep_timestamp_seconds gauge\n"
        text += "copypt_last_sweep_timestamp_seconds \(Int64(report.startedAt.timeIntervalSince1970))\n"
        text += "# HELP copypt_last_sweep_duration_seconds How long the last sweep took.\n"
        text += "# TYPE copypt_last_sweep_duration_seconds gauge\n"
        text += "copypt_last_sweep_duration_seconds \(String(format: "%.3f", report.duration))\n"
        text += "# HELP copypt_last_sweep_exit_status The last sweep's exit status (0, 1, 2 or 75).\n"
        text += "# TYPE copypt_last_sweep_exit_status gauge\n"
        text += "copypt_last_sweep_exit_status \(report.exitStatus.rawValue)\n"
        return text
    }

    /// Writes the metrics for `report` to `path` atomically: a temporary file beside it, then
    /// rename, so the collector never reads half a file. Missing directories on the way are
    /// created, mode 0700 (on a fresh account the default place, the state directory, does not
    /// exist yet, and cron would mail about it every run).
    /// - Throws: ``SweepError/journal(path:operation:errno:)``-shaped I/O errors as
    ///   ``SweepError/remote(code:message:kind:)`` with code `MetricsFile`.
    public static func write(_ report: SweepReport, to path: String) throws {
        try makeDirectories(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let data = Data(render(report).utf8)
        let temporary = path + ".tmp.\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o644]) else {
            throw failure("write", temporary, errno)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure("rename into", path, code)
        }
    }

    /// `mkdir -p` with mode 0700 for each directory made; existing ones are left as they are.
    private static func makeDirectories(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 { return }  // exists (a non-directory fails the write, by name)
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw failure("create the directory of", path, errno) }
    }

    private static func failure(_ operation: String, _ path: String, _ code: Int32) -> SweepError {
        .remote(
            code: "MetricsFile",
            message: "cannot \(operation) metrics file \(path): \(String(cString: strerror(code))) (errno \(code)); check --metrics-file and its directory",
            kind: .configuration)
    }
}
