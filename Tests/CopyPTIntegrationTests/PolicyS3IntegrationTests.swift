import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// copypt's own S3 client against scripts/policy-s3, the stand-in that enforces what moto ignores:
/// cross-account bucket policies, expected owners, copy-source-if-match after authorization,
/// Object Ownership and SSE-KMS key policies.
@Suite struct PolicyS3IntegrationTests {
    static let staging = "111111111111"
    static let destination = "222222222222"
    static let copyptARN = "arn:aws:iam::111111111111:user/copypt"
    static let keyARN = "arn:aws:kms:eu-west-1:222222222222:key/5e1f0000-0000-4000-8000-00000000d057"
    static let copypt = AWSCredentials(accessKeyID: "AKIACOPYPTSTANDIN001", secretAccessKey: "copypt-standin-secret")
    static let owner = AWSCredentials(accessKeyID: "AKIADSTOWNERSTANDIN1", secretAccessKey: "owner-standin-secret")

    static func policy(_ statements: [[String: Any]]) -> [String: Any] {
        ["Version": "2012-10-17", "Statement": statements]
    }

    /// Staging in copypt's account, a destination in another with ACLs disabled; copypt's
    /// identity policy reads staging and writes the destination; the bucket policy and the key
    /// grant are what the tests add.
    static func configuration(bucketPolicy: [String: Any]? = nil, keyGrant: Bool = false) -> [String: Any] {
        var destinationBucket: [String: Any] = ["owner": destination, "region": "eu-west-1", "object_ownership": "BucketOwnerEnforced"]
        if let bucketPolicy { destinationBucket["policy"] = bucketPolicy }
        var keyStatements: [[String: Any]] = [
            ["Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::\(destination):root"], "Action": "kms:*", "Resource": "*"]
        ]
        if keyGrant {
            keyStatements.append(["Effect": "Allow", "Principal": ["AWS": copyptARN], "Action": ["kms:GenerateDataKey", "kms:Encrypt"], "Resource": "*"])
        }
        return [
            "principals": [
                copypt.accessKeyID: ["secret": copypt.secretAccessKey, "arn": copyptARN],
                owner.accessKeyID: ["secret": owner.secretAccessKey, "arn": "arn:aws:iam::\(destination):user/admin"],
            ],
            "buckets": ["stg": ["owner": staging, "region": "us-east-1"], "dst": destinationBucket],
            "identity_policies": [copyptARN: [policy([
                ["Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::stg", "arn:aws:s3:::stg/*"]],
                ["Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectAcl"], "Resource": "arn:aws:s3:::dst/*"],
                ["Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": keyARN],
            ])]],
            "kms_keys": [keyARN: ["policy": policy(keyStatements)]],
        ]
    }

    static var writeStatement: [String: Any] { [
        "Effect": "Allow", "Principal": ["AWS": copyptARN], "Action": ["s3:PutObject", "s3:PutObjectAcl"],
        "Resource": "arn:aws:s3:::dst/in/*",
    ] }

    func client(_ server: PolicyS3Server, _ credentials: AWSCredentials) throws -> S3Client {
        S3Client(
            transport: server.transport,
            configuration: AWSConfiguration(
                region: "us-east-1", s3Endpoint: server.url, maxAttempts: 1,
                credentialProvider: StaticCredentialProvider(credentials)),
            retryPolicy: ExponentialRetryPolicy(base: .milliseconds(10), maxAttempts: 1),
            logger: Logger(label: "test"))
    }

    /// Puts an object straight into moto (no policy in the way) and returns its ETag.
    func seed(_ server: PolicyS3Server, _ bucket: String, _ key: String, _ body: String) async throws -> String {
        let response = try await server.transport.send(HTTPRequest(
            method: .put, url: "\(server.moto.endpoint)/\(bucket)/\(key)", body: Array(body.utf8)))
        #expect(response.status == 200)
        return response.headers["etag"] ?? ""
    }

    func expectError(_ code: String, status: Int, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(status) \(code), got success")
        } catch let error as S3Error {
            #expect(error.code == code, "\(error)")
            #expect(error.status == status, "\(error)")
        } catch {
            Issue.record("expected S3Error \(code), got \(error)")
        }
    }

    @Test("copypt's client: AccessDenied cross-account without a bucket policy (also when the ETag differs: authorization first), 412 once allowed, then the copy")
    func crossAccountCopy() async throws {
        let server = try await PolicyS3Server.start()
        try await server.configure(Self.configuration())
        let eTag = try await seed(server, "stg", "run/a.txt", "alpha")
        let s3 = try client(server, Self.copypt)
        let item = CopyItem(
            source: S3Location(bucket: "stg", key: "run/a.txt"), destination: S3Location(bucket: "dst", key: "in/a.txt"),
            size: 5, eTag: eTag)
        let options = CopyOptions(acl: .bucketOwnerFullControl, destinationOwner: Self.destination, sourceOwner: Self.staging)

        #expect(try await s3.headBucket("dst") == "eu-west-1")  // 403, with the region
        await expectError("AccessDenied", status: 403) { _ = try await s3.copyObject(item, options: options) }
        var stale = item
        stale.eTag = "\"00000000000000000000000000000000\""
        await expectError("AccessDenied", status: 403) { _ = try await s3.copyObject(stale, options: options) }

        try await server.configure(Self.configuration(bucketPolicy: Self.policy([Self.writeStatement])))
        await expectError("PreconditionFailed", status: 412) { _ = try await s3.copyObject(stale, options: options) }
        var wrongOwner = options
        wrongOwner.destinationOwner = Self.staging
        await expectError("AccessDenied", status: 403) { _ = try await s3.copyObject(item, options: wrongOwner) }
        var outside = item
        outside.destination = S3Location(bucket: "dst", key: "out/a.txt")
        await expectError("AccessDenied", status: 403) { _ = try await s3.copyObject(outside, options: options) }

        _ = try await s3.copyObject(item, options: options)
        let landed = try await client(server, Self.owner).headObject(S3Location(bucket: "dst", key: "in/a.txt"))
        #expect(landed.size == 5)
        let denied = try await server.decisions().filter { !$0.allowed }
        #expect(denied.contains { $0.action == "s3:PutObject" && $0.resource == "arn:aws:s3:::dst/out/a.txt" })
        await server.shutdown()
    }

    @Test("copypt's client: SSE-KMS with an unknown key is KMS.NotFoundException, without the key-policy grant AccessDenied, with it copied; a staging object under a key copypt may not decrypt is AccessDenied")
    func kmsKeyPolicy() async throws {
        let server = try await PolicyS3Server.start()
        let bucketPolicy = Self.policy([Self.writeStatement])
        try await server.configure(Self.configuration(bucketPolicy: bucketPolicy))
        let eTag = try await seed(server, "stg", "run/k.txt", "kms")
        let s3 = try client(server, Self.copypt)
        let item = CopyItem(
            source: S3Location(bucket: "stg", key: "run/k.txt"), destination: S3Location(bucket: "dst", key: "in/k.txt"),
            size: 3, eTag: eTag)
        let unknown = CopyOptions(serverSideEncryption: .kms(keyID: "arn:aws:kms:eu-west-1:222222222222:key/not-configured"))
        await expectError("KMS.NotFoundException", status: 400) { _ = try await s3.copyObject(item, options: unknown) }
        let kms = CopyOptions(serverSideEncryption: .kms(keyID: Self.keyARN))
        await expectError("AccessDenied", status: 403) { _ = try await s3.copyObject(item, options: kms) }
        try await server.configure(Self.configuration(bucketPolicy: bucketPolicy, keyGrant: true))
        let result = try await s3.copyObject(item, options: kms)
        #expect(result.serverSideEncryption == "aws:kms")

        // A staging object stored under a KMS key of copypt's own account, whose key policy
        // delegates to IAM: copypt's identity policy lacks kms:Decrypt, so the copy is refused.
        let stagingKey = "arn:aws:kms:us-east-1:111111111111:key/5e1f0000-0000-4000-8000-00000000057a"
        var configuration = Self.configuration(bucketPolicy: bucketPolicy, keyGrant: true)
        var keys = try #require(configuration["kms_keys"] as? [String: Any])
        keys[stagingKey] = ["policy": Self.policy([
            ["Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::\(Self.staging):root"], "Action": "kms:*", "Resource": "*"]
        ])]
        configuration["kms_keys"] = keys
        try await server.configure(configuration)
        var put = HTTPRequest(method: .put, url: "\(server.moto.endpoint)/stg/run/sealed.txt", body: Array("sealed".utf8))
        put.headers["x-amz-server-side-encryption"] = "aws:kms"
        put.headers["x-amz-server-side-encryption-aws-kms-key-id"] = stagingKey
        let sealed = try await server.transport.send(put)
        var sealedItem = item
        sealedItem.source = S3Location(bucket: "stg", key: "run/sealed.txt")
        sealedItem.eTag = sealed.headers["etag"] ?? ""
        await expectError("AccessDenied", status: 403) { _ = try await s3.copyObject(sealedItem, options: CopyOptions()) }
        let decisions = try await server.decisions()
        #expect(decisions.last.map { !$0.allowed && $0.action == "kms:Decrypt" && $0.resource == stagingKey } == true)
        await server.shutdown()
    }

    @Test("BucketOwnerEnforced: a canned ACL other than bucket-owner-full-control is 400 AccessControlListNotSupported")
    func objectOwnership() async throws {
        let server = try await PolicyS3Server.start()
        try await server.configure(Self.configuration(bucketPolicy: Self.policy([Self.writeStatement])))
        // copypt itself only ever sends bucket-owner-full-control, which S3 accepts with ACLs
        // disabled; a public-read PUT signed with copypt's signer shows the refusal.
        var request = HTTPRequest(method: .put, url: server.url + "/dst/in/acl.txt", body: Array("x".utf8))
        request.headers["x-amz-acl"] = "public-read"
        let signed = SigV4Signer(credentials: Self.owner, region: "eu-west-1", service: "s3")
            .signed(request, payloadHash: SigV4Signer.unsignedPayload, at: Date())
        let response = try await server.transport.send(signed)
        #expect(response.status == 400)
        #expect(response.bodyText.contains("<Code>AccessControlListNotSupported</Code>"))
        await server.shutdown()
    }
}
