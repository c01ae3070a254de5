import CopyPTRecords
import CopyPTSweep
import Foundation

/// Turns sweep events into cron-friendly output: one stdout line per state change, problems on
/// stderr, progress only with `--verbose`, nothing at all when nothing changed; with `--json`,
/// one JSON object per event on stdout and a summary object after each sweep.
struct SweepPrinter: Sendable {
    /// `copypt-sweep` or `copypt sweep`, prefixed to stderr lines.
    let name: String
    let json: Bool
    let verbose: Bool
    let quiet: Bool
    let context: CommandContext

    // MARK: - Events

    func print(_ event: SweepEvent) {
        if json {
            if let object = Self.jsonObject(event, verbose: verbose) { context.print(Self.encode(object)) }
            return
        }
        switch event {
        case .stateChanged(let change):
            context.print(Self.line(change))
            if change.to == .failed, let reason = change.reason, !change.dryRun {
                context.printError("\(name): \(Self.subject(change.id, change.label)): \(reason)")
            }
        case .wouldCopy(let id, let label, let objects, let bytes, let done):
            let already = done > 0 ? " (\(Self.count(done)) already done)" : ""
            context.print("\(Self.subject(id, label)): would copy \(Self.objectCount(objects)), \(ByteCount.text(bytes))\(already)")
        case .unreadableRecord(_, let reason):
            context.printError("\(name): error: \(reason)")
        case .runError(let error):
            context.printError("\(name): error: \(error.description)")
        case .transientError(let id, let label, let error):
            context.printError("\(name): \(Self.subject(id, label)): \(error.description) (transient; the next sweep retries)")
        case .needsAttention(let id, let label, let taskID, let niceStatus):
            guard !quiet else { return }
            context.printError("\(name): warning: \(Self.subject(id, label)): Globus task \(taskID) is INACTIVE (\(niceStatus)); it needs your attention in the Globus web app")
        case .note(let id, let label, let message):
            guard !quiet else { return }
            context.printError("\(name): note: \(Self.subject(id, label)): \(message)")
        case .progress(let id, let label, let progress):
            guard verbose else { return }
            let total = progress.objectsTotal.map { "/\(Self.count($0))" } ?? ""
            context.printError("\(name): \(Self.subject(id, label)): \(Self.count(progress.objectsDone))\(total) objects, \(ByteCount.text(progress.bytesDone)) copied")
        case .busy(let id):
            guard verbose else { return }
            context.printError("\(name): \(id): skipped, another copypt process is working on it")
        case .busyTooLong(let id, let label, let owner, let after):
            guard !quiet else { return }
            context.printError("\(name): warning: \(Self.subject(id, label)): \(owner), over \(DurationText.format(after)); "
                + "if process \(owner.pid) is stuck, stop it and the next sweep resumes the copy")
        }
    }

    /// After each sweep: the summary object (`--json`, unless `--quiet`) or line (`--verbose`).
    func summary(_ report: SweepReport) {
        if json {
            guard !quiet else { return }
            context.print(Self.encode(Self.summaryObject(report)))
        } else if verbose {
            let states = TransferState.allCases.map { "\($0.rawValue) \(report.transfersByState[$0] ?? 0)" }.joined(separator: ", ")
            context.printError("\(name): swept in \(String(format: "%.2f", report.duration)) s: \(report.changes.count) change(s), "
                + "\(Self.count(report.objectsCopied)) objects (\(ByteCount.text(report.bytesCopied))) copied; \(states)")
        }
    }

    // MARK: - Text

    /// `ID LABEL: waiting → done, 1,234 objects, 56.7 GiB`.
    static func line(_ change: SweepStateChange) -> String {
        var text = "\(subject(change.id, change.label)): \(change.from) → \(change.to)"
        if change.to == .done, let objects = change.objects, let bytes = change.bytes {
            text += ", \(objectCount(objects)), \(ByteCount.text(bytes))"
        }
        if change.dryRun { text += " (dry run: nothing changed)" }
        return text
    }

    static func subject(_ id: String, _ label: String?) -> String {
        guard let label, !label.isEmpty else { return id }
        return "\(id) \(label)"
    }

    /// `1 object`, `1,234 objects`.
    static func objectCount(_ value: Int) -> String {
        value == 1 ? "1 object" : "\(count(value)) objects"
    }

    /// `1234567` as `1,234,567`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}
