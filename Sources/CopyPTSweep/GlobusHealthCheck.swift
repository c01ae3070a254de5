import CopyPTRecords
import Foundation

/// The Globus health of a waiting transfer from its task status: a pure function of the record,
/// the status and the time, so every class is tested without Globus.
///
/// Classes, first match wins: `inactive` (status INACTIVE), `paused` (`is_paused`), `faulting`
/// (`nice_status` an error code such as PERMISSION_DENIED, or the fault count rising into a new
/// bracket; it stays faulting until the task moves again), `deadline_near` (less than
/// ``deadlineWarning`` left), `stalled` (no progress for `--stall-after`), else `progressing`.
struct GlobusHealthCheck: Sendable, Equatable {
    /// The health to record (its reason still without the per-task detail, see ``finished(fault:pause:)``).
    var health: GlobusHealth
    /// Something a person would care about changed: write the record.
    var write: Bool
    /// The class changed (or the fault bracket did, while faulting): fetch the detail for the reason.
    var fetchDetail: Bool
    /// The task id and counters the reason quotes.
    var taskID: String
    var niceStatus: String?

    /// How close the deadline must be for `deadline_near`: a day.
    static let deadlineWarning: TimeInterval = 86_400

    /// Judges `status` against what `record` last kept (a record without `globus_health` reads
    /// as progressing since it was added, nothing transferred, no faults).
    static func assess(_ record: TransferRecord, status: TaskStatus, stallAfter: Duration, now: Date) -> GlobusHealthCheck {
        let before = record.globusHealth ?? GlobusHealth(
            class: .progressing, reason: "", since: record.createdAt, progressAt: record.createdAt)
        let progressed = status.bytesTransferred > before.bytesTransferred || status.filesTransferred > before.filesTransferred
        let progressAt = progressed ? now : before.progressAt
        let risingBracket = GlobusHealth.faultBracket(status.faults) > GlobusHealth.faultBracket(before.faults)

        let kind: GlobusHealth.Class
        if status.state == .inactive {
            kind = .inactive
        } else if status.isPaused {
            kind = .paused
        } else if isErrorCode(status.niceStatus) || risingBracket || (before.class == .faulting && !progressed) {
            kind = .faulting
        } else if let deadline = status.deadline, deadline.timeIntervalSince(now) < deadlineWarning {
            kind = .deadlineNear
        } else if now.timeIntervalSince(progressAt) >= stallAfter.timeInterval {
            kind = .stalled
        } else {
            kind = .progressing
        }

        let changed = kind != before.class
        let health = GlobusHealth(
            class: kind, reason: before.reason, since: changed ? now : before.since,
            bytesTransferred: status.bytesTransferred, filesTransferred: status.filesTransferred, files: status.files,
            progressAt: progressAt, faults: status.faults, lastFaults: before.lastFaults, deadline: status.deadline)
        let bracketChanged = GlobusHealth.faultBracket(status.faults) != GlobusHealth.faultBracket(before.faults)
        let decileChanged = GlobusHealth.progressDecile(filesTransferred: status.filesTransferred, files: status.files)
            != GlobusHealth.progressDecile(filesTransferred: before.filesTransferred, files: before.files)
        // A slow task still moving is rewritten now and then, so its progress time never ages
        // into a false stall: at most every half stall time.
        let refresh = progressed && now.timeIntervalSince(before.progressAt) >= stallAfter.timeInterval / 2
        let write = changed || bracketChanged || decileChanged || refresh
        var check = GlobusHealthCheck(
            health: health, write: write, fetchDetail: changed || (kind == .faulting && bracketChanged),
            taskID: record.globusTaskID, niceStatus: status.niceStatus)
        check.health.reason = check.reason(fault: Optional<String>.none, pause: Optional<String>.none, stallAfter: stallAfter, now: now)
        return check
    }

    /// The health with its reason, given the latest fault (`event_list`) or pause reason
    /// (`pause_info`) when they were fetched.
    func finished(fault: String?, pause: String?, stallAfter: Duration, now: Date) -> GlobusHealth {
        var health = self.health
        if let fault, health.lastFaults.first != fault {
            health.lastFaults = Array(([fault] + health.lastFaults).prefix(GlobusHealth.lastFaultsKept))
        }
        health.reason = reason(fault: fault, pause: pause, stallAfter: stallAfter, now: now)
        return health
    }

    /// Globus's `nice_status` names an error (PERMISSION_DENIED, ENDPOINT_ERROR,
    /// CONNECTION_FAILED, FILE_NOT_FOUND, QUOTA_EXCEEDED, …): an upper-case code other than OK.
    /// `Queued` and `OK` are not.
    static func isErrorCode(_ niceStatus: String?) -> Bool {
        guard let niceStatus, !niceStatus.isEmpty, niceStatus != "OK" else { return false }
        return niceStatus.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// One actionable line for the health's class.
    private func reason(fault: String?, pause: String?, stallAfter: Duration, now: Date) -> String {
        let progress = progressText
        switch health.class {
        case .progressing:
            return "Globus is transferring (\(progress))"
        case .stalled:
            let idle = DurationText.approximate(.seconds(max(0, Int64(now.timeIntervalSince(health.progressAt)))))
            return "no progress for \(idle) (\(progress)); check the task at \(activityURL) and both collections"
        case .faulting:
            let latest = fault ?? health.lastFaults.first ?? niceStatus.map { "nice_status \($0)" }
            let what = latest.map { "; latest: \($0)" } ?? ""
            return "Globus is retrying after \(health.faults) fault(s)\(what); fix the cause on the collection or cancel the task"
        case .paused:
            let who = pause.map { "paused by \($0)" } ?? "paused by an activity manager or a pause rule"
            return "\(who); ask the collection's administrator to resume it (\(activityURL))"
        case .inactive:
            let why = niceStatus.map { " (\($0))" } ?? ""
            return "Globus set the task INACTIVE\(why): reactivate the collection's credentials, then it resumes"
        case .deadlineNear:
            let when = health.deadline.map { deadline -> String in
                let left = DurationText.approximate(.seconds(max(0, Int64(deadline.timeIntervalSince(now)))))
                return "at \(RFC3339.string(from: deadline)) (in \(left))"
            } ?? "within a day"
            return "Globus gives the task up \(when) (\(progress)); let it finish, or resubmit what is left"
        }
    }

    private var progressText: String {
        let files = health.files.map { "\(health.filesTransferred)/\($0) files" } ?? "\(health.filesTransferred) files"
        return "\(files), \(health.bytesTransferred) bytes so far"
    }

    private var activityURL: String { "https://app.globus.org/activity/\(taskID)" }
}
