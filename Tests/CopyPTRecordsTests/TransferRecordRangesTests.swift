import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct TransferRecordRangesTests {
    /// The sample record's JSON with `field` (a key path such as `progress.bytes_done`) set to `value`.
    static func recordText(_ field: String, _ value: Int64) throws -> Data {
        let data = try RecordCoding.encode(SampleRecords.busy())
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let parts = field.split(separator: ".").map(String.init)
        if parts.count == 2 {
            var inner = try #require(object[parts[0]] as? [String: Any])
            inner[parts[1]] = NSNumber(value: value)
            object[parts[0]] = inner
        } else {
            object[field] = NSNumber(value: value)
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    @Test("a counter near Int64.max or below 0 makes the record unreadable, named with its field; the file is left as it was",
          arguments: [
              ("progress.bytes_done", Int64.max - 807),
              ("attempts", Int64.max),
              ("progress.objects_done", -1),
              ("progress.objects_total", TransferRecord.counterLimit + 1),
              ("progress.bytes_total", Int64.min),
          ])
    func outOfRange(field: String, value: Int64) throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.prepare()
            let id = SampleRecords.busy().id
            let text = try Self.recordText(field, value)
            let path = store.recordURL(for: id).path
            try text.write(to: store.recordURL(for: id))
            let listing = try store.loadAll()
            #expect(listing.records.isEmpty)
            let problem = try #require(listing.problems.first)
            #expect(problem.error == .outOfRange(path: path, field: field, value: String(value)))
            #expect(problem.description.contains("\(path): field \(field) out of range"))
            #expect(throws: RecordError.outOfRange(path: path, field: field, value: String(value))) { try store.load(id) }
            #expect(try Data(contentsOf: store.recordURL(for: id)) == text)
        }
    }

    @Test("2^53 − 1 in every counter is read back as written")
    func limitAccepted() throws {
        var record = SampleRecords.busy()
        let limit = TransferRecord.counterLimit
        record.attempts = Int(limit)
        record.progress = TransferProgress(objectsTotal: Int(limit), objectsDone: Int(limit), bytesTotal: limit, bytesDone: limit)
        #expect(try RecordCoding.decode(RecordCoding.encode(record), path: "x") == record)
    }

    @Test("the next attempt is held at the limit instead of counting past it")
    func nextAttemptHeld() {
        var record = SampleRecords.busy()
        #expect(record.nextAttempt == 3)
        record.attempts = Int(TransferRecord.counterLimit)
        #expect(record.nextAttempt == Int(TransferRecord.counterLimit))
    }

    @Test("sums saturate at the bounds instead of trapping")
    func saturating() {
        #expect(Saturating.add(Int64.max - 1, 5) == .max)
        #expect(Saturating.add(Int64.min + 1, -5) == .min)
        #expect(Saturating.add(2, 3) == 5)
        #expect(Saturating.sum([Int.max, Int.max, 1]) == .max)
        #expect(Saturating.sum([Int64]()) == 0)
    }
}
