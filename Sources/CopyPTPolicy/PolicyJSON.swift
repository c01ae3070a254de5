/// A JSON value whose object keys keep the order they were written in, so policies print in
/// the order people read them (Sid, Effect, Principal, Action, Resource, Condition).
public indirect enum PolicyJSON: Sendable, Equatable {
    case string(String)
    case array([PolicyJSON])
    case object([(String, PolicyJSON)])

    /// One string, or an array when there are several: IAM accepts both for Action and Resource.
    static func strings(_ values: [String]) -> PolicyJSON {
        values.count == 1 ? .string(values[0]) : .array(values.map(PolicyJSON.string))
    }

    public static func == (lhs: PolicyJSON, rhs: PolicyJSON) -> Bool {
        lhs.rendered() == rhs.rendered()
    }

    /// The value as pretty-printed JSON, two spaces per level.
    public func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let text):
            return Self.quoted(text)
        case .array(let values):
            if values.isEmpty { return "[]" }
            return "[\n" + values.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        }
    }

    /// A JSON string literal (RFC 8259 section 7): quote, backslash and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
