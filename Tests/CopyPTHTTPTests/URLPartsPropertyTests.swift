import CopyPTHTTP
import PropertyBased
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// URLParts held to libcurl's URL parser (`curl_url`, through ``CurlURL``) on generated request
/// URLs and on mutations of them. URLParts stays hand-written because it splits every request's
/// URL and costs a fifth of `curl_url` at the least (0.29 µs against 1.5–1.6 µs a URL, measured).
///
/// Named exceptions, where URLParts is not curl and need not be: it never refuses (it splits what
/// copypt built itself), so only URLs curl accepts are compared; it does not split off a `#`
/// fragment (copypt's keys encode `#`); and curl rewrites some hosts (IPv4 shorthand such as
/// `127.1`, upper-case letters) and paths (spaces) that URLParts keeps as written; and curl takes
/// `http:/h` or `http:///h` as `http://h`, where URLParts needs exactly `://` (copypt writes it);
/// curl decodes `%XY` in a host and splits an IPv6 zone id (`[fe80::1%eth0]`) off it, where
/// URLParts keeps the host as written (hosts come from endpoints, never with `%`); and curl prints
/// an IPv6 address in its shortest form (`[fe8:0::1]` → `[fe8::1]`), so those compare as addresses.
@Suite struct URLPartsPropertyTests {
    static let pathBytes = Array("abcXYZ019-._~!$&'()*+,;=:@".utf8)

    static let url = Generator<String, Shrink.None<String>>(run: { random in
        var text = ["http", "https", "HTTP", "Https"].randomElement(using: &random) ?? "http"
        text += "://"
        if Int.random(in: 0...5, using: &random) == 0 { text += ["user@", "user:pa%40ss@", "u:p@"].randomElement(using: &random) ?? "" }
        text += ["127.0.0.1", "localhost", "s3.eu-west-1.amazonaws.com", "b.s3.amazonaws.com", "[::1]", "[fe80::1:2]", "h-1.example"]
            .randomElement(using: &random) ?? "h"
        if Bool.random(using: &random) { text += ":" + String(Int.random(in: 1...65535, using: &random)) }
        let segments = Int.random(in: 0...5, using: &random)
        for _ in 0..<segments {
            text += "/"
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                switch Int.random(in: 0...5, using: &random) {
                case 0: text += "%" + String(format2: UInt8.random(in: 0...255, using: &random))
                case 1: text += [".", "..", "/"].randomElement(using: &random) ?? ""
                default: text += String(UnicodeScalar(pathBytes.randomElement(using: &random) ?? 0x61))
                }
            }
        }
        if Bool.random(using: &random) {
            text += "?"
            for index in 0..<Int.random(in: 0...3, using: &random) {
                if index > 0 { text += "&" }
                text += ["uploads", "partNumber", "list-type", "x-id", "prefix"].randomElement(using: &random) ?? "k"
                if Bool.random(using: &random) { text += "=" + (["2", "run%2F42%2F", "a/b", "", "%E6%97%A5"].randomElement(using: &random) ?? "") }
            }
        }
        return text
    })

    static func check(_ text: String, mustParse: Bool = false) {
        let parts = URLParts(text)  // never refuses, must never crash
        guard let curl = try? CurlURL(parsing: text, pathAsIs: true) else {
            #expect(!mustParse, "curl refused a generated URL: \(text)")
            return
        }
        guard !text.contains("#"), !text.contains(" "), curl.host == parts.host || !isRewrittenHost(parts.host),
              let separator = text.firstRange(of: "://"), text[..<separator.lowerBound].allSatisfy(\.isLetter),
              !text.contains(":///"), !parts.host.contains("%")
        else { return }
        #expect(parts.scheme == curl.scheme, "\(text)")
        #expect(parts.host == curl.host || sameIPv6Address(parts.host, curl.host), "\(text)")
        #expect(parts.port == curl.port, "\(text)")
        #expect(parts.path == curl.path, "\(text)")
        #expect(parts.query == (curl.query ?? ""), "\(text)")
    }

    /// Whether two bracketed hosts name the same IPv6 address (curl rewrites the spelling).
    static func sameIPv6Address(_ a: String, _ b: String) -> Bool {
        func address(_ host: String) -> [UInt8]? {
            guard host.hasPrefix("["), host.hasSuffix("]") else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            let ok = String(host.dropFirst().dropLast()).withCString { inet_pton(AF_INET6, $0, &bytes) }
            return ok == 1 ? bytes : nil
        }
        guard let left = address(a), let right = address(b) else { return false }
        return left == right
    }

    /// Hosts curl normalizes: letters in upper case, or numbers it reads as IPv4 shorthand.
    static func isRewrittenHost(_ host: String) -> Bool {
        host.contains(where: \.isUppercase) || host.allSatisfy({ $0.isNumber || $0 == "." || $0 == "x" || $0 == "X" })
    }

    @Test("generated request URLs split as curl_url splits them")
    func generated() async {
        await propertyCheck(count: 400, input: Self.url) { Self.check($0, mustParse: true) }
    }

    @Test("truncations, byte flips and inserted delimiters: curl's parts whenever curl accepts, never a crash")
    func mutated() async {
        await propertyCheck(count: 25, input: Self.url, Gen<UInt64>.value(in: 0...UInt64.max)) { url, seed in
            var random = Xoshiro(seed: (seed, ~seed, 0x9E37_79B9_7F4A_7C15, 1))
            let bytes = Array(url.utf8)
            for length in 0..<bytes.count { Self.check(String(decoding: bytes[..<length], as: UTF8.self)) }
            let inserts = ["/", "?", "@", ":", "[", "]", "%", "//", "://", "?&", ":99999", "%zz", "é"]
            for _ in 0..<30 {
                var damaged = bytes
                let position = Int.random(in: 0..<damaged.count, using: &random)
                if Bool.random(using: &random) {
                    damaged[position] = UInt8.random(in: 0x21...0x7E, using: &random)
                } else {
                    damaged.insert(contentsOf: Array((inserts.randomElement(using: &random) ?? "/").utf8), at: position)
                }
                Self.check(String(decoding: damaged, as: UTF8.self))
            }
        }
    }

    @Test("CurlURL keeps dot segments when asked, and refuses with libcurl's reason, never echoing the URL")
    func curlURL() throws {
        let url = try CurlURL(parsing: "HTTPS://user:secret@h.example:8443/a/../b%2F?x=1#frag", pathAsIs: true)
        #expect(url.scheme == "https" && url.host == "h.example" && url.port == 8443 && url.path == "/a/../b%2F")
        #expect(url.query == "x=1" && url.user == "user" && url.fragment == "frag")
        #expect(try CurlURL(parsing: "http://h/a/../b").path == "/b")
        #expect(throws: CurlURL.ParseError.self) { try CurlURL(parsing: "http://h:99999/") }
        #expect(throws: CurlURL.ParseError.self) { try CurlURL(parsing: "nosuchscheme://h/") }
        do {
            _ = try CurlURL(parsing: "http://user:secret@h:99999/")
        } catch {
            #expect(!"\(error)".contains("secret") && "\(error)".hasPrefix("not a usable URL: "), "\(error)")
        }
    }
}

extension String {
    /// Two upper-case hex digits.
    init(format2 byte: UInt8) {
        let hex = String(byte, radix: 16, uppercase: true)
        self = hex.count == 1 ? "0" + hex : hex
    }
}
