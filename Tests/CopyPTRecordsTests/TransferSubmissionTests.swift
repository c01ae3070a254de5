@testable import CopyPTRecords
import Foundation
import Testing

/// The record key `submission` (`copypt transfer`) and the state `submitting`.
@Suite struct TransferSubmissionTests {
    static func submitting(accepted: Bool = false) -> TransferRecord {
        var record = SampleRecords.waiting()
        record.state = .submitting
        record.globusTaskID = ""
        record.submission = TransferSubmission(
            submissionID: "1b7e5c1e-5a0c-11ef-9a6c-0242ac120002", sourceCollection: "6c54cade-bde5-45c1-bdea-f4bd71dba2cc",
            sourcePath: "/data/run42/", stagingCollection: "31ce9ba0-176d-45a5-add3-f37d233ba47d", syncLevel: .checksum,
            verifyChecksum: false, deadline: SampleRecords.addedAt.addingTimeInterval(86_400), submittedAt: SampleRecords.addedAt,
            acceptedAt: accepted ? SampleRecords.addedAt.addingTimeInterval(2) : nil)
        return record
    }

    @Test("a submitting record round-trips through JSONDecoder and the pull reader alike, submission included",
          arguments: [submitting(), submitting(accepted: true)])
    func roundTrip(record: TransferRecord) throws {
        let data = try RecordCoding.encode(record)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""globus_task_id":"""#) || text.contains(#""globus_task_id" : """#))
        #expect(text.contains(#""submission_id""#) && text.contains(#""state":"submitting""#) || text.contains(#""state" : "submitting""#))
        let decoded = try RecordCoding.makeDecoder().decode(TransferRecord.self, from: data)
        #expect(decoded == record)
        #expect(try TransferRecord(pullReading: data) == record)
    }

    @Test("a record without submission (made by add) writes no submission key and reads back without one")
    func absentByDefault() throws {
        let data = try RecordCoding.encode(SampleRecords.waiting())
        #expect(!String(decoding: data, as: UTF8.self).contains("submission"))
        #expect(try TransferRecord(pullReading: data).submission == nil)
    }

    @Test("accepting a submission gives the task id and makes the record an ordinary waiting one")
    func accept() {
        var record = Self.submitting()
        record.lastError = RecordedError(code: "ConsentRequired", message: "log in", at: SampleRecords.addedAt)
        let later = SampleRecords.addedAt.addingTimeInterval(60)
        let accepted = record.accept(taskID: "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002", at: later)
        #expect(accepted)
        #expect(record.state == .waiting && record.globusTaskID == "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
        #expect(record.submission?.acceptedAt == later && record.lastError == nil)
        let again = record.accept(taskID: "other", at: later)
        #expect(!again)
        #expect(record.globusTaskID == "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
    }

    @Test("a submitting record can be cancelled; retrying a never-accepted one goes back to submitting")
    func cancelAndRetry() throws {
        var record = Self.submitting()
        let cancelled = try record.cancel(at: SampleRecords.addedAt)
        #expect(cancelled)
        #expect(record.state == .cancelled)
        try record.retry(at: SampleRecords.addedAt)
        #expect(record.state == .submitting)
        #expect(throws: RecordError.self) { try record.retry(at: SampleRecords.addedAt) }
        #expect(TransferState.submitting.isActive)
    }
}
