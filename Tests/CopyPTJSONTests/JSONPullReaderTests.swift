import CopyPTJSON
import Testing

/// The pull reader's depth limit, and the one-pass depth check used before other decoders.
@Suite struct JSONPullReaderTests {
    static func nested(_ depth: Int, open: String = "[", close: String = "]") -> [UInt8] {
        Array((String(repeating: open, count: depth) + String(repeating: close, count: depth)).utf8)
    }

    static func skip(_ bytes: [UInt8], depthLimit: Int = JSONPullReader.defaultDepthLimit) throws {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONPullReader(buffer, depthLimit: depthLimit)
            try reader.skipValue()
            try reader.readEnd()
        }
    }

    @Test("20,000 nested arrays are refused as too deep, without a crash")
    func deepArrays() {
        #expect(throws: JSONPullReader.TooDeep(limit: 64, offset: 64)) { try Self.skip(Self.nested(20_000)) }
    }

    @Test("objects count towards the depth like arrays")
    func deepObjects() {
        let text = Array((String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)).utf8)
        #expect(throws: JSONPullReader.TooDeep.self) { try Self.skip(text) }
    }

    @Test("nesting up to the limit reads; one more level is refused")
    func atTheLimit() throws {
        try Self.skip(Self.nested(64))
        #expect(throws: JSONPullReader.TooDeep.self) { try Self.skip(Self.nested(65)) }
        try Self.skip(Self.nested(3), depthLimit: 3)
        #expect(throws: JSONPullReader.TooDeep(limit: 2, offset: 2)) { try Self.skip(Self.nested(3), depthLimit: 2) }
    }

    @Test("the description names the limit and where it was passed")
    func description() {
        #expect(JSONPullReader.TooDeep(limit: 64, offset: 70).description == "arrays and objects nested deeper than 64 levels (at byte 70)")
    }

    @Test("checkDepth counts brackets outside strings only, escapes included")
    func checkDepth() throws {
        func check(_ text: String, limit: Int) throws {
            try Array(text.utf8).withUnsafeBufferPointer { try JSONPullReader.checkDepth($0, limit: limit) }
        }
        try check(#"{"a": [[1]], "b": "[[[[[\"[[[[", "c": {}}"#, limit: 3)
        #expect(throws: JSONPullReader.TooDeep(limit: 2, offset: 7)) { try check(#"{"a": [[1]]}"#, limit: 2) }
        try check(String(decoding: Self.nested(64), as: UTF8.self), limit: 64)
        #expect(throws: JSONPullReader.TooDeep(limit: 64, offset: 64)) {
            try check(String(decoding: Self.nested(100_000), as: UTF8.self), limit: 64)
        }
    }
}
