import CopyPTCrypto
import CopyPTHTTP
import Foundation
import Testing
@testable import CopyPTS3

@Suite struct SigV4SignerTests {
    // MARK: - Inputs of the published suites

    /// botocore/aws-c-auth suite inputs (test_sigv4.py, context.json).
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)   // 2015-08-30T12:36:00Z
    static let suiteKeyID = "AKIDEXAMPLE"
    static let suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    /// S3 API reference example inputs.
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)      // 2013-05-24T00:00:00Z
    static let s3Credentials = AWSCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )

    /// Every case directory of botocore's aws4_testsuite (28).
    static let aws4Cases = [
        "get-header-key-duplicate", "get-header-value-multiline", "get-header-value-order",
        "get-header-value-trim", "get-unreserved", "get-utf8", "get-vanilla", "get-vanilla-empty-query-key",
        "get-vanilla-query", "get-vanilla-query-order-encoded", "get-vanilla-query-order-key",
        "get-vanilla-query-order-key-case", "get-vanilla-query-order-value", "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query", "get-vanilla-with-session-token",
        "normalize-path/get-relative", "normalize-path/get-relative-relative", "normalize-path/get-slash",
        "normalize-path/get-slash-dot-slash", "normalize-path/get-slash-pointless-dot", "normalize-path/get-slashes",
        "normalize-path/get-space", "normalize-path/get-special-character",
        "post-header-key-case", "post-header-key-sort", "post-header-value-case",
        "post-sts-token/post-sts-header-after", "post-sts-token/post-sts-header-before",
        "post-vanilla", "post-vanilla-empty-query-value", "post-vanilla-query",
        "post-x-www-form-urlencoded", "post-x-www-form-urlencoded-parameters",
    ]

    /// The aws-c-auth cases whose context.json says `"normalize": false`.
    static let unnormalizedCases = [
        "get-relative-relative-unnormalized", "get-relative-unnormalized", "get-slash-dot-slash-unnormalized",
        "get-slash-pointless-dot-unnormalized", "get-slash-unnormalized", "get-slashes-unnormalized",
        "get-space-unnormalized",
    ]

    // MARK: - botocore aws4_testsuite

    @Test("every request file of the aws4 suite is listed: 24 top-level cases, 8 normalize-path, 2 post-sts-token")
    func suiteIsComplete() throws {
        // 26 top-level directories; normalize-path and post-sts-token hold 8 and 2 sub-cases: 34 requests.
        for name in Self.aws4Cases {
            #expect(RawRequestFixture.fixtureURL(Self.aws4Path(name, "req")) != nil, "\(name)")
        }
        #expect(Set(Self.aws4Cases).count == 34)
    }

    @Test("botocore aws4_testsuite: canonical request, string to sign and Authorization", arguments: aws4Cases)
    func aws4Suite(name: String) throws {
        let raw = try RawRequestFixture.parse(RawRequestFixture.text(Self.aws4Path(name, "req")))
        let expectedCanonical = try RawRequestFixture.text(Self.aws4Path(name, "creq"))
        // As botocore's harness does: the session token, if any, comes from the canonical request.
        // post-sts-header-after adds the token only after signing, so its .creq has none and it
        // is signed without one; post-sts-header-before carries it in .req and .creq alike.
        let token = expectedCanonical.split(separator: "\n")
            .first { $0.hasPrefix("x-amz-security-token:") }
            .map { String($0.dropFirst("x-amz-security-token:".count)) }
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: Self.suiteKeyID, secretAccessKey: Self.suiteSecret, sessionToken: token),
            region: "us-east-1", service: "service"
        )
        // The raw target (spaces, UTF-8 and all) is what the suite's signers see as the path;
        // service "service" normalises and encodes it.
        let request = HTTPRequest(method: raw.method, url: "https://\(raw.host)\(raw.target)", headers: raw.headers, body: raw.body)
        let result = signer.sign(request, payloadHash: Digest.sha256Hex(raw.body), at: Self.suiteDate)

        #expect(result.canonicalRequest == expectedCanonical)
        #expect(result.stringToSign == (try RawRequestFixture.text(Self.aws4Path(name, "sts"))))
        #expect(result.authorization == (try RawRequestFixture.text(Self.aws4Path(name, "authz"))))
        #expect(result.request.headers["Authorization"] == result.authorization)
        #expect(result.request.headers.values(for: "x-amz-date") == ["20150830T123600Z"])
        #expect(result.request.headers["x-amz-content-sha256"] == nil, "only service s3 gets x-amz-content-sha256")
    }

    static func aws4Path(_ name: String, _ ext: String) -> String {
        "aws4_testsuite/\(name)/\(name.split(separator: "/").last ?? "").\(ext)"
    }

    // MARK: - aws-c-auth unnormalised cases, S3 path handling

    @Test("aws-c-auth normalize:false cases sign the S3-encoded path verbatim", arguments: unnormalizedCases)
    func unnormalized(name: String) throws {
        let context = try RawRequestFixture.text("aws-c-auth-v4/\(name)/context.json")
        #expect(context.contains("\"normalize\": false"))
        let raw = try RawRequestFixture.parse(RawRequestFixture.text("aws-c-auth-v4/\(name)/request.txt"))
        // Our S3 client puts the key on the wire encoded once; the signer must not touch it again.
        let url = "https://\(raw.host)\(S3PathEncoding.encodeKey(raw.target))"
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: Self.suiteKeyID, secretAccessKey: Self.suiteSecret),
            region: "us-east-1", service: "service", canonicalURIStyle: .verbatim
        )
        let result = signer.sign(HTTPRequest(method: raw.method, url: url, headers: raw.headers),
                                 payloadHash: SigV4Signer.emptyPayloadHash, at: Self.suiteDate)
        #expect(result.canonicalRequest == (try RawRequestFixture.text("aws-c-auth-v4/\(name)/header-canonical-request.txt")))
        #expect(result.stringToSign == (try RawRequestFixture.text("aws-c-auth-v4/\(name)/header-string-to-sign.txt")))
        #expect(result.signature == (try RawRequestFixture.text("aws-c-auth-v4/\(name)/header-signature.txt")))
    }

    // MARK: - S3 API reference examples

    struct S3Example: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var key: String?
        var url: String
        var headers: [[String]]
        var body: String
        var payloadHash: String?
        var canonicalQuery: String?
        var signedHeaders: String
        var canonicalRequestSHA256: String
        var signature: String
        var testDescription: String { name }
    }

    static func s3Examples() throws -> [S3Example] {
        let url = try #require(RawRequestFixture.fixtureURL("s3-api-reference-examples.json"))
        return try JSONDecoder().decode([S3Example].self, from: Data(contentsOf: url))
    }

    @Test("S3 API reference examples: canonical-request hash and signature", arguments: try s3Examples())
    func s3Example(example: S3Example) throws {
        let body = Array(example.body.utf8)
        let payloadHash = body.isEmpty ? SigV4Signer.emptyPayloadHash : Digest.sha256Hex(body)
        if let expected = example.payloadHash { #expect(payloadHash == expected) }
        if let key = example.key { #expect(example.url.hasSuffix("/" + S3PathEncoding.encodeKey(key))) }
        let request = HTTPRequest(
            method: try #require(HTTPMethod(rawValue: example.method)), url: example.url,
            headers: HTTPHeaders(example.headers.map { ($0[0], $0[1]) }), body: body
        )
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1", service: "s3")
        let result = signer.sign(request, payloadHash: payloadHash, at: Self.s3Date)
        #expect(Digest.hex(Digest.sha256(result.canonicalRequest)) == example.canonicalRequestSHA256)
        #expect(result.signature == example.signature)
        #expect(result.signedHeaders == example.signedHeaders)
        if let query = example.canonicalQuery {
            #expect(result.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == query)
        }
        #expect(result.request.headers["x-amz-content-sha256"] == payloadHash)
        #expect(result.request.headers["x-amz-date"] == "20130524T000000Z")
        #expect(result.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=\(example.signedHeaders), Signature=\(example.signature)")
    }

    @Test("GET Object example, each stage as a literal")
    func getObjectStages() throws {
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1", service: "s3")
        let request = HTTPRequest(method: .get, url: "https://examplebucket.s3.amazonaws.com/test.txt", headers: ["Range": "bytes=0-9"])
        let result = signer.sign(request, payloadHash: SigV4Signer.emptyPayloadHash, at: Self.s3Date)
        #expect(result.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(result.stringToSign == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        let key = signer.signingKey(day: "20130524")
        #expect(String(decoding: signer.signature(stringToSign: result.stringToSignBytes, signingKey: key), as: UTF8.self)
            == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }
}
