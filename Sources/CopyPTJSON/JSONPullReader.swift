/// A small pull reader over JSON text, hand-rolled on purpose: Foundation's JSONDecoder spends
/// ~40 µs per object building keyed containers, which made loading 10,000 records most of an
/// idle sweep (scripts/bench P3) and a Globus page of 1,000 delivered files a tenth of a
/// sweep's CPU (P1). It reads only the plain JSON those hold — objects, arrays, strings,
/// integers, booleans, null — and throws `Unsupported` for anything else (a fraction, a lone
/// surrogate),
/// so the caller falls back to JSONDecoder, which stays the reference for values and for the
/// error messages a person reads (see `RecordCoding.decode`).
///
/// Nesting is limited (``defaultDepthLimit``): a document nested deeper throws ``TooDeep``,
/// which callers report as it is rather than falling back, since a reader that recursed on
/// 20,000 nested arrays overflowed the stack.
public struct JSONPullReader {
    /// The text is not in the subset this reader takes; decode it with JSONDecoder instead.
    public struct Unsupported: Error {
        public init() {}
    }

    /// How deep objects and arrays may nest: records and Globus pages nest 3 or 4 levels,
    /// and nothing copypt reads needs more than a few.
    public static let defaultDepthLimit = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private let depthLimit: Int
    private var index = 0
    private var depth = 0

    /// A reader at the start of `bytes`, which must outlive it.
    /// - Parameter depthLimit: how deep objects and arrays may nest (default ``defaultDepthLimit``).
    public init(_ bytes: UnsafeBufferPointer<UInt8>, depthLimit: Int = JSONPullReader.defaultDepthLimit) {
        self.bytes = bytes
        self.depthLimit = depthLimit
    }

    // MARK: - Structure

    /// Reads an object, calling `body` with each key while positioned at its value; `body`
    /// must read or skip that value.
    /// - Throws: ``TooDeep`` past the depth limit, `Unsupported` for anything else unexpected.
    public mutating func readObject(_ body: (inout JSONPullReader, String) throws -> Void) throws {
        try consume(UInt8(ascii: "{"))
        try enterContainer()
        defer { depth -= 1 }
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try readString()
            try consume(UInt8(ascii: ":"))
            try body(&self, key)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw Unsupported()
            }
        }
    }

    /// Reads an array, calling `body` positioned at each element; `body` must read or skip it.
    /// - Throws: ``TooDeep`` past the depth limit, `Unsupported` for anything else unexpected.
    public mutating func readArray(_ body: (inout JSONPullReader) throws -> Void) throws {
        try consume(UInt8(ascii: "["))
        try enterContainer()
        defer { depth -= 1 }
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try body(&self)
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw Unsupported()
            }
        }
    }

    /// Checks that only whitespace is left.
    public mutating func readEnd() throws {
        skipWhitespace()
        guard index == bytes.count else { throw Unsupported() }
    }

    /// Skips one value of any kind.
    public mutating func skipValue() throws {
        switch try peek() {
        case UInt8(ascii: "{"): try readObject { reader, _ in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { reader in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): guard readNull() else { throw Unsupported() }
        default: _ = try readInteger()
        }
    }

    // MARK: - Scalars

    /// Consumes `null` if it comes next.
    public mutating func readNull() -> Bool {
        skipWhitespace()
        return consumeLiteral("null")
    }

    /// Reads a string.
    public mutating func readString() throws -> String {
        try consume(UInt8(ascii: "\""))
        let start = index
        var end = start  // a local, so the scan stays in registers
        while end < bytes.count {
            switch bytes[end] {
            case UInt8(ascii: "\""):
                index = end + 1
                return try string(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            case UInt8(ascii: "\\"):
                index = end
                return try readEscapedString(from: start)
            case ..<0x20:
                throw Unsupported()  // control characters must be escaped
            default:
                end += 1
            }
        }
        throw Unsupported()
    }

    /// Reads a string, or `nil` for `null`.
    public mutating func readOptionalString() throws -> String? {
        readNull() ? nil : try readString()
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws -> Bool {
        skipWhitespace()
        if consumeLiteral("true") { return true }
        if consumeLiteral("false") { return false }
        throw Unsupported()
    }

    /// Reads an integer written without fraction or exponent.
    public mutating func readInteger() throws -> Int64 {
        skipWhitespace()
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, case UInt8(ascii: "0")...UInt8(ascii: "9") = bytes[index] {
            let digit = Int64(bytes[index] &- UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw Unsupported() }
            value = sum
            index += 1
        }
        let digits = index - start
        guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { throw Unsupported() }
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): throw Unsupported()
            default: break
            }
        }
        return value
    }

    // MARK: - Bytes

    /// Counts one more level of nesting, refusing past the limit before any recursion.
    private mutating func enterContainer() throws {
        depth += 1
        guard depth <= depthLimit else { throw TooDeep(limit: depthLimit, offset: index - 1) }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw Unsupported() }
        return bytes[index]
    }

    private mutating func consume(_ byte: UInt8) throws {
        guard try peek() == byte else { throw Unsupported() }
        index += 1
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            return false
        }
        index += count
        return true
    }

    private func string(_ utf8: UnsafeBufferPointer<UInt8>) throws -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else { throw Unsupported() }
        return text
    }

    /// The four hex digits of a `\u` escape.
    private mutating func readHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Unsupported() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Unsupported()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try utf8.withUnsafeBufferPointer { try string($0) }
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw Unsupported() }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    // Python's json (Globus) writes every non-ASCII character this way.
                    var scalar = try readHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                        else { throw Unsupported() }
                        index += 2
                        let low = try readHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Unsupported() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    // A lone low surrogate is not a character: JSONDecoder decides.
                    guard let character = Unicode.Scalar(scalar) else { throw Unsupported() }
                    utf8.append(contentsOf: String(Character(character)).utf8)
                default: throw Unsupported()
                }
            case ..<0x20:
                throw Unsupported()
            default:
                utf8.append(byte)
            }
        }
        throw Unsupported()
    }
}
