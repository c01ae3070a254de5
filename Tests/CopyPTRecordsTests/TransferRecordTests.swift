import CopyPTRecords
import Foundation
import Testing

@Suite struct TransferRecordTests {
    @Test("a record encodes to the documented version-1 JSON, every key present")
    func encodesSchema() throws {
        let data = try RecordCoding.encode(SampleRecords.waiting())
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text == """
            {
              "attempts" : 0,
              "created_at" : "2026-11-25T09:41:07Z",
              "from" : "s3://my-staging/run42/",
              "globus_path" : "/my-staging/run42/",
              "globus_status" : null,
              "globus_task_id" : "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002",
              "id" : "20261125-3f9a2c",
              "label" : "run 42",
              "last_error" : null,
              "notes" : [

              ],
              "options" : {
                "acl" : "bucket-owner-full-control",
                "delete_staging" : false,
                "dest_owner" : "111122223333",
                "profile" : "lab",
                "source_owner" : "444455556666",
                "sse" : "aws:kms",
                "sse_kms_key_id" : "alias/lab",
                "storage_class" : "INTELLIGENT_TIERING"
              },
              "plan_source" : null,
              "progress" : {
                "bytes_done" : 0,
                "bytes_total" : null,
                "objects_done" : 0,
                "objects_total" : null
              },
              "state" : "waiting",
              "to" : "s3://lab-archive/2026/run42/",
              "updated_at" : "2026-11-25T09:41:07Z",
              "version" : 1
            }

            """)
    }

    @Test("every field survives encode then decode", arguments: [SampleRecords.waiting(), SampleRecords.busy()])
    func roundTrip(record: TransferRecord) throws {
        let data = try RecordCoding.encode(record)
        let back = try RecordCoding.decode(data, path: "x.json")
        #expect(back == record)
        #expect(back.version == 1)
    }

    @Test("a minimal record takes the documented defaults for optional keys")
    func minimalRecordDefaults() throws {
        let json = """
            {"version": 1, "id": "20261125-000001", "globus_task_id": "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002",
             "from": "s3://a-staging/x/", "to": "s3://b-dest/", "globus_path": "/a-staging/x/",
             "state": "waiting", "created_at": "2026-11-25T09:41:07.250Z", "updated_at": "2026-11-25T10:41:07+01:00",
             "some_future_key": {"ignored": true}}
            """
        let record = try RecordCoding.decode(Data(json.utf8), path: "x.json")
        #expect(record.options == CopyOptions())
        #expect(record.options.acl == .bucketOwnerFullControl)
        #expect(record.progress == TransferProgress())
        #expect(record.attempts == 0 && record.notes.isEmpty && record.lastError == nil)
        #expect(record.to.prefix == "")
        #expect(RFC3339.string(from: record.updatedAt) == "2026-11-25T09:41:07Z")
    }

    @Test("an unknown schema version is refused, not guessed at")
    func unknownVersionRejected() {
        let json = #"{"version": 2, "id": "20261125-000001", "whatever": "new"}"#
        #expect(throws: RecordError.unsupportedVersion(path: "p.json", version: 2)) {
            try RecordCoding.decode(Data(json.utf8), path: "p.json")
        }
    }

    @Test("records that are not version-1 records are corrupt, with a one-line reason", arguments: [
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ("[1,2]", "wrong type"),
        (#"{"id": "x"}"#, #"no "version" field"#),
        (#"{"version": "1"}"#, "wrong type"),
        (#"{"version": 1, "id": "a"}"#, #"missing "globus_task_id""#),
        (#"{"version":1,"id":"a","globus_task_id":"t","from":"http://x/","to":"s3://b/","globus_path":"/","state":"waiting","created_at":"2026-11-25T09:41:07Z","updated_at":"2026-11-25T09:41:07Z"}"#, "bad value at from"),
        (#"{"version":1,"id":"a","globus_task_id":"t","from":"s3://a/","to":"s3://b/","globus_path":"/","state":"sleeping","created_at":"2026-11-25T09:41:07Z","updated_at":"2026-11-25T09:41:07Z"}"#, "bad value at state"),
        (#"{"version":1,"id":"a","globus_task_id":"t","from":"s3://a/","to":"s3://b/","globus_path":"/","state":"done","created_at":"yesterday","updated_at":"2026-11-25T09:41:07Z"}"#, "bad value at created_at"),
    ])
    func corruptRecords(json: String, reason: String) throws {
        do {
            _ = try RecordCoding.decode(Data(json.utf8), path: "/s/transfers/a.json")
            Issue.record("decoded \(json)")
        } catch let RecordError.corrupt(path, detail) {
            #expect(path == "/s/transfers/a.json")
            #expect(detail.contains(reason), "\(detail)")
            #expect(!RecordError.corrupt(path: path, detail: detail).description.contains("\n"))
        }
    }

    @Test("cancel and retry follow the state machine", arguments: [
        (TransferState.waiting, "cancel", TransferState?.some(.cancelled)),
        (.copying, "cancel", .cancelled),
        (.failed, "cancel", .cancelled),
        (.cancelled, "cancel", .cancelled),
        (.done, "cancel", nil),
        (.failed, "retry", .waiting),
        (.cancelled, "retry", .waiting),
        (.waiting, "retry", nil),
        (.copying, "retry", nil),
        (.done, "retry", nil),
    ])
    func transitions(from state: TransferState, action: String, expected: TransferState?) throws {
        var record = SampleRecords.waiting()
        record.state = state
        record.lastError = RecordedError(code: "AccessDenied", message: "no", at: SampleRecords.addedAt)
        let later = SampleRecords.addedAt.addingTimeInterval(3600)
        do {
            if action == "cancel" { try record.cancel(at: later) } else { try record.retry(at: later) }
            #expect(record.state == expected)
            if action == "retry" { #expect(record.lastError == nil && record.updatedAt == later) }
        } catch let error as RecordError {
            #expect(expected == nil)
            #expect(error == .invalidTransition(id: record.id, state: state, action: action))
        }
    }

    @Test("retry resumes copying, keeping progress, once a copy had begun")
    func retryKeepsProgress() throws {
        var record = SampleRecords.busy()
        record.state = .failed
        try record.retry(at: SampleRecords.addedAt.addingTimeInterval(7200))
        #expect(record.state == .copying)
        #expect(record.progress.objectsDone == 17 && record.attempts == 0 && record.lastError == nil)
    }

    @Test("error messages are folded onto one line")
    func errorMessageOneLine() {
        let note = RecordedError(code: "X", message: "first line\r\n\tsecond\u{2028}third\n", at: SampleRecords.addedAt)
        #expect(note.message == "first line second third")
    }
}
