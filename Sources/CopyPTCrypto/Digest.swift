import COpenSSL

/// SHA-256 and HMAC-SHA256 over OpenSSL's libcrypto, plus the encodings SigV4 and PKCE use.
///
/// Hand-rolled thin wrappers rather than swift-crypto: the project links the system
/// libcrypto already, and these two primitives are all it needs.
public enum Digest {
    // The public generic entry points forward to the concrete `[UInt8]` and buffer versions:
    // called from another module, a generic body runs unspecialised, through witness tables
    // byte by byte, which made hex, HMAC and hashing most of signing's cost (scripts/bench P1).

    /// The SHA-256 digest of `data` (32 bytes).
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBufferPointer(sha256(buffer:))
    }

    /// The SHA-256 digest of `data` (32 bytes).
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        if let digest = data.withContiguousStorageIfAvailable(sha256(buffer:)) { return digest }
        return sha256(Array(data))
    }

    /// The SHA-256 digest of a string's UTF-8 bytes.
    public static func sha256(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8(sha256(buffer:))
    }

    static func sha256(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Int(SHA256_DIGEST_LENGTH)) { out, count in
            copypt_sha256(buffer.baseAddress, buffer.count, out.baseAddress)
            count = Int(SHA256_DIGEST_LENGTH)
        }
    }

    /// HMAC-SHA256 of `data` under `key` (32 bytes).
    ///
    /// RFC 2104 written out over OpenSSL's SHA-256 (the COpenSSL shim), hand-rolled because
    /// `HMAC()` fetches its algorithm and allocates contexts on every call; tests pin it to
    /// RFC 4231 and to OpenSSL's own `HMAC()`.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        data.withUnsafeBufferPointer { hmacSHA256(key: key, buffer: $0) }
    }

    /// HMAC-SHA256 of a string's UTF-8 bytes under `key`.
    public static func hmacSHA256(key: [UInt8], data: String) -> [UInt8] {
        var data = data
        return data.withUTF8 { hmacSHA256(key: key, buffer: $0) }
    }

    /// HMAC-SHA256 of `data` under `key` (32 bytes).
    public static func hmacSHA256(key: some Collection<UInt8>, data: some Collection<UInt8>) -> [UInt8] {
        hmacSHA256(key: Array(key), data: Array(data))
    }

    /// HMAC-SHA256 of a string's UTF-8 bytes under `key`.
    public static func hmacSHA256(key: some Collection<UInt8>, data: String) -> [UInt8] {
        hmacSHA256(key: Array(key), data: data)
    }

    private static func hmacSHA256(key: [UInt8], buffer data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        key.withUnsafeBufferPointer { key in
            [UInt8](unsafeUninitializedCapacity: Int(SHA256_DIGEST_LENGTH)) { out, count in
                copypt_hmac_sha256(key.baseAddress, key.count, data.baseAddress, data.count, out.baseAddress)
                count = Int(SHA256_DIGEST_LENGTH)
            }
        }
    }

    /// HMAC-SHA256 by OpenSSL's one-shot `HMAC()`, the reference `hmacSHA256` is tested against.
    static func opensslHMACSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { kb in
            data.withUnsafeBufferPointer { db in
                out.withUnsafeMutableBufferPointer { ob in
                    _ = HMAC(EVP_sha256(), kb.baseAddress, Int32(kb.count), db.baseAddress, db.count, ob.baseAddress, &length)
                }
            }
        }
        return Array(out.prefix(Int(length)))
    }

    /// Lower-case hexadecimal of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { input in
            String(unsafeUninitializedCapacity: input.count * 2) { out in
                writeHex(input, to: out)
            }
        }
    }

    /// Lower-case hexadecimal of `bytes`, as ASCII bytes (for callers that go on hashing them).
    public static func hexBytes(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: input.count * 2) { out, count in
                count = writeHex(input, to: out)
            }
        }
    }

    private static func writeHex(_ input: UnsafeBufferPointer<UInt8>, to out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let digits: StaticString = "0123456789abcdef"
        var index = 0
        for byte in input {
            out[index] = digits.utf8Start[Int(byte >> 4)]
            out[index + 1] = digits.utf8Start[Int(byte & 0x0f)]
            index += 2
        }
        return index
    }

    /// Lower-case hexadecimal of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { hex(Array(bytes)) }

    /// Lower-case hex SHA-256 of `data`, as SigV4's payload hash.
    public static func sha256Hex(_ data: some Collection<UInt8>) -> String { hex(sha256(data)) }

    /// Base64 (RFC 4648 §4, with padding) of `bytes`.
    public static func base64(_ bytes: some Sequence<UInt8>) -> String {
        let table: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], table[Int(n & 63)]]
            i += 3
        }
        let rest = input.count - i
        if rest == 1 {
            let n = UInt32(input[i]) << 16
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64url (RFC 4648 §5) without padding, as PKCE uses.
    public static func base64url(_ bytes: some Sequence<UInt8>) -> String {
        var text = base64(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// `count` cryptographically random bytes from OpenSSL's RAND_bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        if ok != 1 {
            // RAND_bytes fails only when the OS entropy source is broken.
            var rng = SystemRandomNumberGenerator()
            for i in out.indices { out[i] = rng.next() }
        }
        return out
    }
}
