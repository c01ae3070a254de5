import CopyPTJSON
import Foundation

extension TransferRecord {
    /// Reads a version-1 record with `JSONPullReader`, giving exactly what the `Decodable`
    /// conformance gives for the same text. Anything unexpected — another version, a missing
    /// or mistyped key, a lone surrogate — throws `JSONPullReader.Unsupported`, and the caller
    /// decodes with JSONDecoder for the answer and its message.
    init(pullReading data: Data) throws {
        self = try data.withUnsafeBytes { raw in
            var reader = JSONPullReader(raw.bindMemory(to: UInt8.self))
            let record = try TransferRecord.read(&reader)
            try reader.readEnd()
            return record
        }
    }

    private static func read(_ reader: inout JSONPullReader) throws -> TransferRecord {
        typealias Unsupported = JSONPullReader.Unsupported
        var version: Int64?
        var id: String?
        var label: String?
        var globusTaskID: String?
        var from: S3Prefix?
        var to: S3Prefix?
        var globusPath: String?
        var options = CopyOptions()
        var state: TransferState?
        var createdAt: Date?
        var updatedAt: Date?
        var globusStatus: GlobusStatusSeen?
        var progress = TransferProgress()
        var lastError: RecordedError?
        var attempts = 0
        var planSource: String?
        var notes: [String] = []
        var transientTrouble: TransientTrouble?
        var globusHealth: GlobusHealth?
        var submission: TransferSubmission?
        try reader.readObject { reader, key in
            switch key {
            case "version": version = try reader.readInteger()
            case "id": id = try reader.readString()
            case "label": label = try reader.readOptionalString()
            case "globus_task_id": globusTaskID = try reader.readString()
            case "from": from = try prefix(&reader)
            case "to": to = try prefix(&reader)
            case "globus_path": globusPath = try reader.readString()
            case "options": options = reader.readNull() ? CopyOptions() : try readOptions(&reader)
            case "state": state = try enumValue(&reader) as TransferState
            case "created_at": createdAt = try date(&reader)
            case "updated_at": updatedAt = try date(&reader)
            case "globus_status": globusStatus = reader.readNull() ? nil : try readGlobusStatus(&reader)
            case "progress": progress = reader.readNull() ? TransferProgress() : try readProgress(&reader)
            case "last_error": lastError = reader.readNull() ? nil : try readRecordedError(&reader)
            case "attempts": attempts = reader.readNull() ? 0 : try int(&reader)
            case "plan_source": planSource = try reader.readOptionalString()
            case "notes":
                notes = []
                if !reader.readNull() {
                    try reader.readArray { reader in notes.append(try reader.readString()) }
                }
            case "transient_trouble": transientTrouble = reader.readNull() ? nil : try readTransientTrouble(&reader)
            // Rare (pending events, a webhook of its own): JSONDecoder reads it.
            case "notifications": if !reader.readNull() { throw Unsupported() }
            case "globus_health": globusHealth = reader.readNull() ? nil : try readGlobusHealth(&reader)
            case "submission": submission = reader.readNull() ? nil : try readSubmission(&reader)
            // Batch records are few: the JSONDecoder path reads them.
            case "batch": if !reader.readNull() { throw Unsupported() }
            default: try reader.skipValue()
            }
        }
        guard version == Int64(TransferRecord.currentVersion), let id, let globusTaskID, let from, let to,
              let globusPath, let state, let createdAt, let updatedAt
        else { throw Unsupported() }
        var record = TransferRecord(
            id: id, label: label, globusTaskID: globusTaskID, from: from, to: to, globusPath: globusPath,
            options: options, state: state, createdAt: createdAt, updatedAt: updatedAt, globusStatus: globusStatus,
            progress: progress, lastError: lastError, attempts: attempts, planSource: planSource, notes: notes)
        // The Decodable path keeps timestamps as written; the initializer truncates them.
        record.createdAt = createdAt
        record.updatedAt = updatedAt
        record.transientTrouble = transientTrouble
        record.globusHealth = globusHealth
        record.submission = submission
        return record
    }

    private static func readSubmission(_ reader: inout JSONPullReader) throws -> TransferSubmission {
        var submissionID: String?
        var sourceCollection: String?
        var sourcePath: String?
        var stagingCollection: String?
        var syncLevel: TransferSubmission.SyncLevel?
        var verifyChecksum = true
        var deadline: Date?
        var submittedAt: Date?
        var acceptedAt: Date?
        try reader.readObject { reader, key in
            switch key {
            case "submission_id": submissionID = try reader.readString()
            case "source_collection": sourceCollection = try reader.readString()
            case "source_path": sourcePath = try reader.readString()
            case "staging_collection": stagingCollection = try reader.readString()
            case "sync_level": syncLevel = reader.readNull() ? nil : try enumValue(&reader)
            case "verify_checksum": verifyChecksum = reader.readNull() ? true : try reader.readBool()
            case "deadline": deadline = reader.readNull() ? nil : try date(&reader)
            case "submitted_at": submittedAt = try date(&reader)
            case "accepted_at": acceptedAt = reader.readNull() ? nil : try date(&reader)
            default: try reader.skipValue()
            }
        }
        guard let submissionID, let sourceCollection, let sourcePath, let stagingCollection, let submittedAt else {
            throw JSONPullReader.Unsupported()
        }
        var submission = TransferSubmission(
            submissionID: submissionID, sourceCollection: sourceCollection, sourcePath: sourcePath,
            stagingCollection: stagingCollection, syncLevel: syncLevel, verifyChecksum: verifyChecksum,
            submittedAt: submittedAt)
        // As the Decodable path: timestamps kept as written.
        submission.deadline = deadline
        submission.submittedAt = submittedAt
        submission.acceptedAt = acceptedAt
        return submission
    }

    private static func readOptions(_ reader: inout JSONPullReader) throws -> CopyOptions {
        var options = CopyOptions()
        try reader.readObject { reader, key in
            switch key {
            case "acl": options.acl = reader.readNull() ? .bucketOwnerFullControl : try enumValue(&reader)
            case "storage_class": options.storageClass = reader.readNull() ? nil : try enumValue(&reader)
            case "sse": options.sse = reader.readNull() ? nil : try enumValue(&reader)
            case "sse_kms_key_id": options.sseKMSKeyID = try reader.readOptionalString()
            case "dest_owner": options.destOwner = try reader.readOptionalString()
            case "source_owner": options.sourceOwner = try reader.readOptionalString()
            case "delete_staging": options.deleteStaging = reader.readNull() ? false : try reader.readBool()
            case "profile": options.profile = try reader.readOptionalString()
            case "engine": options.engine = reader.readNull() ? .auto : try enumValue(&reader)
            case "batch_role_arn": options.batchRoleARN = try reader.readOptionalString()
            case "batch_threshold": options.batchThreshold = reader.readNull() ? CopyOptions.defaultBatchThreshold : try int(&reader)
            default: try reader.skipValue()
            }
        }
        return options
    }

    private static func readGlobusStatus(_ reader: inout JSONPullReader) throws -> GlobusStatusSeen {
        var status: String?
        var niceStatus: String?
        var at: Date?
        try reader.readObject { reader, key in
            switch key {
            case "status": status = try reader.readString()
            case "nice_status": niceStatus = try reader.readOptionalString()
            case "at": at = try date(&reader)
            default: try reader.skipValue()
            }
        }
        guard let status, let at else { throw JSONPullReader.Unsupported() }
        return GlobusStatusSeen(status: status, niceStatus: niceStatus, at: at)
    }

    private static func readProgress(_ reader: inout JSONPullReader) throws -> TransferProgress {
        var progress = TransferProgress()
        try reader.readObject { reader, key in
            switch key {
            case "objects_total": progress.objectsTotal = reader.readNull() ? nil : try int(&reader)
            case "objects_done": progress.objectsDone = reader.readNull() ? 0 : try int(&reader)
            case "bytes_total": progress.bytesTotal = reader.readNull() ? nil : try reader.readInteger()
            case "bytes_done": progress.bytesDone = reader.readNull() ? 0 : try reader.readInteger()
            default: try reader.skipValue()
            }
        }
        return progress
    }

    private static func readRecordedError(_ reader: inout JSONPullReader) throws -> RecordedError {
        var code: String?
        var message: String?
        var at: Date?
        var transient = false
        try reader.readObject { reader, key in
            switch key {
            case "code": code = try reader.readString()
            case "message": message = try reader.readString()
            case "at": at = try date(&reader)
            case "transient": transient = reader.readNull() ? false : try reader.readBool()
            default: try reader.skipValue()
            }
        }
        guard let code, let message, let at else { throw JSONPullReader.Unsupported() }
        return RecordedError(code: code, message: message, at: at, transient: transient)
    }

    private static func readTransientTrouble(_ reader: inout JSONPullReader) throws -> TransientTrouble {
        var since: Date?
        var reportedAt: Date?
        try reader.readObject { reader, key in
            switch key {
            case "since": since = try date(&reader)
            case "reported_at": reportedAt = reader.readNull() ? nil : try date(&reader)
            default: try reader.skipValue()
            }
        }
        guard let since else { throw JSONPullReader.Unsupported() }
        var trouble = TransientTrouble(since: since)
        // As the Decodable path: timestamps kept as written.
        trouble.since = since
        trouble.reportedAt = reportedAt
        return trouble
    }

    private static func readGlobusHealth(_ reader: inout JSONPullReader) throws -> GlobusHealth {
        var kind: GlobusHealth.Class?
        var reason = ""
        var since: Date?
        var bytes: Int64 = 0
        var filesTransferred = 0
        var files: Int?
        var progressAt: Date?
        var faults = 0
        var lastFaults: [String] = []
        var deadline: Date?
        try reader.readObject { reader, key in
            switch key {
            case "class": kind = try enumValue(&reader) as GlobusHealth.Class
            case "reason": reason = try reader.readOptionalString() ?? ""
            case "since": since = try date(&reader)
            case "bytes_transferred": bytes = reader.readNull() ? 0 : try reader.readInteger()
            case "files_transferred": filesTransferred = reader.readNull() ? 0 : try int(&reader)
            case "files": files = reader.readNull() ? nil : try int(&reader)
            case "progress_at": progressAt = reader.readNull() ? nil : try date(&reader)
            case "faults": faults = reader.readNull() ? 0 : try int(&reader)
            case "last_faults":
                lastFaults = []
                if !reader.readNull() {
                    try reader.readArray { reader in lastFaults.append(try reader.readString()) }
                }
            case "deadline": deadline = reader.readNull() ? nil : try date(&reader)
            default: try reader.skipValue()
            }
        }
        guard let kind, let since else { throw JSONPullReader.Unsupported() }
        var health = GlobusHealth(
            class: kind, reason: reason, since: since, bytesTransferred: bytes, filesTransferred: filesTransferred,
            files: files, progressAt: progressAt ?? since, faults: faults, lastFaults: lastFaults, deadline: deadline)
        // As the Decodable path: timestamps kept as written.
        health.since = since
        health.progressAt = progressAt ?? since
        health.deadline = deadline
        return health
    }

    // MARK: - Values

    private static func prefix(_ reader: inout JSONPullReader) throws -> S3Prefix {
        guard let prefix = S3Prefix(url: try reader.readString()) else { throw JSONPullReader.Unsupported() }
        return prefix
    }

    private static func date(_ reader: inout JSONPullReader) throws -> Date {
        guard let date = RFC3339.date(from: try reader.readString()) else { throw JSONPullReader.Unsupported() }
        return date
    }

    private static func int(_ reader: inout JSONPullReader) throws -> Int {
        guard let value = Int(exactly: try reader.readInteger()) else { throw JSONPullReader.Unsupported() }
        return value
    }

    private static func enumValue<T: RawRepresentable<String>>(_ reader: inout JSONPullReader) throws -> T {
        guard let value = T(rawValue: try reader.readString()) else { throw JSONPullReader.Unsupported() }
        return value
    }
}
