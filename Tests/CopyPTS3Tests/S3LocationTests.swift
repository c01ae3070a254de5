import Testing

@testable import CopyPTS3

@Suite struct S3LocationTests {
    @Test("parses s3:// URLs, keeping the key literally", arguments: [
        ("s3://bucket", "bucket", ""),
        ("s3://bucket/", "bucket", ""),
        ("s3://bucket/a/b.h5", "bucket", "a/b.h5"),
        ("s3://bucket/prefix/", "bucket", "prefix/"),
        ("s3://my.bucket-1/a%20b+c", "my.bucket-1", "a%20b+c"),
        ("s3://bucket/über/ä b", "bucket", "über/ä b"),
    ])
    func parses(text: String, bucket: String, key: String) throws {
        let location = try S3Location(parsing: text)
        #expect(location.bucket == bucket)
        #expect(location.key == key)
    }

    @Test("refuses what is not an S3 location", arguments: ["bucket/key", "s3:/bucket/key", "s3://", "s3://ab/k", "s3://-bad/k", "s3://bad name/k", "https://b/k"])
    func refuses(text: String) {
        #expect(throws: S3Error.invalidLocation(text)) { try S3Location(parsing: text) }
    }

    @Test("describes itself as s3://bucket/key and appends relative keys")
    func describes() {
        let prefix = S3Location(bucket: "dest", key: "run42/")
        #expect(prefix.appending("a b.h5").description == "s3://dest/run42/a b.h5")
    }
}
