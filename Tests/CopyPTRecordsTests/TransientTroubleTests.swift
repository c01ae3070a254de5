import CopyPTRecords
import Foundation
import Testing

@Suite struct TransientTroubleTests {
    @Test("a record's transient trouble survives encode then decode, by the pull reader and by JSONDecoder alike")
    func roundTrip() throws {
        var record = SampleRecords.waiting()
        let since = try #require(RFC3339.date(from: "2026-12-05T10:00:00Z"))
        let reported = try #require(RFC3339.date(from: "2026-12-05T11:05:00Z"))
        record.transientTrouble = TransientTrouble(since: since, reportedAt: reported)
        let data = try RecordCoding.encode(record)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains(#""transient_trouble" : {"#))
        #expect(text.contains(#""reported_at" : "2026-12-05T11:05:00Z""#))
        #expect(try RecordCoding.decode(data, path: "x.json") == record)
        #expect(try RecordCoding.makeDecoder().decode(TransferRecord.self, from: data) == record)
    }

    @Test("a record without trouble is written without the key, so older copypt versions read it unchanged")
    func absentWhenNone() throws {
        let text = String(decoding: try RecordCoding.encode(SampleRecords.waiting()), as: UTF8.self)
        #expect(!text.contains("transient_trouble"))
    }

    @Test("trouble not yet reported reads back with no reported_at")
    func notYetReported() throws {
        var record = SampleRecords.waiting()
        record.transientTrouble = TransientTrouble(since: try #require(RFC3339.date(from: "2026-12-05T10:00:00Z")))
        let back = try RecordCoding.decode(try RecordCoding.encode(record), path: "x.json")
        #expect(back.transientTrouble?.reportedAt == nil)
        #expect(back == record)
    }
}
