@testable import CopyPTHTTP
import Testing

@Suite struct HTTPHeadersTests {
    /// Headers as a received block, the way the transport builds them.
    static func block(_ fields: [(String, String)]) -> HTTPHeaders {
        var block = HTTPHeaders.Block()
        for (name, value) in fields {
            var name = name
            var value = value
            name.withUTF8 { name in value.withUTF8 { value in block.append(name: name, value: value) } }
        }
        return HTTPHeaders(block: block)
    }

    static let received = [("Content-Type", "application/xml"), ("ETag", "\"abc\""), ("x-amz-meta-a", "1"), ("X-Amz-Meta-A", "2")]

    @Test("a received block answers lookups like the same fields given as Strings")
    func blockMatchesFields() {
        let block = Self.block(Self.received)
        let fields = HTTPHeaders(Self.received)
        #expect(block == fields)
        #expect(block.count == 4)
        for name in ["content-type", "ETAG", "x-amz-meta-a", "missing", ""] {
            #expect(block[name] == fields[name])
            #expect(block.values(for: name) == fields.values(for: name))
            #expect(block.contains(name) == fields.contains(name))
        }
        #expect(block.values(for: "x-amz-meta-a") == ["1", "2"])
        #expect(block.map(\.name) == Self.received.map(\.0))
    }

    @Test("changing a received block keeps its other fields in order")
    func blockChanges() {
        var headers = Self.block(Self.received)
        headers["etag"] = "\"def\""
        headers.add(name: "x-new", value: "n")
        headers.remove(name: "x-amz-meta-a")
        #expect(headers.fields.map(\.name) == ["Content-Type", "etag", "x-new"])
        #expect(headers["ETag"] == "\"def\"")
    }

    @Test("names compare ignoring ASCII case only", arguments: [
        ("Content-Length", "content-length", true), ("X-A", "x-a", true), ("a", "b", false), ("ab", "a", false),
        ("\u{C4}", "\u{E4}", false), ("[", "{", false), ("", "", true),
    ])
    func caseInsensitive(lhs: String, rhs: String, equal: Bool) {
        #expect(HTTPHeaders.equalIgnoringASCIICase(lhs.utf8, rhs.utf8) == equal)
    }
}
