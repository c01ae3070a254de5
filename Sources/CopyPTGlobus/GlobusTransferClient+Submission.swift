import CopyPTHTTP
import Foundation

extension GlobusTransferClient {
    // MARK: - Submission (docs.globus.org/api/transfer/task_submit)

    /// A fresh `submission_id`: `GET submission_id` → `{"value": ID}`. Submitting two documents
    /// with the same id makes one task; the second answer is `Duplicate`.
    public func submissionID() async throws -> String {
        let operation = "getting a Globus submission id"
        let answer = try await getDecoded(SubmissionIDDocument.self, "submission_id", operation: operation)
        let value = answer.value.lowercased()
        guard value.count == 36, UUID(uuidString: value) != nil else {
            throw GlobusError.unparseableResponse(operation: operation, status: 200, detail: "submission id \(GlobusText.oneLine(value, limit: 60)) is not a UUID")
        }
        return value
    }

    /// `POST transfer` with `document`. The request is retried like any other (429, 5xx, a
    /// lost connection): with the same `submission_id`, a retry cannot make a second task.
    /// - Returns: the task id and whether it is a `Duplicate`.
    /// - Throws: ``GlobusError`` as Globus answered (e.g. 403 `ConsentRequired`, 404
    ///   `EndpointNotFound`, 400 `ClientError.BadRequest…`).
    public func submitTransfer(_ document: GlobusTransferDocument) async throws -> GlobusSubmissionResult {
        let operation = "submitting Globus transfer \(document.submissionID)"
        let body: [UInt8]
        do {
            body = try document.json()
        } catch {
            throw GlobusError.configuration("cannot encode the transfer document: \(error)")
        }
        let response = try await send(.post, "transfer", json: body, operation: operation)
        guard let result = try? JSONDecoder().decode(GlobusSubmissionResult.self, from: Data(response.body)),
              result.taskID.count == 36, UUID(uuidString: result.taskID) != nil
        else {
            throw GlobusError.unparseableResponse(operation: operation, status: response.status, detail: Self.excerpt(response.body))
        }
        guard result.code == "Accepted" || result.code == "Duplicate" else {
            throw GlobusError.unparseableResponse(
                operation: operation, status: response.status, detail: "result code \(GlobusText.oneLine(result.code, limit: 60))")
        }
        var normalized = result
        normalized.taskID = result.taskID.lowercased()
        return normalized
    }

    /// `GET endpoint/{id}`: the collection's document, which also proves the identity can see it.
    /// - Throws: ``GlobusError`` (404 `EndpointNotFound`, 403 `PermissionDenied`, …).
    public func collection(id: String) async throws -> GlobusCollection {
        try await getDecoded(
            GlobusCollection.self, "endpoint/" + PercentEncoding.pathSegment(id),
            operation: "looking up Globus collection \(id)")
    }
}

/// `GET submission_id`'s answer.
struct SubmissionIDDocument: Decodable {
    var value: String
}
