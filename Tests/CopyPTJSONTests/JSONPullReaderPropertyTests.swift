import CopyPTJSON
import Foundation
import PropertyBased
import Testing

/// The pull reader held to JSONDecoder on generated documents and on mutations of them: the
/// same value, or a refusal where JSONDecoder refuses too, never a crash. The pull reader may
/// also refuse what is outside its subset (named below), which its callers hand to JSONDecoder.
@Suite struct JSONPullReaderPropertyTests {
    // MARK: - Values

    /// A JSON value as both readers see it (objects compared as dictionaries).
    indirect enum Value: Equatable, Sendable, Decodable {
        case null, bool(Bool), int(Int64), double(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: any Decoder) throws {
            if let container = try? decoder.container(keyedBy: Key.self) {
                var object: [String: Value] = [:]
                for key in container.allKeys { object[key.stringValue] = try container.decode(Value.self, forKey: key) }
                self = .object(object)
            } else if var container = try? decoder.unkeyedContainer() {
                var array: [Value] = []
                while !container.isAtEnd { array.append(try container.decode(Value.self)) }
                self = .array(array)
            } else {
                let container = try decoder.singleValueContainer()
                if container.decodeNil() { self = .null }
                else if let value = try? container.decode(Bool.self) { self = .bool(value) }
                else if let value = try? container.decode(Int64.self) { self = .int(value) }
                else if let value = try? container.decode(Double.self) { self = .double(value) }
                else { self = .string(try container.decode(String.self)) }
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        var containsDouble: Bool {
            switch self {
            case .double: return true
            case .array(let items): return items.contains { $0.containsDouble }
            case .object(let members): return members.values.contains { $0.containsDouble }
            default: return false
            }
        }
    }

    /// What a reader made of a document.
    enum Outcome: Equatable {
        case value(Value)
        case refused
        case tooDeep
    }

    /// Reads any value through the pull reader's public API, as its callers do.
    static func readAny(_ reader: inout JSONPullReader) throws -> Value {
        if reader.readNull() { return .null }
        var copy = reader
        if let value = try? copy.readBool() { reader = copy; return .bool(value) }
        copy = reader
        if let value = try? copy.readString() { reader = copy; return .string(value) }
        copy = reader
        if let value = try? copy.readInteger() { reader = copy; return .int(value) }
        for isArray in [true, false] {
            copy = reader
            do {
                if isArray {
                    var items: [Value] = []
                    try copy.readArray { items.append(try readAny(&$0)) }
                    reader = copy
                    return .array(items)
                }
                var members: [String: Value] = [:]
                try copy.readObject { reader, key in members[key] = try readAny(&reader) }
                reader = copy
                return .object(members)
            } catch let error as JSONPullReader.TooDeep {
                throw error
            } catch {}
        }
        throw JSONPullReader.Unsupported()
    }

    static func pullRead(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONPullReader(buffer)
            do {
                let value = try readAny(&reader)
                try reader.readEnd()
                return .value(value)
            } catch is JSONPullReader.TooDeep {
                return .tooDeep
            } catch {
                return .refused
            }
        }
    }

    static func reference(_ bytes: [UInt8]) -> Outcome {
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(bytes)) else { return .refused }
        return .value(value)
    }

    // MARK: - The property

    /// Checks one document; returns what was compared, for the tests' counts.
    @discardableResult
    static func check(_ bytes: [UInt8], mustRead: Bool = false) -> Outcome {
        let pulled = pullRead(bytes)
        let expected = reference(bytes)
        let text = String(reflecting: String(decoding: bytes.prefix(300), as: UTF8.self))
        switch (pulled, expected) {
        case (.value(let mine), .value(let theirs)):
            #expect(mine == theirs, "different values for \(text)")
        case (.value, .refused):
            Issue.record("the pull reader read what JSONDecoder refuses: \(text)")
        case (.refused, .refused), (.tooDeep, .refused):
            break
        case (.tooDeep, .value):
            // Exception "depth": copypt's limit (64) is below JSONDecoder's (512); checkDepth must agree.
            #expect(throws: JSONPullReader.TooDeep.self) { try bytes.withUnsafeBufferPointer { try JSONPullReader.checkDepth($0) } }
        case (.refused, .value(let theirs)):
            // Exceptions "outside the subset": numbers with a fraction or exponent or beyond
            // Int64 (JSONDecoder reads them as Double), and lone surrogate escapes. Exception
            // "trailing comma": JSONDecoder takes `[1,]` and `{"a":1,}`, which RFC 8259 forbids.
            // Exception "encoding": JSONDecoder reads a document starting with a NUL byte or a
            // byte-order mark as UTF-16 or UTF-32; records and Globus replies are UTF-8.
            let allowed = theirs.containsDouble || hasFractionOrExponent(bytes) || hasSurrogateEscape(bytes)
                || hasTrailingComma(bytes) || looksLikeUTF16Or32(bytes)
            #expect(allowed, "the pull reader refused a document JSONDecoder reads: \(text)")
        case (.value, .tooDeep), (.refused, .tooDeep), (.tooDeep, .tooDeep):
            Issue.record("the reference never answers too deep")
        }
        if mustRead, case .refused = pulled { Issue.record("a generated document was refused: \(text)") }
        return pulled
    }

    /// A `.`, `e` or `E` right after a digit outside strings.
    static func hasFractionOrExponent(_ bytes: [UInt8]) -> Bool {
        var inString = false
        var escaped = false
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = true; continue }
            if index > 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index - 1]),
               byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: ".") {
                return true
            }
        }
        return false
    }

    /// A NUL among the first four bytes, or a byte-order mark.
    static func looksLikeUTF16Or32(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(4).contains(0) || bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFE, 0xFF])
            || bytes.starts(with: [0xFF, 0xFE])
    }

    /// A `,` followed (after whitespace) by `]` or `}`, outside strings.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false
        var escaped = false
        var afterComma = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true; afterComma = false
            case UInt8(ascii: ","): afterComma = true
            case UInt8(ascii: "]"), UInt8(ascii: "}"): if afterComma { return true }
            case 0x20, 0x0A, 0x0D, 0x09: break
            default: afterComma = false
            }
        }
        return false
    }

    /// A `\uD800`–`\uDFFF` escape anywhere.
    static func hasSurrogateEscape(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.contains("\\ud8") || text.contains("\\ud9") || text.contains("\\uda") || text.contains("\\udb")
            || text.contains("\\udc") || text.contains("\\udd") || text.contains("\\ude") || text.contains("\\udf")
    }

    // MARK: - Tests

    @Test("generated documents read as JSONDecoder reads them")
    func generated() async {
        await propertyCheck(count: 300, input: JSONDocumentGenerator.document) { document in
            Self.check(document, mustRead: true)
        }
    }

    @Test("every truncation, byte flip and inserted quote, bracket or escape: same value or a refusal, never a crash")
    func mutated() async {
        await propertyCheck(count: 25, input: JSONDocumentGenerator.document, Gen<UInt64>.value(in: 0...UInt64.max)) { document, seed in
            var random = Xoshiro(seed: (seed, ~seed, 0x9E37_79B9_7F4A_7C15, 1))
            for length in 0..<document.count { Self.check(Array(document[..<length])) }
            for _ in 0..<60 {
                var damaged = document
                let position = Int.random(in: 0..<damaged.count, using: &random)
                if Bool.random(using: &random) {
                    damaged[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                } else {
                    let inserts: [[UInt8]] = ["\"", "[", "]", "{", "}", ",", ":", "\\", "\\u", "\\ud800", "-", "0", ".5", "e", "\u{0}", "null"]
                        .map { Array($0.utf8) }
                    damaged.insert(contentsOf: inserts[Int.random(in: 0..<inserts.count, using: &random)], at: position)
                }
                Self.check(damaged)
            }
        }
    }

    @Test("deep nesting anywhere in a document is refused as too deep, never a crash")
    func deepNesting() async {
        await propertyCheck(count: 40, input: JSONDocumentGenerator.document, Gen.int(in: 65...5_000)) { document, depth in
            // Replace the first value-starting `[` or `{`, or the whole document, with deep arrays.
            let deep = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            let wrapped = Array("{\"k\": ".utf8) + deep + Array(", \"v\": ".utf8) + document + Array("}".utf8)
            #expect(Self.pullRead(wrapped) == .tooDeep)
            Self.check(wrapped)
        }
    }

    @Test("named exceptions: fractions, exponents, big integers, lone surrogates, trailing commas and UTF-16 are JSONDecoder's to read")
    func exceptions() {
        for text in ["1.5", "[1e3]", "{\"a\": 9223372036854775808}", "\"\\ud800\"", "-0.0", "[\"\",]", "{\"a\": 1 , }", "\u{0}1"] {
            #expect(Self.pullRead(Array(text.utf8)) == .refused, "\(text)")
        }
    }
}
