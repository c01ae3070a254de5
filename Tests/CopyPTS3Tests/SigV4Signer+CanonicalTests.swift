import CopyPTHTTP
import Foundation
import Testing
@testable import CopyPTS3

@Suite struct SigV4SignerCanonicalTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    @Test("S3 paths are signed verbatim; other services normalise and encode again", arguments: [
        ("/bucket/a%2Fb", "/bucket/a%2Fb", "/bucket/a%252Fb"),
        ("/bucket/my-object//example//photo.user", "/bucket/my-object//example//photo.user", "/bucket/my-object/example/photo.user"),
        ("/b/x/../y/./z", "/b/x/../y/./z", "/b/y/z"),
        ("/b/a%20b%2B", "/b/a%20b%2B", "/b/a%2520b%252B"),
        ("", "/", "/"),
    ])
    func canonicalURI(path: String, s3: String, other: String) {
        let s3Signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "s3")
        let stsSigner = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "sts")
        #expect(s3Signer.canonicalURIStyle == .verbatim)
        #expect(stsSigner.canonicalURIStyle == .normalizedDoubleEncoded)
        #expect(s3Signer.canonicalURI(path) == s3)
        #expect(stsSigner.canonicalURI(path) == other)
    }

    @Test("canonical query: decoded, re-encoded with %20 and upper-case hex, sorted, valueless as name=", arguments: [
        ("", ""),
        ("uploads", "uploads="),
        ("uploads=", "uploads="),
        ("prefix=a+b", "prefix=a%2Bb"),
        ("prefix=a%20b&delimiter=%2f", "delimiter=%2F&prefix=a%20b"),
        ("b=2&a=2&a=1&A=3", "A=3&a=1&a=2&b=2"),
        ("list-type=2&continuation-token=1%2Fab%3D%3D&encoding-type=url",
         "continuation-token=1%2Fab%3D%3D&encoding-type=url&list-type=2"),
        ("partNumber=10&uploadId=x~y.z_-", "partNumber=10&uploadId=x~y.z_-"),
        ("k=%zz&x=%", "k=%25zz&x=%25"),
        ("a=1&&b=", "a=1&b="),
        ("key=caf%C3%A9", "key=caf%C3%A9"),
    ])
    func canonicalQuery(query: String, expected: String) {
        #expect(SigV4Signer.canonicalQuery(query) == expected)
    }

    @Test("headers: lower-cased, trimmed, runs collapsed, duplicates joined with commas, sorted")
    func canonicalHeaders() {
        let headers = HTTPHeaders([
            ("X-Amz-Meta-B", "  two   words  "), ("Host", "h"), ("x-amz-meta-b", "again"),
            ("Content-Type", "text/plain"), ("User-Agent", "copypt"), ("X-Amz-Meta-A", "a\tb\n  c"),
        ])
        let canonical = SigV4Signer.canonicalHeaders(headers)
        #expect(canonical.map(\.name) == ["content-type", "host", "x-amz-meta-a", "x-amz-meta-b"])
        #expect(canonical.map(\.value) == ["text/plain", "h", "a b c", "two words,again"])
    }

    @Test("the session token is signed and x-amz-content-sha256 set for s3")
    func sessionTokenSigned() {
        var credentials = Self.credentials
        credentials.sessionToken = "example-session-token"
        let signer = SigV4Signer(credentials: credentials, region: "eu-west-1", service: "s3")
        let request = HTTPRequest(method: .head, url: "http://127.0.0.1:5000/bucket/a%20b")
        let result = signer.sign(request, payloadHash: SigV4Signer.unsignedPayload, at: Date(timeIntervalSince1970: 0))
        #expect(result.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(result.request.headers["host"] == "127.0.0.1:5000")
        #expect(result.request.headers["x-amz-security-token"] == "example-session-token")
        #expect(result.request.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD")
        #expect(result.request.headers["x-amz-date"] == "19700101T000000Z")
        #expect(result.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(result.canonicalRequest.contains("\n/bucket/a%20b\n"))
        #expect(result.authorization.contains("/19700101/eu-west-1/s3/aws4_request, "))
    }

    @Test("an existing Host header is kept, and re-signing replaces the old Authorization")
    func resign() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "s3")
        let request = HTTPRequest(method: .get, url: "http://127.0.0.1:9000/b/k", headers: ["Host": "b.example.com"])
        let once = signer.signed(request, payloadHash: SigV4Signer.emptyPayloadHash, at: Date(timeIntervalSince1970: 100))
        let twice = signer.signed(once, payloadHash: SigV4Signer.emptyPayloadHash, at: Date(timeIntervalSince1970: 100))
        #expect(once == twice)
        #expect(once.headers.values(for: "host") == ["b.example.com"])
        #expect(once.headers.values(for: "authorization").count == 1)
    }

    @Test("timestamps render in UTC across leap years and centuries", arguments: [
        (0.0, "19700101T000000Z"),
        (951_782_400.0, "20000229T000000Z"),
        (1_440_938_160.0, "20150830T123600Z"),
        (1_709_251_199.9, "20240229T235959Z"),
        (4_102_444_800.0, "21000101T000000Z"),
        (-1.0, "19691231T235959Z"),
    ])
    func timestamp(seconds: Double, expected: String) {
        let stamp = SigV4Timestamp(Date(timeIntervalSince1970: seconds))
        #expect(stamp.dateTime == expected)
        #expect(stamp.day == String(expected.prefix(8)))
    }
}
