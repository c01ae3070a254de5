import CopyPTRecords
import Testing

@Suite struct S3PrefixTests {
    @Test("s3:// URLs split into bucket and a slash-terminated prefix", arguments: [
        ("s3://bucket", "bucket", ""),
        ("s3://bucket/", "bucket", ""),
        ("s3://bucket/run42", "bucket", "run42/"),
        ("s3://bucket/run42/", "bucket", "run42/"),
        ("s3://bucket/a b/ü/", "bucket", "a b/ü/"),
    ])
    func parses(url: String, bucket: String, prefix: String) throws {
        let parsed = try #require(S3Prefix(url: url))
        #expect(parsed.bucket == bucket && parsed.prefix == prefix)
        #expect(parsed.url == "s3://\(bucket)/\(prefix)")
    }

    @Test("text that is not an s3:// URL is refused", arguments: ["", "s3://", "s3:///x", "S3://b/", "https://b/x", "bucket/x"])
    func refuses(url: String) {
        #expect(S3Prefix(url: url) == nil)
    }

    @Test("prefixes overlap only within one bucket and along directory lines", arguments: [
        ("s3://a/x/", "s3://a/x/", true),
        ("s3://a/x/", "s3://a/x/y/", true),
        ("s3://a/", "s3://a/x/", true),
        ("s3://a/x", "s3://a/xy", false),
        ("s3://a/x/", "s3://b/x/", false),
        ("s3://a/run42/", "s3://a/run42/\u{301}x/", true),
    ])
    func overlaps(first: String, second: String, expected: Bool) throws {
        let a = try #require(S3Prefix(url: first))
        let b = try #require(S3Prefix(url: second))
        #expect(a.overlaps(b) == expected && b.overlaps(a) == expected)
    }
}
