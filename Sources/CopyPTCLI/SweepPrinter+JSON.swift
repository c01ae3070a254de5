import CopyPTRecords
import CopyPTSweep
import Foundation

extension SweepPrinter {
    // MARK: - JSON

    /// The JSON object for `event` (`nil`: not shown without `--verbose`).
    static func jsonObject(_ event: SweepEvent, verbose: Bool) -> [String: Any]? {
        switch event {
        case .stateChanged(let c):
            var object: [String: Any] = ["event": "state_changed", "id": c.id, "from": c.from.rawValue, "to": c.to.rawValue, "dry_run": c.dryRun]
            object["label"] = c.label
            object["objects"] = c.objects
            object["bytes"] = c.bytes
            object["reason"] = c.reason
            return object
        case .wouldCopy(let id, let label, let objects, let bytes, let done):
            var object: [String: Any] = ["event": "would_copy", "id": id, "objects": objects, "bytes": bytes, "already_done": done]
            object["label"] = label
            return object
        case .unreadableRecord(let file, let reason):
            return ["event": "unreadable_record", "file": file, "error": reason]
        case .runError(let error):
            return ["event": "error", "code": error.code, "kind": error.kind.rawValue, "error": error.description]
        case .transientError(let id, let label, let error):
            var object: [String: Any] = ["event": "transient_error", "id": id, "code": error.code, "error": error.description]
            object["label"] = label
            return object
        case .needsAttention(let id, let label, let taskID, let niceStatus):
            var object: [String: Any] = ["event": "needs_attention", "id": id, "task_id": taskID, "nice_status": niceStatus]
            object["label"] = label
            return object
        case .note(let id, let label, let message):
            var object: [String: Any] = ["event": "note", "id": id, "message": message]
            object["label"] = label
            return object
        case .progress(let id, let label, let progress):
            guard verbose else { return nil }
            var object: [String: Any] = ["event": "progress", "id": id, "objects_done": progress.objectsDone, "bytes_done": progress.bytesDone]
            object["label"] = label
            object["objects_total"] = progress.objectsTotal
            return object
        case .busy(let id):
            guard verbose else { return nil }
            return ["event": "busy", "id": id]
        case .busyTooLong(let id, let label, let owner, let after):
            var object: [String: Any] = [
                "event": "busy_too_long", "id": id, "pid": Int(owner.pid), "since": RFC3339.string(from: owner.since),
                "warn_after_seconds": Int(after.components.seconds),
            ]
            object["label"] = label
            return object
        }
    }

    static func summaryObject(_ report: SweepReport) -> [String: Any] {
        var states: [String: Int] = [:]
        for state in TransferState.allCases { states[state.rawValue] = report.transfersByState[state] ?? 0 }
        return [
            "event": "summary",
            "exit_status": Int(report.exitStatus.rawValue),
            "changes": report.changes.count,
            "permanent_failures": report.permanentFailures,
            "transient_errors": report.transientErrors,
            "configuration_errors": report.configurationErrors,
            "unreadable_records": report.unreadableRecords,
            "busy": report.busy,
            "objects_copied": report.objectsCopied,
            "bytes_copied": report.bytesCopied,
            "duration_seconds": (report.duration * 1000).rounded() / 1000,
            "transfers": states,
        ]
    }

    /// One line of JSON, keys sorted, with the `schema_version` of every `--json` document.
    static func encode(_ object: [String: Any]) -> String {
        var object = object
        object["schema_version"] = JSONOutput.schemaVersion
        return JSONOutput.line(object)
    }
}
