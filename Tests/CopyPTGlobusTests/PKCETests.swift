@testable import CopyPTGlobus
import Testing

@Suite struct PKCETests {
    // RFC 7636 Appendix B: the 32 octets, their base64url verifier and the S256 challenge.
    static let appendixBOctets: [UInt8] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
        22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ]

    @Test("RFC 7636 appendix B: the octets give the verifier, and its S256 challenge matches")
    func appendixB() throws {
        let pkce = PKCE.generate { count in
            #expect(count == 32)
            return Self.appendixBOctets
        }
        #expect(pkce.verifier == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(pkce.method == "S256")
        #expect(try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == pkce)
    }

    @Test("a generated verifier is 43 unpadded base64url characters and differs each time")
    func generated() {
        let a = PKCE.generate()
        let b = PKCE.generate()
        #expect(a.verifier.count == 43)
        #expect(!a.verifier.contains("=") && !a.verifier.contains("+") && !a.verifier.contains("/"))
        #expect(a.verifier != b.verifier)
        #expect(a.challenge == PKCE.challenge(for: a.verifier))
    }

    @Test("verifiers outside RFC 7636 section 4.1 are refused", arguments: [
        "short", String(repeating: "a", count: 129), String(repeating: "a", count: 42) + "!",
    ])
    func invalid(_ verifier: String) {
        #expect(throws: GlobusError.self) { try PKCE(verifier: verifier) }
    }

    @Test("the description shows the challenge but never the verifier")
    func redacted() {
        let pkce = PKCE.generate()
        #expect(!pkce.description.contains(pkce.verifier))
        #expect(!String(reflecting: pkce).contains(pkce.verifier))
        #expect(pkce.description.contains(pkce.challenge))
    }
}
