import Testing

@testable import CopyPTS3

/// The byte-level XML reader: the same tree as `XMLParser` whenever it answers, and no
/// answer for anything outside its subset.
@Suite struct S3XMLScannerTests {
    static let fixtures = [
        "complete-multipart-upload-result.xml", "copy-200-error.xml", "copy-object-result.xml", "copy-part-result.xml",
        "delete-result.xml", "error-access-denied.xml", "error-precondition-failed.xml", "error-slow-down.xml",
        "get-object-tagging.xml", "initiate-multipart-upload-result.xml", "list-objects-v2-delimiter.xml",
        "list-objects-v2-url-page1.xml", "list-objects-v2-url-page2.xml", "list-parts-page1.xml", "list-parts-page2.xml",
    ]

    @Test("every S3 fixture is read, into the tree XMLParser builds", arguments: fixtures)
    func fixture(name: String) throws {
        let bytes = try S3TestSupport.fixture(name)
        let scanned = try #require(S3XMLScanner.parse(bytes))
        #expect(scanned == S3XMLElement.parsedByXMLParser(bytes))
    }

    @Test("plain documents read the same as with XMLParser", arguments: [
        #"<?xml version="1.0" encoding="UTF-8"?>\#n<a xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\#n  <b>x &amp; y</b>\#n<c/><d></d></a>\#n"#,
        "<a>&lt;&gt;&quot;&apos;&#65;&#x42;&#x10FFFF;&#233;</a>",
        "<a><Key>été/日本 ]] > x</Key><Size>1</Size></a>",
        "<a k='v' j=\"w > u\"><b   /></a   >",
        "<?xml version='1.0'?><a>\t</a>",
        "<a.b-c_d><_e1/></a.b-c_d>",
    ])
    func same(document: String) throws {
        let bytes = Array(document.utf8)
        let scanned = try #require(S3XMLScanner.parse(bytes))
        #expect(scanned == S3XMLElement.parsedByXMLParser(bytes))
    }

    @Test("anything outside the subset is left to XMLParser", arguments: [
        "<a><!-- note --></a>", "<a><![CDATA[x]]></a>", "<!DOCTYPE a><a/>", "<a><?pi x?></a>",
        "<x:a xmlns:x=\"u\"/>", "<a>t\r\nu</a>", "<a>&nbsp;</a>", "<a>&#1;</a>", "<a>&#+5;</a>", "<a>\u{1}</a>",
        "<a>]]></a>", " <?xml version=\"1.0\"?><a/>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
        "<a>x</b>", "<a>x", "<a/>junk", "junk", "<a b=\"1\" b=\"2\"/>", "<a b=\"&amp;\"/>", "<a b=1/>", "<1a/>",
        "<a>\u{FFFF}</a>", "\u{FEFF}<a/>",
    ])
    func declines(document: String) {
        #expect(S3XMLScanner.parse(Array(document.utf8)) == nil)
    }

    @Test("invalid UTF-8 in text is left to XMLParser")
    func invalidUTF8() {
        #expect(S3XMLScanner.parse(Array("<a>".utf8) + [0xC3, 0x28] + Array("</a>".utf8)) == nil)
    }

    @Test("a fixture cut at any length, or with any byte replaced, reads as XMLParser reads it or not at all")
    func damaged() throws {
        let bytes = try S3TestSupport.fixture("list-objects-v2-url-page1.xml")
        var checked = 0
        func check(_ document: [UInt8]) {
            if let scanned = S3XMLScanner.parse(document) {
                #expect(scanned == S3XMLElement.parsedByXMLParser(document), "\(String(decoding: document, as: UTF8.self))")
            }
            checked += 1
        }
        for length in 0..<bytes.count { check(Array(bytes[..<length])) }
        let replacements: [UInt8] = [0x3C, 0x3E, 0x26, 0x2F, 0x22, 0x3B, 0x0D, 0x01, 0x20, 0x61, 0xFF]
        for position in bytes.indices {
            for replacement in replacements where bytes[position] != replacement {
                var damaged = bytes
                damaged[position] = replacement
                check(damaged)
            }
        }
        #expect(checked > bytes.count * 10)
    }

    // MARK: - Depth

    static func nested(_ depth: Int, inner: String = "x", name: String = "a") -> [UInt8] {
        Array((String(repeating: "<\(name)>", count: depth) + inner + String(repeating: "</\(name)>", count: depth)).utf8)
    }

    @Test("a ListObjectsV2 reply nested 100,000 deep is refused by the scanner without XMLParser, and without a crash")
    func deepListing() throws {
        let body = Array("<ListBucketResult><Contents><Key>".utf8) + Self.nested(100_000) + Array("</Key></Contents></ListBucketResult>".utf8)
        #expect(S3XMLScanner.scan(body) == .tooDeep)
        #expect(try S3ListPage(xml: body) == nil)
    }

    @Test("a deep document outside the scanner's subset is refused by the XMLParser fallback too")
    func deepFallback() {
        // The comment makes the scanner step aside at once; XMLParser's builder counts depth.
        let body = Array("<a><!-- c -->".utf8) + Self.nested(100_000) + Array("</a>".utf8)
        #expect(S3XMLScanner.scan(body) == .outsideSubset)
        #expect(S3XMLElement.parsedByXMLParser(body) == nil)
        #expect(S3XMLElement.parse(body) == nil)
    }

    @Test("32 levels read with either reader; 33 are refused by both")
    func depthLimit() throws {
        let limit = S3XMLElement.depthLimit
        #expect(limit == 32)
        let atLimit = Self.nested(limit)
        let scanned = try #require(S3XMLScanner.parse(atLimit))
        #expect(scanned == S3XMLElement.parsedByXMLParser(atLimit))
        let over = Self.nested(limit + 1)
        #expect(S3XMLScanner.scan(over) == .tooDeep)
        #expect(S3XMLElement.parsedByXMLParser(over) == nil)
        #expect(S3XMLElement.parse(over) == nil)
        let overWithComment = Array("<!-- c -->".utf8) + over
        #expect(S3XMLElement.parse(overWithComment) == nil)
        #expect(S3XMLElement.parse(Array("<!-- c -->".utf8) + atLimit) == scanned)
    }

    // MARK: - Regressions found by the property tests

    @Test("an element name that is not UTF-8 is refused before XMLParser, which traps on it")
    func nonUTF8ElementName() throws {
        // A byte flip in a ListObjectsV2 reply; the comment sends it past the scanner.
        let body = Array("<ListBucketResult><!-- c --><Contents><ETa".utf8) + [0xE7] + Array("/></Contents></ListBucketResult>".utf8)
        #expect(S3XMLScanner.scan(body) == .outsideSubset)
        #expect(S3XMLElement.parsedByXMLParser(body) == nil)
        #expect(try S3ListPage(xml: body) == nil)
    }
}
