import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name, text and children, enough for S3's small response documents.
///
/// Read by ``S3XMLScanner`` when the document is plain, else built with Foundation's
/// event-driven `XMLParser`; namespaces are dropped, so
/// `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` is `ListBucketResult`.
package struct S3XMLElement: Sendable, Equatable {
    /// The local element name.
    package var name: String
    /// The concatenated character data directly inside this element.
    package var text: String
    /// Child elements, in document order.
    package var children: [S3XMLElement]

    /// `true` when the element is named `name`, or `name` with `Result` spelled `Response`
    /// (moto names some result roots that way, e.g. `ListPartsResponse`).
    package func isNamed(_ name: String) -> Bool {
        self.name == name || (name.hasSuffix("Result") && self.name == name.dropLast("Result".count) + "Response")
    }

    /// The first child named `name`.
    package func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`.
    package func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    package func string(_ name: String) -> String? { child(name)?.text }

    /// The first child named `name` read as an integer.
    package func int64(_ name: String) -> Int64? {
        string(name).flatMap(Self.int64)
    }

    /// `text` read as an integer, surrounding spaces allowed.
    static func int64(_ text: String) -> Int64? {
        Int64(text) ?? Int64(text.trimmingCharacters(in: .whitespaces))
    }

    /// `text` read as an integer within `range`, for a count or size in an S3 answer.
    /// - Parameters:
    ///   - name: the element's name, for the message (`Size`).
    ///   - owner: what the value belongs to, for the message (`key run42/a.h5`).
    /// - Throws: ``S3ReplyValueError`` when `text` is not an integer or is outside `range`
    ///   (an answer that would otherwise overflow a total or trap an index).
    static func count(_ text: String, in range: ClosedRange<Int64>, named name: String, of owner: String) throws(S3ReplyValueError) -> Int64 {
        guard let value = int64(text), range.contains(value) else {
            throw S3ReplyValueError(
                detail: "\(name) \(text.prefix(40)) of \(owner) is not a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The first child named `name` read as a boolean (`true`/`false`).
    func bool(_ name: String) -> Bool? { string(name).map { $0.lowercased() == "true" } }

    /// How deep elements may nest. S3's documents nest 3 levels (`ListBucketResult` /
    /// `Contents` / `Owner` / `ID`); a document deeper than this is refused by either reader,
    /// since a 100,000-deep listing once overflowed the stack.
    static let depthLimit = 32

    /// Parses a document and returns its root element, or `nil` when it is not well-formed XML
    /// or nests deeper than ``depthLimit``.
    /// Leading whitespace (S3's keep-alive spaces before a late answer) is allowed.
    package static func parse(_ bytes: [UInt8]) -> S3XMLElement? {
        guard bytes.contains(where: { $0 == UInt8(ascii: "<") }) else { return nil }
        switch S3XMLScanner.scan(bytes) {
        case .element(let root): return root
        case .tooDeep: return nil
        case .outsideSubset: return parsedByXMLParser(bytes)
        }
    }

    /// The document read by `XMLParser` alone (the reference ``S3XMLScanner`` is tested against);
    /// `nil` when it is not well-formed, not UTF-8, or nests deeper than `depthLimit`.
    static func parsedByXMLParser(_ bytes: [UInt8], depthLimit: Int = S3XMLElement.depthLimit) -> S3XMLElement? {
        guard isUTF8(bytes) else { return nil }
        let builder = Builder(depthLimit: depthLimit)
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.delegate = builder
        guard parser.parse(), !builder.tooDeep else { return nil }
        return builder.root
    }

    /// `true` when `bytes` are valid UTF-8. Checked before any document goes to `XMLParser`:
    /// FoundationXML traps (crashing copypt) on an element name that is not UTF-8, and S3
    /// sends nothing but UTF-8.
    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    // MARK: - Builder

    /// Collects parser events into a tree, aborting the parse past the depth limit. Lives only
    /// for one synchronous `parse()`.
    private final class Builder: NSObject, XMLParserDelegate {
        let depthLimit: Int
        var stack: [S3XMLElement] = []
        var root: S3XMLElement?
        var tooDeep = false

        init(depthLimit: Int) {
            self.depthLimit = depthLimit
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            guard !tooDeep else { return }
            guard stack.count < depthLimit else {
                tooDeep = true
                stack = []
                parser.abortParsing()
                return
            }
            stack.append(S3XMLElement(name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty {
                root = done
            } else {
                stack[stack.count - 1].children.append(done)
            }
        }
    }
}
