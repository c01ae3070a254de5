import Foundation

/// The S3 Batch Operations job that copies a transfer (record key `batch`): where its manifest
/// and report are, the token that makes its CreateJob idempotent, and what DescribeJob said last.
///
/// Written before the manifest is uploaded and again right after CreateJob answers, so a kill at
/// any instant either finds the job id here or re-sends CreateJob with the same token (which
/// answers the same job, never a second one).
public struct BatchJobRecord: Sendable, Hashable, Codable {
    /// The `ClientRequestToken` of CreateJob, derived from the record id (`copypt-<id>-<n>`).
    public var clientRequestToken: String
    /// The manifest object, `s3://<staging-bucket>/.copypt/batch/<id>/manifest-<n>.csv`.
    public var manifest: String
    /// The manifest's ETag (with quotes) once uploaded; `nil` before.
    public var manifestETag: String?
    /// Objects in the manifest.
    public var manifestObjects: Int?
    /// Objects over 5 GB the sweep copies itself (UploadPartCopy), not the job.
    public var directObjects: Int
    /// The job id once CreateJob answered; `nil` before.
    public var jobID: String?
    /// The job's status as DescribeJob said last (`Preparing`, `Active`, `Complete`, …).
    public var status: String?
    /// `TotalNumberOfTasks` as said last.
    public var tasksTotal: Int64?
    /// `NumberOfTasksSucceeded` as said last.
    public var tasksSucceeded: Int64
    /// `NumberOfTasksFailed` as said last.
    public var tasksFailed: Int64
    /// Where the completion report goes: `s3://<staging-bucket>/.copypt/batch/<id>/report`
    /// (the job writes under `<prefix>/job-<job id>/`).
    public var report: String
    /// When DescribeJob was last asked.
    public var checkedAt: Date?
    /// Which job of the transfer this is: 1, then one more for each `retry` after a Failed or
    /// Cancelled job (each has its own token, so the retry makes a new job).
    public var attempt: Int = 1

    /// A job record before its manifest is written.
    public init(clientRequestToken: String, manifest: String, report: String) {
        self.clientRequestToken = clientRequestToken
        self.manifest = manifest
        self.report = report
        self.directObjects = 0
        self.tasksSucceeded = 0
        self.tasksFailed = 0
    }

    enum CodingKeys: String, CodingKey {
        case clientRequestToken = "client_request_token"
        case manifest
        case manifestETag = "manifest_etag"
        case manifestObjects = "manifest_objects"
        case directObjects = "direct_objects"
        case jobID = "job_id"
        case status
        case tasksTotal = "tasks_total"
        case tasksSucceeded = "tasks_succeeded"
        case tasksFailed = "tasks_failed"
        case report
        case checkedAt = "checked_at"
        case attempt
    }

    /// Decodes, taking 0 for absent counters.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clientRequestToken = try c.decode(String.self, forKey: .clientRequestToken)
        manifest = try c.decode(String.self, forKey: .manifest)
        manifestETag = try c.decodeIfPresent(String.self, forKey: .manifestETag)
        manifestObjects = try c.decodeIfPresent(Int.self, forKey: .manifestObjects)
        directObjects = try c.decodeIfPresent(Int.self, forKey: .directObjects) ?? 0
        jobID = try c.decodeIfPresent(String.self, forKey: .jobID)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        tasksTotal = try c.decodeIfPresent(Int64.self, forKey: .tasksTotal)
        tasksSucceeded = try c.decodeIfPresent(Int64.self, forKey: .tasksSucceeded) ?? 0
        tasksFailed = try c.decodeIfPresent(Int64.self, forKey: .tasksFailed) ?? 0
        report = try c.decode(String.self, forKey: .report)
        checkedAt = try c.decodeIfPresent(Date.self, forKey: .checkedAt)
        attempt = try c.decodeIfPresent(Int.self, forKey: .attempt) ?? 1
    }

    /// The token of a record's `attempt`th job: `copypt-<id>`, then `copypt-<id>-<attempt>`.
    public static func token(recordID: String, attempt: Int) -> String {
        attempt <= 1 ? "copypt-\(recordID)" : "copypt-\(recordID)-\(attempt)"
    }

    /// What `copypt retry` does to the job: after a Failed or Cancelled job, the next sweep
    /// writes a new manifest and creates a new job (a new token); after a Complete one whose
    /// report failed the transfer, the next sweep copies what is missing directly.
    public mutating func retry(recordID: String) {
        switch status {
        case "Failed", "Cancelled":
            attempt += 1
            clientRequestToken = Self.token(recordID: recordID, attempt: attempt)
            manifestETag = nil
            manifestObjects = nil
            jobID = nil
            status = nil
            tasksTotal = nil
            tasksSucceeded = 0
            tasksFailed = 0
        case "Complete":
            tasksFailed = 0
        default:
            break
        }
    }
}
