@testable import CopyPTRecords
import CopyPTJSON
import Foundation
import Testing

/// The pull reader is a fast path only: for every text it must give what JSONDecoder gives,
/// or step aside (throw) so that JSONDecoder decides.
@Suite struct PullReadingTests {
    static func reference(_ text: String) -> TransferRecord? {
        try? RecordCoding.makeDecoder().decode(TransferRecord.self, from: Data(text.utf8))
    }

    static let minimal = """
        {"version": 1, "id": "20261125-000001", "globus_task_id": "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002",
         "from": "s3://a-staging/x/", "to": "s3://b-dest/", "globus_path": "/a-staging/x/",
         "state": "waiting", "created_at": "2026-11-25T09:41:07Z", "updated_at": "2026-11-25T09:41:07Z"}
        """

    /// A waiting record with every `globus_health` field set.
    static func unhealthy() -> TransferRecord {
        var record = SampleRecords.waiting(id: "20261125-0000bb")
        record.globusHealth = GlobusHealth(
            class: .deadlineNear, reason: "Globus gives the task up in 5h", since: SampleRecords.addedAt.addingTimeInterval(7),
            bytesTransferred: 1 << 40, filesTransferred: 3, files: 10, progressAt: SampleRecords.addedAt.addingTimeInterval(5),
            faults: 12, lastFaults: ["PERMISSION_DENIED: write denied", "ü ☃"], deadline: SampleRecords.addedAt.addingTimeInterval(86_400))
        return record
    }

    @Test("records this code writes are read by the pull reader, equal to JSONDecoder's",
          arguments: [SampleRecords.waiting(), SampleRecords.busy(), SampleRecords.waiting(label: nil), unhealthy()])
    func writtenRecords(record: TransferRecord) throws {
        let data = try RecordCoding.encode(record)
        let pulled = try TransferRecord(pullReading: data)
        #expect(pulled == record)
        #expect(pulled == Self.reference(String(decoding: data, as: UTF8.self)))
    }

    static let handEditedTexts: [String] = [
        minimal,
        minimal.replacingOccurrences(of: "\"waiting\"", with: "\"done\"") ,
        minimal.replacingOccurrences(of: "{\"version\": 1,", with: "{\"future\": {\"a\": [1, -2, true, null, \"x\"]}, \"version\": 1,"),
        minimal.replacingOccurrences(of: "}", with: ", \"label\": \"tab\\there \\\"quoted\\\" \\/ back\\\\slash\", \"notes\": [\"ü ☃\", \"b\"]}"),
        minimal.replacingOccurrences(of: "}", with: ", \"options\": null, \"progress\": null, \"attempts\": null, \"notes\": null, \"last_error\": null}"),
        minimal.replacingOccurrences(of: "}", with: ", \"options\": {\"acl\": \"none\", \"storage_class\": \"GLACIER_IR\", \"sse\": \"AES256\", \"delete_staging\": true}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"progress\": {\"objects_total\": 3, \"objects_done\": 2, \"bytes_total\": 9223372036854775807, \"bytes_done\": 0}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"last_error\": {\"code\": \"X\", \"message\": \"two\\nlines\", \"at\": \"2026-11-25T09:41:08Z\", \"transient\": true}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"globus_status\": {\"status\": \"ACTIVE\", \"nice_status\": null, \"at\": \"2026-11-25T09:41:08Z\"}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"globus_health\": {\"class\": \"stalled\", \"since\": \"2026-11-25T09:41:08Z\"}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"globus_health\": {\"class\": \"paused\", \"reason\": null, \"since\": \"2026-11-25T09:41:08Z\", \"bytes_transferred\": null, \"files\": null, \"progress_at\": null, \"last_faults\": null, \"deadline\": null, \"new\": [1]}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"globus_health\": null}"),
        "  \n" + minimal + "\n\n",
        minimal.replacingOccurrences(of: "}", with: ", \"label\": \"\\u00e9 \\u00E9 \\ud83d\\ude00 \\u2028\"}"),
    ]

    @Test("hand-edited but valid records: same as JSONDecoder", arguments: handEditedTexts)
    func handEdited(text: String) throws {
        let reference = try #require(Self.reference(text))
        let pulled = try TransferRecord(pullReading: Data(text.utf8))
        #expect(pulled == reference)
    }

    static let unsupportedTexts: [String] = [
        "", "{", "[1]", #"{"id": "x"}"#,
        minimal.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2"),
        minimal.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 1.0"),
        minimal.replacingOccurrences(of: "\"version\": 1", with: "\"version\": \"1\""),
        minimal.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 01"),
        minimal.replacingOccurrences(of: "\"state\": \"waiting\"", with: "\"state\": \"sleeping\""),
        minimal.replacingOccurrences(of: "\"id\": \"20261125-000001\"", with: "\"id\": null"),
        minimal.replacingOccurrences(of: "s3://b-dest/", with: "http://b-dest/"),
        minimal.replacingOccurrences(of: "}", with: ", \"label\": \"\\ud800\"}"),
        minimal.replacingOccurrences(of: "}", with: ", \"label\": \"\\udc00\\ud800\"}"),
        minimal.replacingOccurrences(of: "}", with: ", \"label\": \"\\u00g9\"}"),
        minimal.replacingOccurrences(of: "}", with: ", \"attempts\": 1e3}"),
        minimal.replacingOccurrences(of: "}", with: ", \"notes\": [null]}"),
        minimal.replacingOccurrences(of: "}", with: ", \"options\": {\"acl\": \"private\"}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"progress\": {\"bytes_done\": 9223372036854775808}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"globus_health\": {\"class\": \"sleepy\", \"since\": \"2026-11-25T09:41:08Z\"}}"),
        minimal.replacingOccurrences(of: "}", with: ", \"globus_health\": {\"class\": \"stalled\"}}"),
        minimal + " x",
        minimal.replacingOccurrences(of: "}", with: ",}"),
    ]

    @Test("anything else is left to JSONDecoder", arguments: unsupportedTexts)
    func leftToJSONDecoder(text: String) {
        #expect(throws: JSONPullReader.Unsupported.self) { try TransferRecord(pullReading: Data(text.utf8)) }
    }

    @Test("a truncated record at every length is never half-read")
    func truncations() throws {
        let data = try RecordCoding.encode(SampleRecords.busy())
        for length in 0..<(data.count - 2) {  // the last two bytes are "}\n"
            #expect(throws: JSONPullReader.Unsupported.self) { try TransferRecord(pullReading: data.prefix(length)) }
        }
    }

    @Test("invalid UTF-8 is left to JSONDecoder")
    func invalidUTF8() {
        var bytes = Array(Self.minimal.utf8)
        let at = try! #require(bytes.firstIndex(of: UInt8(ascii: "a")))
        bytes[at] = 0xFF
        #expect(throws: JSONPullReader.Unsupported.self) { try TransferRecord(pullReading: Data(bytes)) }
    }
}
