import PropertyBased

/// Random JSON documents in the pull reader's subset (objects, arrays, strings, integers,
/// booleans, null), written with varied whitespace and escapes.
enum JSONDocumentGenerator {
    static let document = Generator<[UInt8], Shrink.None<[UInt8]>>(run: { random in
        var out: [UInt8] = []
        write(depth: 0, into: &out, using: &random)
        return out
    })

    /// Characters chosen to need every kind of escape, plus multi-byte UTF-8.
    static let palette: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "/", "\\", "\"", "\n", "\t", "\r", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
        "é", "ü", "日", "本", "\u{FFFD}", "\u{2028}", "😀", "\u{10FFFF}", "{", "}", "[", "]", ",", ":",
    ]

    static func write(depth: Int, into out: inout [UInt8], using random: inout any SeededRandomNumberGenerator) {
        space(&out, &random)
        let kind = depth >= 5 ? Int.random(in: 0...4, using: &random) : Int.random(in: 0...6, using: &random)
        switch kind {
        case 0: out += Array("null".utf8)
        case 1: out += Array((Bool.random(using: &random) ? "true" : "false").utf8)
        case 2:
            let edges: [Int64] = [0, -1, 1, .max, .min, 10, -10, 1_000_000]
            let value = Bool.random(using: &random) ? edges[Int.random(in: 0..<edges.count, using: &random)] : Int64.random(in: .min ... .max, using: &random) >> Int64.random(in: 0...63, using: &random)
            out += Array(String(value).utf8)
        case 3, 4: string(into: &out, using: &random)
        case 5:
            out.append(UInt8(ascii: "["))
            let count = Int.random(in: 0...4, using: &random)
            for index in 0..<count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(depth: depth + 1, into: &out, using: &random)
            }
            space(&out, &random)
            out.append(UInt8(ascii: "]"))
        default:
            out.append(UInt8(ascii: "{"))
            let count = Int.random(in: 0...4, using: &random)
            for index in 0..<count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                space(&out, &random)
                // Distinct keys: what JSONDecoder does with a repeated key is its own choice.
                string(into: &out, using: &random, prefix: "k\(index)")
                space(&out, &random)
                out.append(UInt8(ascii: ":"))
                write(depth: depth + 1, into: &out, using: &random)
            }
            space(&out, &random)
            out.append(UInt8(ascii: "}"))
        }
        space(&out, &random)
    }

    static func space(_ out: inout [UInt8], _ random: inout any SeededRandomNumberGenerator) {
        guard Int.random(in: 0...3, using: &random) == 0 else { return }
        let spaces: [UInt8] = [0x20, 0x0A, 0x0D, 0x09]
        for _ in 0..<Int.random(in: 1...3, using: &random) { out.append(spaces[Int.random(in: 0..<4, using: &random)]) }
    }

    static func string(into out: inout [UInt8], using random: inout any SeededRandomNumberGenerator, prefix: String = "") {
        out.append(UInt8(ascii: "\""))
        out += Array(prefix.utf8)
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            let scalar = palette[Int.random(in: 0..<palette.count, using: &random)]
            let escapeAnyway = Int.random(in: 0...4, using: &random) == 0
            switch scalar {
            case "\"": out += Array("\\\"".utf8)
            case "\\": out += Array("\\\\".utf8)
            case "\n": out += Array("\\n".utf8)
            case "\t": out += Array("\\t".utf8)
            case "\r": out += Array("\\r".utf8)
            case "\u{08}": out += Array("\\b".utf8)
            case "\u{0C}": out += Array("\\f".utf8)
            case "/" where escapeAnyway: out += Array("\\/".utf8)
            case _ where scalar.value < 0x20 || escapeAnyway:
                // \u escapes, as UTF-16 (a surrogate pair above U+FFFF), either case of hex.
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16, uppercase: Bool.random(using: &random))
                    out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            default: out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

