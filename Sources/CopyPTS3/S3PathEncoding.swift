import CopyPTHTTP

/// Percent-encoding of S3 object keys and query values, the way SigV4 wants them.
///
/// Every byte of the UTF-8 form is encoded as `%XY` (upper-case hex) except the unreserved
/// characters `A–Z a–z 0–9 - . _ ~`; keys keep `/` as the path separator. Because S3
/// signs the path exactly as sent, the client encodes a key once with ``encodeKey(_:)``
/// and the signer never encodes it again.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html ("URI encode").
public enum S3PathEncoding {
    /// Encodes an object key for the URL path: byte-wise, `/` kept.
    ///
    /// `"a b/c+d%.txt"` becomes `"a%20b/c%2Bd%25.txt"`.
    public static func encodeKey(_ key: String) -> String {
        PercentEncoding.encode(key, keeping: slash)
    }

    /// Encodes a query-string name or value (`/` encoded too, space as `%20`, never `+`).
    ///
    /// `"photos/2024 a"` becomes `"photos%2F2024%20a"`.
    public static func encodeQueryComponent(_ value: String) -> String {
        PercentEncoding.encode(value)
    }

    // MARK: - Shared with the signer

    /// Percent-encodes `bytes` with the SigV4 rule.
    static func percentEncode(_ bytes: [UInt8], keepingSlash: Bool) -> String {
        PercentEncoding.encode(bytes, keeping: keepingSlash ? slash : [])
    }

    private static let slash: Set<UInt8> = [UInt8(ascii: "/")]

    /// Decodes `%XY` escapes into bytes; a `%` not followed by two hex digits stays literal.
    static func percentDecode(_ text: Substring) -> [UInt8] { PercentEncoding.decode(text) }

    /// RFC 3986 unreserved: `A–Z a–z 0–9 - . _ ~`.
    static func isUnreserved(_ byte: UInt8) -> Bool { PercentEncoding.isUnreserved(byte) }
}
