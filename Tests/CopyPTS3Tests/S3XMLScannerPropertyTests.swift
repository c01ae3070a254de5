import PropertyBased
import Testing

@testable import CopyPTS3

/// The byte-level XML scanner held to XMLParser (the reference) on generated S3-shaped documents
/// and on mutations of them: when the scanner answers, it is XMLParser's tree; when it steps
/// aside, XMLParser decides; nesting past the limit is refused by both; never a crash.
@Suite struct S3XMLScannerPropertyTests {
    static let names = ["ListBucketResult", "Contents", "Key", "Size", "ETag", "Error", "Code", "a", "b.c", "_d-e", "Part"]
    static let texts = [
        "run/a.dat", "x &amp; y", "&lt;&gt;&quot;&apos;", "&#65;&#x42;&#233;&#x1F600;", "été/日本", " spaced  ", "\t\n",
        "\"0a1b\"", "]] >", "5", "",
    ]

    static let document = Generator<[UInt8], Shrink.None<[UInt8]>>(run: { random in
        var out = ""
        if Bool.random(using: &random) {
            out += ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version='1.0'?>", "<?xml version=\"1.0\" standalone=\"yes\"?>"]
                .randomElement(using: &random) ?? ""
            if Bool.random(using: &random) { out += "\n" }
        }
        func element(_ depth: Int) {
            let name = names.randomElement(using: &random) ?? "a"
            out += "<" + name
            if depth == 0, Bool.random(using: &random) { out += " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"" }
            if Int.random(in: 0...5, using: &random) == 0 { out += " k='v > w'" }
            if Int.random(in: 0...5, using: &random) == 0 {
                out += "/>"
                return
            }
            out += ">"
            for _ in 0..<Int.random(in: 0...(depth >= 4 ? 0 : 4), using: &random) {
                if Bool.random(using: &random) { out += texts.randomElement(using: &random) ?? "" }
                element(depth + 1)
            }
            out += texts.randomElement(using: &random) ?? ""
            out += "</" + name + (Int.random(in: 0...6, using: &random) == 0 ? " >" : ">")
        }
        element(0)
        if Bool.random(using: &random) { out += "\n" }
        return Array(out.utf8)
    })

    /// Checks one document.
    static func check(_ bytes: [UInt8], mustRead: Bool = false) {
        let text = String(decoding: bytes.prefix(300), as: UTF8.self)
        switch S3XMLScanner.scan(bytes) {
        case .element(let scanned):
            #expect(scanned == S3XMLElement.parsedByXMLParser(bytes), "the scanner and XMLParser differ on \(text)")
        case .outsideSubset:
            #expect(!mustRead, "a generated document was left to XMLParser: \(text)")
            _ = S3XMLElement.parse(bytes)  // XMLParser decides; it must not crash
        case .tooDeep:
            #expect(S3XMLElement.parsedByXMLParser(bytes) == nil, "XMLParser's builder read what the scanner found too deep: \(text)")
        }
    }

    @Test("generated S3-shaped documents read into XMLParser's tree")
    func generated() async {
        await propertyCheck(count: 300, input: Self.document) { Self.check($0, mustRead: true) }
    }

    @Test("every truncation, byte flip and inserted markup: XMLParser's tree or a step aside, never a crash")
    func mutated() async {
        await propertyCheck(count: 12, input: Self.document, Gen<UInt64>.value(in: 0...UInt64.max)) { document, seed in
            var random = Xoshiro(seed: (seed, ~seed, 0x9E37_79B9_7F4A_7C15, 1))
            for length in 0..<document.count { Self.check(Array(document[..<length])) }
            let inserts = ["<", ">", "&", "&amp;", "&#0;", "&#xD800;", "]]>", "<!--", "<![CDATA[", "\r", "\"", "'", "/", "</a>", "<a>", "\u{FFFF}"]
                .map { Array($0.utf8) }
            for _ in 0..<40 {
                var damaged = document
                let position = Int.random(in: 0..<damaged.count, using: &random)
                if Bool.random(using: &random) {
                    damaged[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                } else {
                    damaged.insert(contentsOf: inserts[Int.random(in: 0..<inserts.count, using: &random)], at: position)
                }
                Self.check(damaged)
            }
        }
    }

    @Test("a generated document wrapped past the depth limit is refused by both readers")
    func deep() async {
        await propertyCheck(count: 30, input: Self.document, Gen.int(in: 33...3_000), Gen.bool) { document, depth, comment in
            // Without the XML declaration, which may only start a document.
            let body = document.starts(with: Array("<?xml".utf8)) ? Array(document.drop { $0 != UInt8(ascii: ">") }.dropFirst()) : document
            let wrapped = Array(((comment ? "<!-- c -->" : "") + String(repeating: "<w>", count: depth)).utf8) + body
                + Array(String(repeating: "</w>", count: depth).utf8)
            #expect(S3XMLElement.parse(wrapped) == nil)
            #expect(S3XMLElement.parsedByXMLParser(wrapped) == nil)
        }
    }
}

