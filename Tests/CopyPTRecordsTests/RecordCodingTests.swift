import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// Reading record files: nesting past the JSON depth limit is refused on either reading path.
@Suite struct RecordCodingTests {
    /// A valid record with `extra` added under a key the record does not know.
    static func record(adding extra: String, versionAsString: Bool = false) throws -> Data {
        var text = String(decoding: try RecordCoding.encode(SampleRecords.waiting()), as: UTF8.self)
        let open = try #require(text.firstIndex(of: "{"))
        text.insert(contentsOf: "\"x-hand-edit\": \(extra),", at: text.index(after: open))
        if versionAsString {
            text = text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : \"1\"")
        }
        return Data(text.utf8)
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    @Test("a record holding 20,000 nested arrays is refused as corrupt, naming the file and the limit")
    func deepRecord() throws {
        let data = try Self.record(adding: Self.nested(20_000))
        #expect {
            _ = try RecordCoding.decode(data, path: "/s/transfers/20261125-3f9a2c.json")
        } throws: { error in
            guard case .corrupt(let path, let detail)? = error as? RecordError else { return false }
            return path == "/s/transfers/20261125-3f9a2c.json" && detail.contains("deeper than 64 levels")
        }
    }

    @Test("deep nesting is refused on the JSONDecoder path too (a record the pull reader hands on)")
    func deepRecordOnTheDecoderPath() throws {
        // 100 levels: within JSONDecoder's own limit of 512, past copypt's 64.
        let data = try Self.record(adding: Self.nested(100), versionAsString: true)
        #expect {
            _ = try RecordCoding.decode(data, path: "/s/r.json")
        } throws: { error in
            guard case .corrupt(_, let detail)? = error as? RecordError else { return false }
            return detail.contains("deeper than 64 levels")
        }
    }

    @Test("nesting up to the limit in an unknown key still reads")
    func nestingAtTheLimit() throws {
        // The record object is level 1, so 63 more arrays reach 64.
        let record = try RecordCoding.decode(try Self.record(adding: Self.nested(63)), path: "/s/r.json")
        #expect(record == SampleRecords.waiting())
        #expect(throws: RecordError.self) { try RecordCoding.decode(try Self.record(adding: Self.nested(64)), path: "/s/r.json") }
    }

    @Test("loadAll names and skips a record nested 20,000 deep and loads the others")
    func loadAllSkipsDeepRecord() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting(id: "20261125-000001"))
            var deep = String(decoding: try RecordCoding.encode(SampleRecords.waiting(id: "20261125-000002")), as: UTF8.self)
            deep.insert(contentsOf: "\"notes\": \(Self.nested(20_000)),", at: deep.index(after: deep.startIndex))
            try Data(deep.utf8).write(to: store.transfersDirectory.appendingPathComponent("20261125-000002.json"))

            let listing = try store.loadAll()
            #expect(listing.records.map(\.id) == ["20261125-000001"])
            #expect(listing.problems.map(\.fileName) == ["20261125-000002.json"])
            let message = try #require(listing.problems.first).description
            #expect(message.contains("20261125-000002.json") && message.contains("deeper than 64 levels"), "\(message)")
        }
    }
}
