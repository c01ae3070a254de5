import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the STS Query API XML documents copypt needs: an `AssumeRoleResponse`'s
/// credentials, or an `ErrorResponse`'s code, message and request id.
///
/// Element names are matched by their local name, so the namespace does not matter.
final class STSResponseParser: NSObject, XMLParserDelegate {
    /// Text of every leaf element seen, by local name (last one wins).
    private(set) var fields: [String: String] = [:]
    private var text = ""

    /// Parses `bytes`; returns the leaf fields, or `nil` when the XML is malformed.
    static func fields(of bytes: [UInt8]) -> [String: String]? {
        guard S3XMLElement.isUTF8(bytes) else { return nil }  // XMLParser traps on some non-UTF-8 names
        let delegate = STSResponseParser()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = delegate
        parser.shouldProcessNamespaces = true
        guard parser.parse() else { return nil }
        return delegate.fields
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !value.isEmpty { fields[elementName] = value }
        text = ""
    }
}
