import CopyPTCrypto
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
