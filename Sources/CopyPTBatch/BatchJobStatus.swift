import CopyPTS3

/// What `DescribeJob` says of a job: its status, progress and why it stopped
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_DescribeJob.html).
public struct BatchJobStatus: Sendable, Hashable {
    /// The job id.
    public var jobID: String
    /// `Status`: Active, Cancelled, Cancelling, Complete, Completing, Failed, Failing, New,
    /// Paused, Pausing, Preparing, Ready or Suspended.
    public var status: String
    /// `ProgressSummary.TotalNumberOfTasks`, when given.
    public var tasksTotal: Int64?
    /// `ProgressSummary.NumberOfTasksSucceeded`.
    public var tasksSucceeded: Int64
    /// `ProgressSummary.NumberOfTasksFailed`.
    public var tasksFailed: Int64
    /// `FailureReasons` as `code: reason`, and `StatusUpdateReason`/`SuspendedCause` when given.
    public var reasons: [String]

    /// A status.
    public init(jobID: String, status: String, tasksTotal: Int64? = nil, tasksSucceeded: Int64 = 0, tasksFailed: Int64 = 0, reasons: [String] = []) {
        self.jobID = jobID
        self.status = status
        self.tasksTotal = tasksTotal
        self.tasksSucceeded = tasksSucceeded
        self.tasksFailed = tasksFailed
        self.reasons = reasons
    }

    /// `true` once the job will change no more (Complete, Failed, Cancelled).
    public var isFinished: Bool { ["Complete", "Failed", "Cancelled"].contains(status) }

    /// `true` for a job that ended or stopped without finishing its tasks (Failed, Failing,
    /// Cancelled, Cancelling, Suspended): its transfer needs a person.
    public var isStopped: Bool { ["Failed", "Failing", "Cancelled", "Cancelling", "Suspended"].contains(status) }

    /// Reads a `DescribeJobResult`; `nil` when the body is not one.
    /// - Throws: ``BatchReplyError`` for a count that is not a number.
    init?(xml bytes: [UInt8]) throws(BatchReplyError) {
        guard let root = S3XMLElement.parse(bytes), root.isNamed("DescribeJobResult"), let job = root.child("Job"),
              let id = job.string("JobId"), let status = job.string("Status")
        else { return nil }
        func count(_ element: S3XMLElement?, _ name: String) throws(BatchReplyError) -> Int64? {
            guard let text = element?.string(name) else { return nil }
            guard let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw BatchReplyError(detail: "\(name) \(text.prefix(40)) of job \(id) is not a count")
            }
            return value
        }
        let progress = job.child("ProgressSummary")
        var reasons: [String] = []
        for failure in job.child("FailureReasons")?.children ?? [] {
            let code = failure.string("FailureCode") ?? ""
            let reason = failure.string("FailureReason") ?? ""
            reasons.append(code.isEmpty ? reason : reason.isEmpty ? code : "\(code): \(reason)")
        }
        for name in ["StatusUpdateReason", "SuspendedCause"] {
            if let text = job.string(name), !text.isEmpty { reasons.append(text) }
        }
        self.init(
            jobID: id, status: status, tasksTotal: try count(progress, "TotalNumberOfTasks"),
            tasksSucceeded: try count(progress, "NumberOfTasksSucceeded") ?? 0,
            tasksFailed: try count(progress, "NumberOfTasksFailed") ?? 0, reasons: reasons)
    }
}
