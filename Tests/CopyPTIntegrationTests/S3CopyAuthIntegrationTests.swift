import CopyPTHTTP
import CopyPTS3
import Testing

/// The same copies with moto's request authentication on: moto checks every signature
/// with botocore's signer and the IAM user's policy.
@Suite struct S3CopyAuthIntegrationTests {
    @Test("recursive and multipart copies pass moto's signature checks; a wrong secret is a permanent SignatureDoesNotMatch")
    func authenticated() async throws {
        let s3 = try await S3MotoFixture()
        try await s3.createBucket("auth-src")
        try await s3.createBucket("auth-dst")
        // moto's signature check decodes the path and query before recomputing the signature,
        // so it rejects boto3's own requests for keys with `+ = %` or non-ASCII (checked with
        // boto3 1.43 / moto 5.2.1); those keys are covered with authentication off.
        let keys = ["p/with space.txt", "p/tilde~.txt", "p/empty", "p/deep/a/b/c.txt"]
        for key in keys { try await s3.put("auth-src", key, key.hasSuffix("empty") ? [] : Array(key.utf8), headers: [("x-amz-tagging", "t=1")]) }
        let big = S3MotoFixture.bytes(2 << 20, seed: 5)
        try await s3.put("auth-src", "p/big file.bin", big, headers: [("x-amz-tagging", "t=2")])
        let user = try await s3.createIAMUser("copier")
        try await s3.moto.enableAuthentication(transport: s3.transport)

        let copier = s3.copier(concurrency: 4, credentials: user)
        // The whole bucket, as moto's check also fails any query value with `/` (prefix=p%2F).
        let items = try await copier.plan(
            source: try S3Location(parsing: "s3://auth-src"), destination: try S3Location(parsing: "s3://auth-dst/q/"), recursive: true)
        #expect(items.count == keys.count + 1)
        let summary = try await copier.copy(items, options: CopyOptions(acl: .bucketOwnerFullControl, storageClass: "STANDARD"))
        #expect(summary.failures.map(\.error.description) == [])
        #expect(summary.verified == keys.count + 1)
        #expect(try await s3.get("auth-dst", "q/p/big file.bin", credentials: user) == big)
        #expect(try await s3.get("auth-dst", "q/p/with space.txt", credentials: user) == Array("p/with space.txt".utf8))

        let wrong = AWSCredentials(accessKeyID: user.accessKeyID, secretAccessKey: user.secretAccessKey + "x")
        let small = try #require(items.first { $0.size < 1000 })
        let refused = try await s3.copier(credentials: wrong).copy([small], options: CopyOptions())
        let failure = try #require(refused.failures.first)
        #expect(failure.error.code == "SignatureDoesNotMatch")
        #expect(!failure.error.isRetryable)
        #expect(!failure.error.description.contains(user.secretAccessKey))
    }
}
