import CopyPTHTTP
import Foundation

/// The emulator's task submission (scripts/lib/globus_emulator_submit.py): collections backed
/// by a local folder or an S3 endpoint (moto), submission knobs, and what was submitted.
extension GlobusEmulator {
    /// Registers a source collection backed by the local folder `root` (Globus path `/a/b` is
    /// `root/a/b`); returns its id.
    /// - Parameter dataAccessConsent: `true` makes a submission naming it answer 403
    ///   `ConsentRequired` unless the token's grant carries its data_access scope.
    @discardableResult
    public func registerFolderCollection(
        root: String, id: String? = nil, displayName: String? = nil, dataAccessConsent: Bool = false
    ) async throws -> String {
        var body: [String: Any] = ["type": "posix", "root": root, "data_access_consent": dataAccessConsent]
        if let id { body["id"] = id }
        if let displayName { body["display_name"] = displayName }
        return try await control("collections", body)["id"] as? String ?? ""
    }

    /// Registers an S3 collection on `endpointURL` (e.g. moto's): Globus path `/BUCKET/KEY`, or
    /// `/KEY` when `bucket` is given; returns its id. `sessionRequiredMFA` and
    /// `sessionRequiredDomains` make a submission naming it answer 403 AuthorizationRequired
    /// unless the token's login asked for them (`session_required_mfa`, `…_single_domain`).
    @discardableResult
    public func registerS3Collection(
        endpointURL: String, bucket: String? = nil, id: String? = nil, displayName: String? = nil,
        dataAccessConsent: Bool = false, entityType: String? = nil, highAssurance: Bool = false,
        sessionRequiredMFA: Bool = false, sessionRequiredDomains: [String] = []
    ) async throws -> String {
        var body: [String: Any] = [
            "type": "s3", "endpoint_url": endpointURL, "data_access_consent": dataAccessConsent,
            "high_assurance": highAssurance, "session_required_mfa": sessionRequiredMFA,
            "session_required_single_domain": sessionRequiredDomains,
        ]
        if let bucket { body["bucket"] = bucket }
        if let id { body["id"] = id }
        if let displayName { body["display_name"] = displayName }
        if let entityType { body["entity_type"] = entityType }
        return try await control("collections", body)["id"] as? String ?? ""
    }

    /// Settings for later submissions: reads answering ACTIVE before the task finishes, accepted
    /// submissions whose answer is lost (`loseReplyStatus` 0 closes the connection), tasks that
    /// end FAILED.
    /// `replyDelay` holds an accepted submission's answer back after its task exists (time to
    /// kill the client mid-submission).
    public func configureSubmissions(
        activePolls: Int? = nil, loseReplies: Int? = nil, loseReplyStatus: Int? = nil, failNext: Int? = nil,
        replyDelay: Double? = nil
    ) async throws {
        var body: [String: Any] = [:]
        if let replyDelay { body["reply_delay"] = replyDelay }
        if let activePolls { body["active_polls"] = activePolls }
        if let loseReplies { body["lose_replies"] = loseReplies }
        if let loseReplyStatus { body["lose_reply_status"] = loseReplyStatus }
        if let failNext { body["fail_next"] = failNext }
        _ = try await control("submit", body)
    }

    /// Lets a submitted task finish after `activePolls` more reads (0: the next one).
    public func release(taskID: String, activePolls: Int = 0) async throws {
        _ = try await control("transfers/\(taskID)", ["active_polls": activePolls])
    }

    /// What was submitted so far.
    public struct Submissions: Sendable, Decodable {
        /// One submission id and the task it made.
        public struct Entry: Sendable, Decodable {
            public var submissionID: String
            public var taskID: String
            public var ownerID: String
            /// POSTs with this submission id (the first and every Duplicate).
            public var attempts: Int
            enum CodingKeys: String, CodingKey {
                case attempts
                case submissionID = "submission_id"
                case taskID = "task_id"
                case ownerID = "owner_id"
            }
        }
        public var submissions: [Entry]
        /// Every POST /v0.10/transfer, refused ones included.
        public var transferPosts: Int
        /// Tasks created by submission.
        public var tasksCreated: Int
        enum CodingKeys: String, CodingKey {
            case submissions
            case transferPosts = "transfer_posts"
            case tasksCreated = "tasks_created"
        }
    }

    /// The submissions so far.
    public func submissions() async throws -> Submissions {
        let response = try await transport.send(HTTPRequest(method: .get, url: root + "_emulator/submissions"))
        return try JSONDecoder().decode(Submissions.self, from: Data(response.body))
    }
}
