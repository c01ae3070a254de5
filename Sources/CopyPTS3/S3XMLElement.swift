import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name, text and children, enough for S3's small response documents.
///
/// Read by ``S3XMLScanner`` when the document is plain, else built with Foundation's
/// event-driven `XMLParser`; namespaces are dropped, so
/// `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` is `ListBucketResult`.
struct S3XMLElement: Sendable, Equatable {
    /// The local element name.
    var name: String
    /// The concatenated character data directly inside this element.
    var text: String
    /// Child elements, in document order.
    var children: [S3XMLElement]

    /// `true` when the element is named `name`, or `name` with `Result` spelled `Response`
    /// (moto names some result roots that way, e.g. `ListPartsResponse`).
    func isNamed(_ name: String) -> Bool {
        self.name == name || (name.hasSuffix("Result") && self.name == name.dropLast("Result".count) + "Response")
    }

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`.
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func string(_ name: String) -> String? { child(name)?.text }

    /// The first child named `name` read as an integer.
    func int64(_ name: String) -> Int64? {
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

    /// Parses a document and returns its root element, or `nil` when it is not well-formed XML.
    /// Leading whitespace (S3's keep-alive spaces before a late answer) is allowed.
    static func parse(_ bytes: [UInt8]) -> S3XMLElement? {
        guard bytes.contains(where: { $0 == UInt8(ascii: "<") }) else { return nil }
        return S3XMLScanner.parse(bytes) ?? parsedByXMLParser(bytes)
    }

    /// The document read by `XMLParser` alone (the reference ``S3XMLScanner`` is tested against).
    static func parsedByXMLParser(_ bytes: [UInt8]) -> S3XMLElement? {
        let builder = Builder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.root
    }

    // MARK: - Builder

    /// Collects parser events into a tree. Lives only for one synchronous `parse()`.
    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [S3XMLElement] = []
        var root: S3XMLElement?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
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
