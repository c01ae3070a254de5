/// Reads the plain XML that S3 answers with straight into an ``S3XMLElement`` tree, or
/// steps aside (returns `nil`) for anything else, which `XMLParser` then reads.
///
/// Hand-rolled: `XMLParser` (libxml2 behind Foundation, a delegate call and a bridged String
/// per event) cost ~50,000 instructions per key of a ListObjectsV2 page, a tenth of
/// `copypt copy`'s for 1,000 small objects (scripts/bench P1). The subset read here: an
/// optional UTF-8 XML declaration at the very start, elements with unprefixed ASCII names
/// and plain ASCII attributes (ignored, as the tree drops them), text, the five predefined
/// entities and character references. Comments, CDATA, DOCTYPE, processing instructions,
/// namespace prefixes, carriage returns (which XML rewrites), and anything malformed make
/// it step aside, so when it does answer, the tree is the one `XMLParser` builds (tests
/// hold the two together on every fixture and on every truncation of them).
/// Elements nested deeper than ``S3XMLElement/depthLimit`` end the scan with ``Outcome/tooDeep``
/// before the recursion goes further: a refusal, not a reason to try `XMLParser`.
struct S3XMLScanner {
    /// What a scan found.
    enum Outcome: Equatable {
        /// The document, read.
        case element(S3XMLElement)
        /// Outside the subset: `XMLParser` may read it.
        case outsideSubset
        /// Nested deeper than the limit: refuse it.
        case tooDeep
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let depthLimit: Int
    private var index = 0
    private var depth = 0
    private var tooDeep = false

    private init(_ bytes: UnsafeBufferPointer<UInt8>, depthLimit: Int) {
        self.bytes = bytes
        self.depthLimit = depthLimit
    }

    /// Reads `bytes` as far as the subset and the depth limit allow.
    static func scan(_ bytes: [UInt8], depthLimit: Int = S3XMLElement.depthLimit) -> Outcome {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = S3XMLScanner(buffer, depthLimit: depthLimit)
            if let root = scanner.document() { return .element(root) }
            return scanner.tooDeep ? .tooDeep : .outsideSubset
        }
    }

    /// The document's root element, or `nil` when the document is outside the subset or too deep.
    static func parse(_ bytes: [UInt8]) -> S3XMLElement? {
        guard case .element(let root) = scan(bytes) else { return nil }
        return root
    }

    // MARK: - Grammar

    private mutating func document() -> S3XMLElement? {
        if starts(with: "<?xml") {
            guard declarationIsUTF8() else { return nil }
        }
        skipSpace()
        guard let root = element() else { return nil }
        skipSpace()
        return index == bytes.count ? root : nil
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, encoding and standalone
    /// optional, encoding UTF-8 in any case; consumed.
    private mutating func declarationIsUTF8() -> Bool {
        index += 5  // "<?xml"
        var expected = ["version", "encoding", "standalone"][...]
        while true {
            let hadSpace = skipSpace()
            if starts(with: "?>") {
                index += 2
                return expected.first != "version"
            }
            guard hadSpace, let name = name() else { return false }
            let key = String(decoding: name, as: UTF8.self)
            while let next = expected.first, next != key { expected = expected.dropFirst() }
            guard !expected.isEmpty else { return false }
            expected = expected.dropFirst()
            guard let quote = openingQuote() else { return false }
            let valueStart = index
            guard let valueEnd = bytes[valueStart...].firstIndex(of: quote) else { return false }
            let value = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
            index = valueEnd + 1
            switch key {
            case "version": guard value == "1.0" else { return false }
            case "encoding": guard value.lowercased() == "utf-8" else { return false }
            default: guard value == "yes" || value == "no" else { return false }
            }
        }
    }

    private mutating func element() -> S3XMLElement? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= depthLimit else {
            tooDeep = true
            return nil
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
        index += 1
        guard let name = name() else { return nil }
        guard attributes() else { return nil }
        if bytes[index] == UInt8(ascii: "/") {
            guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { return nil }
            index += 2
            return S3XMLElement(name: String(decoding: name, as: UTF8.self), text: "", children: [])
        }
        index += 1  // ">"
        // Most elements are leaves holding one run of plain text: read that straight from the
        // buffer; anything else (children, references, `]`) goes on in the general loop below.
        let runStart = index
        while index < bytes.count, Self.isPlainText(bytes[index]) { index += 1 }
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "/") {
            let runEnd = index
            index += 2
            guard let end = self.name(), end.elementsEqual(name) else { return nil }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
            index += 1
            guard let string = Self.validText(UnsafeBufferPointer(rebasing: bytes[runStart..<runEnd])) else { return nil }
            return S3XMLElement(name: String(decoding: name, as: UTF8.self), text: string, children: [])
        }
        var text = Array(bytes[runStart..<index])
        var children: [S3XMLElement] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "<"):
                guard index + 1 < bytes.count else { return nil }
                switch bytes[index + 1] {
                case UInt8(ascii: "/"):
                    index += 2
                    guard let end = self.name(), end.elementsEqual(name) else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
                    index += 1
                    guard let string = text.withUnsafeBufferPointer(Self.validText) else { return nil }
                    return S3XMLElement(name: String(decoding: name, as: UTF8.self), text: string, children: children)
                case UInt8(ascii: "!"), UInt8(ascii: "?"):
                    return nil
                default:
                    guard let child = element() else { return nil }
                    if children.isEmpty { children.reserveCapacity(8) }  // a listing's Contents has 5–7
                    children.append(child)
                }
            case UInt8(ascii: "&"):
                guard reference(into: &text) else { return nil }
            case UInt8(ascii: "]"):
                if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "]"), bytes[index + 2] == UInt8(ascii: ">") {
                    return nil
                }
                text.append(byte)
                index += 1
            default:
                // Control characters are not XML; a carriage return XML would rewrite.
                guard byte >= 0x20 || byte == 0x09 || byte == 0x0A else { return nil }
                text.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// A name of ASCII letters, digits, `_ - .`, not starting with a digit, `-` or `.`.
    private mutating func name() -> Slice<UnsafeBufferPointer<UInt8>>? {
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isOther = byte == UInt8(ascii: "_")
                || (index > start && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))))
            guard isLetter || isOther else { break }
            index += 1
        }
        guard index > start, index < bytes.count else { return nil }
        return bytes[start..<index]
    }

    /// Skips ` name="value"` pairs up to `>` or `/>`; `false` for anything unusual.
    private mutating func attributes() -> Bool {
        var seen: [Slice<UnsafeBufferPointer<UInt8>>] = []
        while true {
            let hadSpace = skipSpace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ">") || bytes[index] == UInt8(ascii: "/") { return true }
            guard hadSpace, let name = name(), !seen.contains(where: { $0.elementsEqual(name) }) else { return false }
            seen.append(name)
            guard let quote = openingQuote() else { return false }
            while index < bytes.count, bytes[index] != quote {
                let byte = bytes[index]
                // Printable ASCII only: S3's only attribute is the root's namespace URI.
                guard byte != UInt8(ascii: "<"), byte != UInt8(ascii: "&"), byte >= 0x20, byte < 0x7F else { return false }
                index += 1
            }
            guard index < bytes.count else { return false }
            index += 1
        }
    }

    /// Consumes ` = "` (or `'`) after an attribute name; the quote, or `nil` when it is not there.
    private mutating func openingQuote() -> UInt8? {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return nil }
        index += 1
        return bytes[index - 1]
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` or a character reference, decoded into `text`.
    private mutating func reference(into text: inout [UInt8]) -> Bool {
        guard let semicolon = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return false }
        let body = bytes[(index + 1)..<semicolon]
        index = semicolon + 1
        // The five named entities by their bytes (every listed ETag holds two `&quot;`); only a
        // character reference is read as text.
        for (entity, character) in Self.entities where body.elementsEqual(entity.utf8) {
            text.append(character)
            return true
        }
        switch String(decoding: body, as: UTF8.self) {
        case let reference where reference.hasPrefix("#"):
            let digits = reference.dropFirst()
            let hex = digits.hasPrefix("x")
            let number = hex ? digits.dropFirst() : digits
            guard !number.isEmpty, number.allSatisfy({ hex ? $0.isHexDigit : ("0"..."9").contains($0) }) else { return false }
            let value = UInt32(number, radix: hex ? 16 : 10)
            // Printable characters only (no control characters, no U+FFFE/U+FFFF).
            guard let value, value >= 0x20, !(0xD800...0xDFFF).contains(value), value != 0xFFFE, value != 0xFFFF,
                  let scalar = Unicode.Scalar(value)
            else { return false }
            text.append(contentsOf: String(Character(scalar)).utf8)
        default:
            return false
        }
        return true
    }

    private static let entities: [(String, UInt8)] = [
        ("quot", UInt8(ascii: "\"")), ("amp", UInt8(ascii: "&")), ("lt", UInt8(ascii: "<")),
        ("gt", UInt8(ascii: ">")), ("apos", UInt8(ascii: "'")),
    ]

    // MARK: - Helpers

    /// Skips spaces, tabs and line feeds; `true` when there was any.
    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A {
            index += 1
        }
        return index > start
    }

    private func starts(with prefix: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return bytes[index...].starts(with: needle)
    }

    /// Text that needs no further look: not markup, a reference, `]` (of `]]>`) or a control
    /// character other than tab and line feed.
    private static func isPlainText(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != UInt8(ascii: "<") && byte != UInt8(ascii: "&") && byte != UInt8(ascii: "]"))
            || byte == 0x09 || byte == 0x0A
    }

    /// The text as a String when it is valid UTF-8 without U+FFFE or U+FFFF, which XML forbids.
    private static func validText(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        guard text.contains(where: { $0 >= 0x80 }) else { return String(decoding: text, as: UTF8.self) }
        guard let string = String(validating: text, as: UTF8.self) else { return nil }
        return string.unicodeScalars.contains { $0.value == 0xFFFE || $0.value == 0xFFFF } ? nil : string
    }
}
