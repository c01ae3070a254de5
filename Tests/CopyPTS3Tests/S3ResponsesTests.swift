import Testing

@testable import CopyPTS3

/// Decoding of S3's XML documents (fixtures in Fixtures/, see S3-RESPONSES.md).
@Suite struct S3ResponsesTests {
    @Test("a ListObjectsV2 page with encoding-type=url decodes keys (+ is space, %XX bytes)")
    func listPage() throws {
        let page = try #require(try S3ListPage(xml: try S3TestSupport.fixture("list-objects-v2-url-page1.xml")))
        #expect(page.objects.map(\.key) == [
            "run42/a b.h5", "run42/c+d%e~f=g.txt", "run42/deep/er/été/日本.dat", "run42/line\nbreak",
        ])
        #expect(page.objects.map(\.size) == [0, 1024, 10_485_760, 1])
        #expect(page.objects[1].eTag == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(page.objects[2].storageClass == "INTELLIGENT_TIERING")
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        let last = try #require(try S3ListPage(xml: try S3TestSupport.fixture("list-objects-v2-url-page2.xml")))
        #expect(last.objects.map(\.key) == ["run42/z.bin"])
        #expect(last.nextContinuationToken == nil)
    }

    @Test("common prefixes are decoded too")
    func commonPrefixes() throws {
        let page = try #require(try S3ListPage(xml: try S3TestSupport.fixture("list-objects-v2-delimiter.xml")))
        #expect(page.objects.isEmpty)
        #expect(page.commonPrefixes == ["run42/", "with space/"])
    }

    @Test("keys are taken verbatim when the listing is not URL-encoded")
    func unencoded() throws {
        let xml = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b%20c</Key><Size>3</Size><ETag>\"x\"</ETag></Contents></ListBucketResult>"
        let page = try #require(try S3ListPage(xml: Array(xml.utf8)))
        #expect(page.objects.map(\.key) == ["a+b%20c"])
    }

    @Test("ListParts pages give parts and the next marker only while truncated")
    func listParts() throws {
        let first = try #require(try S3PartsPage(xml: try S3TestSupport.fixture("list-parts-page1.xml")))
        #expect(first.parts == [
            S3Part(partNumber: 1, eTag: "\"7778aef83f66abc1fa1e8477f296d394\"", size: 671_088_640),
            S3Part(partNumber: 2, eTag: "\"aaaa18db4cc2f85cedef654fccc4a4x8\"", size: 671_088_640),
        ])
        #expect(first.nextPartNumberMarker == 2)
        let last = try #require(try S3PartsPage(xml: try S3TestSupport.fixture("list-parts-page2.xml")))
        #expect(last.parts.map(\.partNumber) == [5])
        #expect(last.nextPartNumberMarker == nil)
    }

    static func listing(size: String) -> [UInt8] {
        Array("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>run42/a.h5</Key><Size>\(size)</Size><ETag>\"x\"</ETag></Contents></ListBucketResult>".utf8)
    }

    @Test("a listed Size that is not a byte count up to 10,000 parts of 5 GiB is refused, never wrapped or trapped",
          arguments: ["-1", "99999999999999999999", "9223372036854775807", "53687091200001", "12abc", ""])
    func badListedSize(size: String) {
        #expect(throws: S3ReplyValueError.self) { _ = try S3ListPage(xml: Self.listing(size: size)) }
    }

    @Test("a URL-encoded key that is not UTF-8 once decoded is refused, naming it as sent", arguments: ["run42/%FF.txt", "run42/%C3", "run42/%ED%A0%80"])
    func notUTF8Key(key: String) {
        let xml = "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>\(key)</Key><Size>1</Size><ETag>\"x\"</ETag></Contents></ListBucketResult>"
        let error = #expect(throws: S3ReplyValueError.self) { _ = try S3ListPage(xml: Array(xml.utf8)) }
        #expect(error?.detail.contains(key) == true)
    }

    @Test("the largest listed Size accepted is 10,000 parts of 5 GiB")
    func largestListedSize() throws {
        let page = try #require(try S3ListPage(xml: Self.listing(size: "53687091200000")))
        #expect(page.objects.map(\.size) == [S3ObjectSummary.maximumSize])
    }

    static func parts(number: String, size: String = "5242880", marker: String = "1") -> [UInt8] {
        Array(("<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>\(marker)</NextPartNumberMarker>"
            + "<Part><PartNumber>\(number)</PartNumber><ETag>\"e\"</ETag><Size>\(size)</Size></Part></ListPartsResult>").utf8)
    }

    @Test("ListParts part numbers outside 1...10,000, part sizes outside 0...5 GiB and bad markers are refused",
          arguments: [("0", "5242880", "1"), ("-3", "5242880", "1"), ("10001", "5242880", "1"), ("99999999999999999999", "5242880", "1"),
                      ("1", "-1", "1"), ("1", "5368709121", "1"), ("1", "5242880", "0"), ("1", "5242880", "x")])
    func badParts(number: String, size: String, marker: String) {
        #expect(throws: S3ReplyValueError.self) { _ = try S3PartsPage(xml: Self.parts(number: number, size: size, marker: marker)) }
    }

    @Test("copy, initiate, complete, delete and tagging results")
    func results() throws {
        #expect(S3CopyResult.eTag(xml: try S3TestSupport.fixture("copy-object-result.xml")) == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(S3CopyResult.eTag(xml: try S3TestSupport.fixture("copy-part-result.xml")) == "\"b54357faf0632cce46e942fa68356b38\"")
        #expect(s3UploadID(xml: try S3TestSupport.fixture("initiate-multipart-upload-result.xml")) == "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA")
        let complete = try #require(S3CompleteResult(xml: try S3TestSupport.fixture("complete-multipart-upload-result.xml")))
        #expect(complete.eTag == "\"3858f62230ac3c915f300c664312c11f-16\"")
        let deleted = try #require(S3DeleteResult(xml: try S3TestSupport.fixture("delete-result.xml")))
        #expect(deleted.failed == [S3DeleteFailure(key: "run42/locked.h5", code: "AccessDenied", message: "Access Denied")])
        let tags = S3Tag.tagSet(xml: try S3TestSupport.fixture("get-object-tagging.xml"))
        #expect(tags == [S3Tag(key: "project", value: "climate run 42"), S3Tag(key: "owner", value: "a&b=c")])
    }

    @Test("error documents, including one after keep-alive whitespace in a 200", arguments: [
        ("error-access-denied.xml", "AccessDenied", "Access Denied", "9F2C4B1D8A7E3F60"),
        ("error-slow-down.xml", "SlowDown", "Please reduce your request rate.", "4442587FB7D0A2F9"),
        ("error-precondition-failed.xml", "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", "0A49CE4060975EAC"),
        ("copy-200-error.xml", "InternalError", "We encountered an internal error. Please try again.", "656c76696e6727732072657175657374"),
    ])
    func errors(file: String, code: String, message: String, requestID: String) throws {
        let document = try #require(S3ErrorDocument(try S3TestSupport.fixture(file)))
        #expect(document.code == code)
        #expect(document.message == message)
        #expect(document.requestID == requestID)
    }

    @Test("copy-result ETags read without the XML parser agree with it", arguments: [
        #"<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LastModified>2026-11-25T09:41:07.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag></CopyObjectResult>"#,
        "<CopyPartResult><ETag>\"b54357faf0632cce46e942fa68356b38-3\"</ETag><LastModified>x</LastModified></CopyPartResult>",
        "\n\n  <CopyObjectResult><ETag>&quot;abc&quot;</ETag></CopyObjectResult>",
    ])
    func plainETags(xml: String) throws {
        let bytes = Array(xml.utf8)
        let plain = try #require(S3CopyResult.plainETag(bytes))
        let parsed = try #require(S3XMLElement.parse(bytes)?.string("ETag"))
        #expect(plain == parsed)
    }

    @Test("unusual copy results are left to the XML parser", arguments: [
        "<CopyObjectResult><ETag>&#34;abc&#34;</ETag></CopyObjectResult>",
        "<CopyObjectResult><ETag><![CDATA[\"abc\"]]></ETag></CopyObjectResult>",
        "<CopyObjectResult><ETag>\"abc\"</ETag><ETag>\"def\"</ETag></CopyObjectResult>",
        "<CopyObjectResult><ETag></ETag></CopyObjectResult>",
        "<Error><Code>InternalError</Code><ETag>\"abc\"</ETag></Error>",
        "<CopyObjectResult><ETag>\"abc",
    ])
    func unusualETags(xml: String) {
        #expect(S3CopyResult.plainETag(Array(xml.utf8)) == nil)
    }

    @Test("a result is not an error and garbage is neither", arguments: ["copy-object-result.xml", "list-parts-page1.xml"])
    func notErrors(file: String) throws {
        #expect(S3ErrorDocument(try S3TestSupport.fixture(file)) == nil)
        #expect(S3ErrorDocument(Array("<html><body>502</body></html>".utf8)) == nil)
        #expect(S3ErrorDocument(Array("not xml".utf8)) == nil)
        #expect(S3ErrorDocument([]) == nil)
    }

    @Test("URL-form decoding of listed keys", arguments: [
        ("a+b", "a b"), ("%2B", "+"), ("%25", "%"), ("%E6%97%A5", "日"), ("plain", "plain"), ("%7e", "~"),
    ])
    func formDecoding(encoded: String, decoded: String) {
        #expect(S3FormDecoding.decode(encoded) == decoded)
    }

    @Test("malformed escapes are refused", arguments: ["%", "%2", "%zz", "%FF"])
    func malformed(encoded: String) {
        #expect(S3FormDecoding.decode(encoded) == nil)
    }

    @Test("XML escaping of keys in request bodies")
    func escaping() {
        #expect(S3XMLEscaping.escape("a&b<c>\"d'\r\ne") == "a&amp;b&lt;c&gt;&quot;d&apos;&#13;&#10;e")
    }
}
