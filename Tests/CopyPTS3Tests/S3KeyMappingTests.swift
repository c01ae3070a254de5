import Testing

@testable import CopyPTS3

/// ``S3KeyMapping``: keys cut by UTF-8 bytes, and relative parts with dot segments refused.
@Suite struct S3KeyMappingTests {
    @Test("a key under the source prefix maps to the destination prefix plus its bytes after the source prefix, or to nothing", arguments: [
        ("run42/a.txt", "in/run42/a.txt"),
        ("run42/deep/er/b.h5", "in/run42/deep/er/b.h5"),
        ("run42/../../../other/pwned.txt", nil),
        ("run42/..", nil),
        ("run42/.", nil),
        ("run42/./a", nil),
        ("run42/a/./b", nil),
        ("run42/a/../b", nil),
        ("run42/a/..", nil),
        ("run42//../x", nil),
        ("run42//x", "in/run42//x"),
        ("run42/a//b", "in/run42/a//b"),
        ("run42/.hidden", "in/run42/.hidden"),
        ("run42/...", "in/run42/..."),
        ("run42/a..b/..c", "in/run42/a..b/..c"),
        ("run42/%2E%2E/x", "in/run42/%2E%2E/x"),
        ("run42/\u{301}x", "in/run42/\u{301}x"),
        ("run42/", "in/run42/"),
        ("run420/x", nil),
        ("run4", nil),
    ] as [(String, String?)])
    func destinationKey(key: String, expected: String?) {
        let mapped = S3KeyMapping.destinationKey(for: key, sourcePrefix: "run42/", destinationPrefix: "in/run42/")
        #expect(mapped.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
    }

    @Test("keys that differ only by a combining mark or by normalisation map to different destination bytes")
    func combiningMarks() throws {
        let keys = ["run42/x", "run42/\u{301}x", "run42/\u{E9}", "run42/e\u{301}"]
        let mapped = try keys.map { try #require(S3KeyMapping.destinationKey(for: $0, sourcePrefix: "run42/", destinationPrefix: "in/")) }
        #expect(Set(mapped.map { Array($0.utf8) }).count == 4)
        #expect(Array(mapped[1].utf8) == Array("in/\u{301}x".utf8))
        // String's Character-wise dropFirst took the accent with the `/` and mapped both to in/x.
        #expect(String("run42/\u{301}x".dropFirst("run42/".count)) == "x")
    }

    @Test("a destination lies under its prefix only when its bytes start with the prefix and the rest has no dot segment", arguments: [
        ("in/run42/a.txt", "in/run42/", true),
        ("in/run42/", "in/run42/", true),
        ("in/run42//x", "in/run42/", true),
        ("other/pwned.txt", "in/run42/", false),
        ("in/run42/../../other/pwned.txt", "in/run42/", false),
        ("in/run42/a/./b", "in/run42/", false),
        ("in/run420/x", "in/run42/", false),
        ("in/run4", "in/run42/", false),
        ("../x", "", false),
        ("a/b", "", true),
    ])
    func lies(key: String, prefix: String, expected: Bool) {
        #expect(S3KeyMapping.lies(key, under: prefix) == expected)
    }
}
