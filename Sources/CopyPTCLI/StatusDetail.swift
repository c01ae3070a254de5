import CopyPTRecords

/// `copypt status ID`: every field of one transfer, one `Name:  value` line each, with the
/// full last error and every note. The fields are a list, so a field is added in one place.
struct StatusDetail {
    var record: TransferRecord
    /// The holder of the record's lock, when another copypt process holds it right now.
    var owner: LockOwner? = nil

    /// The fields shown, in order; absent values read `-`.
    static func fields(_ record: TransferRecord, owner: LockOwner? = nil) -> [(name: String, value: String)] {
        let options = record.options
        let progress = record.progress
        var fields: [(String, String)] = [
            ("ID", record.id),
            ("Label", record.label ?? "-"),
            ("State", owner.map { "\(record.state.rawValue), \($0)" } ?? record.state.rawValue),
            ("Globus task", record.globusTaskID.isEmpty ? "- (not submitted yet)" : record.globusTaskID),
            ("Submitted", record.submission.map(submission) ?? "- (queued with copypt add)"),
            ("Globus status", record.globusStatus.map(globusStatus) ?? "- (not seen yet)"),
            ("Globus health", record.globusHealth.map(globusHealth) ?? "- (nothing noted yet)"),
            ("From", record.from.url),
            ("To", record.to.url),
            ("Globus path", record.globusPath),
            ("Created", RFC3339.string(from: record.createdAt)),
            ("Updated", RFC3339.string(from: record.updatedAt)),
            ("Objects", progress.hasStarted ? "\(progress.objectsDone) of \(progress.objectsTotal.map(String.init) ?? "?") copied" : "-"),
            ("Bytes", progress.hasStarted
                ? "\(ByteCount.text(progress.bytesDone)) of \(progress.bytesTotal.map(ByteCount.text) ?? "?") copied" : "-"),
            ("Attempts", String(record.attempts)),
            ("Plan source", record.planSource ?? "-"),
            ("ACL", options.acl.rawValue),
            ("Storage class", options.storageClass?.rawValue ?? "- (the bucket's default)"),
            ("Encryption", encryption(options)),
            ("Destination owner", options.destOwner ?? "- (not checked)"),
            ("Source owner", options.sourceOwner ?? "- (not checked)"),
            ("Delete staging", options.deleteStaging ? "yes" : "no"),
            ("AWS profile", options.profile ?? "- (the usual credential chain)"),
            ("Last error", record.lastError.map(lastError) ?? "-"),
        ]
        if let health = record.globusHealth {
            fields += health.lastFaults.map { ("Globus fault", $0) }
        }
        // Shown only for transfers that may go to S3 Batch Operations, so others read as before.
        if options.engine != .auto || options.batchRoleARN != nil {
            let role = options.batchRoleARN.map { ", role \($0)" } ?? ""
            fields.append(("Engine", "\(options.engine.rawValue) (batch from \(options.batchThreshold) objects\(role))"))
        }
        if let batch = record.batch { fields.append(("Batch job", batchJob(batch))) }
        if record.notes.isEmpty {
            fields.append(("Notes", "-"))
        } else {
            fields += record.notes.map { ("Note", $0) }
        }
        return fields
    }

    /// The lines, names padded to one width, ending in a newline.
    func render() -> String {
        let fields = Self.fields(record, owner: owner)
        let width = fields.map(\.name.count).max() ?? 0
        return fields.map { name, value in
            name + ":" + String(repeating: " ", count: width - name.count + 2) + value
        }.joined(separator: "\n") + "\n"
    }

    private static func globusStatus(_ seen: GlobusStatusSeen) -> String {
        let nice = seen.niceStatus.map { " (\($0))" } ?? ""
        return "\(seen.status)\(nice) at \(RFC3339.string(from: seen.at))"
    }

    private static func globusHealth(_ health: GlobusHealth) -> String {
        "\(health.class.rawValue) since \(RFC3339.string(from: health.since)): \(health.reason)"
    }

    private static func encryption(_ options: CopyOptions) -> String {
        guard let sse = options.sse else { return "- (the bucket's default)" }
        return options.sseKMSKeyID.map { "\(sse.rawValue), key \($0)" } ?? sse.rawValue
    }

    /// `<job id> <status>: N of T tasks succeeded, F failed`, or where the job is before CreateJob.
    static func batchJob(_ batch: BatchJobRecord) -> String {
        guard let jobID = batch.jobID else {
            return batch.manifestETag == nil ? "- (writing the manifest \(batch.manifest))" : "- (manifest \(batch.manifest) written, job not created yet)"
        }
        let total = batch.tasksTotal.map(String.init) ?? "?"
        let checked = batch.checkedAt.map { " (checked \(RFC3339.string(from: $0)))" } ?? ""
        return "\(jobID) \(batch.status ?? "New"): \(batch.tasksSucceeded) of \(total) tasks succeeded, \(batch.tasksFailed) failed"
            + (batch.directObjects > 0 ? ", \(batch.directObjects) object(s) over 5 GB copied directly" : "") + checked
    }

    private static func lastError(_ error: RecordedError) -> String {
        "\(error.code): \(error.message) (at \(RFC3339.string(from: error.at))\(error.transient ? ", transient" : ""))"
    }

    /// `copypt transfer`'s submission on one line: source, staging collection, submission id, when.
    private static func submission(_ submission: TransferSubmission) -> String {
        let accepted = submission.acceptedAt.map { ", accepted \(RFC3339.string(from: $0))" } ?? ", not accepted yet"
        return "\(submission.sourceCollection):\(submission.sourcePath) → collection \(submission.stagingCollection) "
            + "(submission \(submission.submissionID), \(RFC3339.string(from: submission.submittedAt))\(accepted))"
    }
}
