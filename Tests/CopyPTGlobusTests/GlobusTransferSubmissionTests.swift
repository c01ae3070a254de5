@testable import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

/// Submission: `GET submission_id`, `POST transfer`, `GET endpoint/{id}` (shapes from
/// globus-sdk's recorded responses, `testing/data/transfer/*.py`).
@Suite struct GlobusTransferSubmissionTests {
    static let taskID = "42f4e6da-5bd6-11ef-b3b6-0242ac120002"
    static let submissionID = "7ea8e5a8-5bd6-11ef-b3b6-0242ac120002"

    static func document() -> GlobusTransferDocument {
        GlobusTransferDocument(
            submissionID: submissionID, sourceEndpoint: "6c54cade-bde5-45c1-bdea-f4bd71dba2cc",
            destinationEndpoint: "31ce9ba0-176d-45a5-add3-f37d233ba47d", sourcePath: "/data/run42/",
            destinationPath: "/my-staging/run42/", recursive: true, label: "run42", syncLevel: 3)
    }

    @Test("the transfer document is POSTed as JSON: one recursive transfer_item, verify_checksum on, Globus's notifications off")
    func submit() async throws {
        let stub = StubTransport(responses: [jsonResponse([
            "DATA_TYPE": "transfer_result", "code": "Accepted", "request_id": "7HgMVYazI", "resource": "/v0.10/transfer",
            "submission_id": Self.submissionID, "task_id": Self.taskID.uppercased(),
        ], status: 202)])
        let result = try await GlobusTransferClientTests.client(stub).submitTransfer(Self.document())
        #expect(result.taskID == Self.taskID && !result.isDuplicate)
        let request = try #require(stub.requests.first)
        #expect(request.method == .post && request.url == "http://transfer.test/v0.10/transfer")
        #expect(request.headers["Content-Type"] == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["DATA_TYPE"] as? String == "transfer" && body["submission_id"] as? String == Self.submissionID)
        #expect(body["source_endpoint"] as? String == "6c54cade-bde5-45c1-bdea-f4bd71dba2cc")
        #expect(body["destination_endpoint"] as? String == "31ce9ba0-176d-45a5-add3-f37d233ba47d")
        #expect(body["verify_checksum"] as? Bool == true && body["sync_level"] as? Int == 3 && body["label"] as? String == "run42")
        for key in ["notify_on_succeeded", "notify_on_failed", "notify_on_inactive"] { #expect(body[key] as? Bool == false, "\(key)") }
        #expect(body["deadline"] == nil)
        let items = try #require(body["DATA"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["DATA_TYPE"] as? String == "transfer_item" && items.first?["recursive"] as? Bool == true)
        #expect(items.first?["source_path"] as? String == "/data/run42/" && items.first?["destination_path"] as? String == "/my-staging/run42/")
    }

    @Test("Duplicate answers with the original task; an answer without a task id is an error")
    func duplicate() async throws {
        let stub = StubTransport(responses: [
            jsonResponse(["DATA_TYPE": "transfer_result", "code": "Duplicate", "task_id": Self.taskID, "submission_id": Self.submissionID]),
            jsonResponse(["DATA_TYPE": "transfer_result", "code": "Accepted"], status: 202),
        ])
        let client = GlobusTransferClientTests.client(stub)
        let result = try await client.submitTransfer(Self.document())
        #expect(result.isDuplicate && result.taskID == Self.taskID)
        await #expect(throws: GlobusError.self) { try await client.submitTransfer(Self.document()) }
    }

    @Test("submission_id is read from {value}; endpoint/{id} gives the collection and whether it stores into S3")
    func submissionIDAndCollection() async throws {
        let stub = StubTransport(responses: [
            jsonResponse(["value": Self.submissionID.uppercased()]),
            jsonResponse(["DATA_TYPE": "endpoint", "id": "31ce9ba0-176d-45a5-add3-f37d233ba47d", "display_name": "staging",
                          "entity_type": "GCSv5_mapped_collection", "connector_id": GlobusCollection.s3ConnectorID]),
            jsonResponse(["DATA_TYPE": "endpoint", "id": "6c54cade-bde5-45c1-bdea-f4bd71dba2cc", "entity_type": "GCSv4_host", "s3_url": NSNull()]),
        ])
        let client = GlobusTransferClientTests.client(stub)
        #expect(try await client.submissionID() == Self.submissionID)
        let staging = try await client.collection(id: "31ce9ba0-176d-45a5-add3-f37d233ba47d")
        #expect(staging.storesInS3 == true && !staging.isEndpointOnly && staging.name == "staging")
        let other = try await client.collection(id: "6c54cade-bde5-45c1-bdea-f4bd71dba2cc")
        #expect(other.storesInS3 == nil)
        #expect(stub.requests.map(\.url).last == "http://transfer.test/v0.10/endpoint/6c54cade-bde5-45c1-bdea-f4bd71dba2cc")
    }
}
