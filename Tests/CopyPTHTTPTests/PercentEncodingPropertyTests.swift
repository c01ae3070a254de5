import CopyPTHTTP
import Foundation
import PropertyBased
import Testing

/// PercentEncoding held to Foundation's `addingPercentEncoding` / `removingPercentEncoding` on
/// random bytes and random escapes. Named exception: `decode` keeps a `%` not followed by two hex
/// digits as it is, and returns bytes that need not be UTF-8, where Foundation gives up (`nil`);
/// there, each `%XY` must still be decoded and every other byte kept.
@Suite struct PercentEncodingPropertyTests {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static let text = Generator<String, Shrink.None<String>>(run: { random in
        let palette: [String] = ["a", "Z", "9", "-", ".", "_", "~", " ", "/", "%", "+", "&", "=", "?", "#", "é", "日", "😀", "\u{0}", "\u{7F}"]
        return (0..<Int.random(in: 0...16, using: &random)).map { _ in palette.randomElement(using: &random) ?? "" }.joined()
    })

    static let escaped = Generator<String, Shrink.None<String>>(run: { random in
        let palette: [String] = ["a", "/", "%", "%2", "%2F", "%2f", "%zz", "%C3%BC", "%C3", "%FF", "%%", "+", "é", "%E6%97%A5", "%00"]
        return (0..<Int.random(in: 0...10, using: &random)).map { _ in palette.randomElement(using: &random) ?? "" }.joined()
    })

    @Test("encode matches addingPercentEncoding with the unreserved set, with and without kept bytes")
    func encode() async {
        await propertyCheck(count: 500, input: Self.text, Gen.bool) { text, keepSlash in
            let kept: Set<UInt8> = keepSlash ? [UInt8(ascii: "/")] : []
            let allowed = keepSlash ? Self.unreserved.union(CharacterSet(charactersIn: "/")) : Self.unreserved
            #expect(PercentEncoding.encode(text, keeping: kept) == text.addingPercentEncoding(withAllowedCharacters: allowed), "\(text)")
            #expect(PercentEncoding.encode(Array(text.utf8), keeping: kept) == PercentEncoding.encode(text, keeping: kept))
        }
    }

    @Test("decode matches removingPercentEncoding, and inverts encode")
    func decode() async {
        await propertyCheck(count: 500, input: Self.escaped, Self.text) { escaped, text in
            let decoded = PercentEncoding.decode(escaped[...])
            if let reference = escaped.removingPercentEncoding {
                #expect(decoded == Array(reference.utf8), "\(escaped)")
            } else {
                // The named exception: walk the text, decoding only well-formed escapes.
                var expected: [UInt8] = []
                var bytes = Array(escaped.utf8)[...]
                while let byte = bytes.first {
                    if byte == UInt8(ascii: "%"), bytes.count >= 3, let high = PercentEncoding.hexValue(bytes[bytes.startIndex + 1]),
                       let low = PercentEncoding.hexValue(bytes[bytes.startIndex + 2]) {
                        expected.append(high << 4 | low)
                        bytes = bytes.dropFirst(3)
                    } else {
                        expected.append(byte)
                        bytes = bytes.dropFirst()
                    }
                }
                #expect(decoded == expected, "\(escaped)")
            }
            #expect(PercentEncoding.decode(PercentEncoding.encode(text)[...]) == Array(text.utf8), "\(text)")
        }
    }
}
