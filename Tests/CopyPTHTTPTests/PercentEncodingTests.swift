import CopyPTHTTP
import Testing

@Suite struct PercentEncodingTests {
    @Test("encodes all but unreserved and kept bytes, upper-case hex", arguments: [
        ("abc-._~XYZ019", "", "abc-._~XYZ019"),
        ("a b+c%d=e", "", "a%20b%2Bc%25d%3De"),
        ("dir/sub/file", "/", "dir/sub/file"),
        ("dir/sub", "", "dir%2Fsub"),
        ("ü", "", "%C3%BC"),
    ])
    func encodes(text: String, kept: String, expected: String) {
        #expect(PercentEncoding.encode(text, keeping: Set(kept.utf8)) == expected)
    }

    @Test("decoding undoes encoding; a stray % stays literal")
    func decodes() {
        #expect(PercentEncoding.decode("a%20b%2Bc%C3%BC") == Array("a b+cü".utf8))
        #expect(PercentEncoding.decode("100%") == Array("100%".utf8))
        #expect(PercentEncoding.decode("%zz") == Array("%zz".utf8))
    }
}
