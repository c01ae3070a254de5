/// Globus's answer to a submission (`DATA_TYPE` `transfer_result`): `code` `Accepted` for a new
/// task, `Duplicate` when the `submission_id` was submitted before (the task is the original
/// one), with `task_id` and `submission_id` either way.
public struct GlobusSubmissionResult: Sendable, Hashable, Decodable {
    /// `Accepted` or `Duplicate`.
    public var code: String
    /// The task the submission made (or made before).
    public var taskID: String
    /// The submission id Globus recorded.
    public var submissionID: String?
    /// Globus's `request_id`, when sent.
    public var requestID: String?

    /// A result (for tests).
    public init(code: String, taskID: String, submissionID: String? = nil, requestID: String? = nil) {
        self.code = code
        self.taskID = taskID
        self.submissionID = submissionID
        self.requestID = requestID
    }

    /// `true` for `Duplicate`: the task existed already.
    public var isDuplicate: Bool { code == "Duplicate" }

    enum CodingKeys: String, CodingKey {
        case code
        case taskID = "task_id"
        case submissionID = "submission_id"
        case requestID = "request_id"
    }
}
