@testable import CopyPTCrypto
import Testing

@Suite struct DigestTests {
    @Test("SHA-256 of the empty input is the SigV4 empty-payload hash")
    func emptySHA256() {
        #expect(Digest.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("SHA-256 of the S3 PUT example body")
    func s3ExampleBody() {
        #expect(Digest.sha256Hex(Array("Welcome to Amazon S3.".utf8)) == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    }

    // RFC 4231 test case 2.
    @Test("HMAC-SHA256 matches RFC 4231 test case 2")
    func hmacRFC4231() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), data: "what do ya want for nothing?")
        #expect(Digest.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("HMAC-SHA256 matches RFC 4231 test cases 1 and 6 (a key longer than a block)", arguments: [
        ([UInt8](repeating: 0x0B, count: 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ([UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func hmacRFC4231More(key: [UInt8], data: String, expected: String) {
        #expect(Digest.hex(Digest.hmacSHA256(key: key, data: data)) == expected)
    }

    @Test("HMAC-SHA256 agrees with OpenSSL's HMAC() for keys and messages of every length up to 150 bytes")
    func hmacAgreesWithOpenSSL() {
        for length in 0...150 {
            let key = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            let data = (0..<(150 - length)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
            #expect(Digest.hmacSHA256(key: key, data: data) == Digest.opensslHMACSHA256(key: key, data: data), "\(length)")
        }
    }

    @Test("base64 and base64url", arguments: [
        ([UInt8](), "", ""),
        ([0xfb], "+w==", "-w"),
        ([0xfb, 0xff], "+/8=", "-_8"),
        (Array("foobar".utf8), "Zm9vYmFy", "Zm9vYmFy"),
    ])
    func base64(bytes: [UInt8], standard: String, url: String) {
        #expect(Digest.base64(bytes) == standard)
        #expect(Digest.base64url(bytes) == url)
    }

    // RFC 7636 Appendix B.
    @Test("PKCE S256 challenge of the RFC 7636 appendix B verifier")
    func pkceExample() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(Digest.base64url(Digest.sha256(verifier)) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test("random bytes have the asked length and differ")
    func random() {
        let a = Digest.randomBytes(32), b = Digest.randomBytes(32)
        #expect(a.count == 32 && b.count == 32 && a != b)
    }
}
