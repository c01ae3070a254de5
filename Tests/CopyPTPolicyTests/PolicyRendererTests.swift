import CopyPTPolicy
import CopyPTRecords
import Foundation
import Testing

@Suite struct PolicyRendererTests {
    static let principal: PolicyPrincipal = {
        do { return try PolicyPrincipal(callerARN: "arn:aws:sts::111111111111:assumed-role/CopyptRole/cron") } catch { preconditionFailure("\(error)") }
    }()
    static let destinationKey = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    static let stagingKey = "arn:aws:kms:us-east-1:111111111111:key/0000aaaa-12ab-34cd-56ef-1234567890ab"

    static func input(_ options: CopyOptions = CopyOptions(), tags: Bool = false, stagingKey: String? = nil, prefix: String = "incoming/run42/") throws -> PolicyInput {
        PolicyInput(
            principal: principal, staging: S3Prefix(bucket: "stg", prefix: "run42/"), destination: S3Prefix(bucket: "dst", prefix: prefix),
            options: options, copiesTags: tags, stagingKMSKey: try stagingKey.map { try KMSKeyARN(parsing: $0) })
    }

    static func parsed(_ document: PolicyDocument) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.json.rendered().utf8)) as? [String: Any])
        #expect(object["Version"] as? String == "2012-10-17")
        return try #require(object["Statement"] as? [[String: Any]])
    }

    static func actions(_ statement: [String: Any]) -> [String] {
        (statement["Action"] as? [String]) ?? [(statement["Action"] as? String) ?? ""]
    }

    @Test("The default options give the destination PutObject on its prefix and PutObjectAcl only with bucket-owner-full-control")
    func defaultBucketPolicy() throws {
        let documents = try PolicyRenderer(input: Self.input()).documents()
        #expect(documents.map(\.kind) == [.destinationBucketPolicy, .identityPolicy])
        let statements = try Self.parsed(documents[0])
        #expect(statements.count == 3)
        for statement in statements {
            #expect((statement["Principal"] as? [String: String])?["AWS"] == "arn:aws:iam::111111111111:role/CopyptRole")
        }
        #expect(statements[0]["Resource"] as? String == "arn:aws:s3:::dst/incoming/run42/*")
        #expect(Self.actions(statements[0]) == ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"])
        // The one bucket-level action: the sweep's check for stray multipart uploads.
        #expect(Self.actions(statements[1]) == ["s3:ListBucketMultipartUploads"])
        #expect(statements[1]["Resource"] as? String == "arn:aws:s3:::dst")
        #expect(Self.actions(statements[2]) == ["s3:PutObjectAcl"])
        #expect(statements[2]["Resource"] as? String == "arn:aws:s3:::dst/incoming/run42/*")
        let condition = statements[2]["Condition"] as? [String: [String: String]]
        #expect(condition?["StringEquals"]?["s3:x-amz-acl"] == "bucket-owner-full-control")
    }

    @Test("--acl none drops the PutObjectAcl statement; copied tags add PutObjectTagging and GetObjectTagging")
    func aclAndTags() throws {
        let documents = try PolicyRenderer(input: Self.input(CopyOptions(acl: .none), tags: true)).documents()
        let bucket = try Self.parsed(documents[0])
        #expect(bucket.count == 2)
        #expect(Self.actions(bucket[0]).contains("s3:PutObjectTagging"))
        let identity = try Self.parsed(documents[1])
        #expect(identity.flatMap(Self.actions).contains("s3:GetObjectTagging"))
        #expect(!identity.flatMap(Self.actions).contains("s3:PutObjectAcl"))
    }

    @Test("SSE-KMS adds the destination key policy statement and, for SSE-KMS staging objects, kms:Decrypt on the staging key")
    func kms() throws {
        let options = CopyOptions(sse: .awsKMS, sseKMSKeyID: Self.destinationKey)
        let documents = try PolicyRenderer(input: Self.input(options, stagingKey: Self.stagingKey)).documents()
        #expect(documents.map(\.kind) == [.destinationBucketPolicy, .destinationKeyPolicy, .stagingKeyPolicy, .identityPolicy])
        let key = try Self.parsed(documents[1])
        #expect(Set(Self.actions(key[0])).isSuperset(of: ["kms:GenerateDataKey", "kms:Encrypt"]))
        #expect(key[0]["Resource"] as? String == Self.destinationKey)
        #expect(Self.actions(try Self.parsed(documents[2])[0]) == ["kms:Decrypt"])
        let identity = try Self.parsed(documents[3])
        #expect(identity.contains { $0["Resource"] as? String == Self.stagingKey })
        #expect(identity.contains { $0["Resource"] as? String == Self.destinationKey })
    }

    @Test("The identity policy reads only the staging prefix and writes only the destination prefix")
    func identityScope() throws {
        let documents = try PolicyRenderer(input: Self.input(CopyOptions(deleteStaging: true))).documents()
        let identity = try Self.parsed(try #require(documents.last))
        let resources = identity.compactMap { $0["Resource"] as? String }
        #expect(Set(resources) == ["arn:aws:s3:::stg", "arn:aws:s3:::stg/run42/*", "arn:aws:s3:::dst", "arn:aws:s3:::dst/incoming/run42/*"])
        let list = try #require(identity.first { Self.actions($0) == ["s3:ListBucket"] })
        #expect((list["Condition"] as? [String: [String: String]])?["StringLike"]?["s3:prefix"] == "run42/*")
        #expect(identity.flatMap(Self.actions).contains("s3:DeleteObject"))
        #expect(identity.allSatisfy { $0["Principal"] == nil })
    }

    @Test("Wildcard and variable characters in a prefix are written as ${*}, ${?} and ${$}")
    func escapedPrefix() throws {
        let documents = try PolicyRenderer(input: Self.input(prefix: "a*b?c$d/")).documents()
        #expect(try Self.parsed(documents[0])[0]["Resource"] as? String == "arn:aws:s3:::dst/a${*}b${?}c${$}d/*")
    }

    @Test("SSE-KMS without a key ARN cannot be granted across accounts, and says what to give")
    func kmsWithoutARN() throws {
        #expect(throws: PolicyError.kmsKeyMissing) { try PolicyRenderer(input: Self.input(CopyOptions(sse: .awsKMS))).documents() }
        #expect(throws: PolicyError.kmsKeyNotARN("alias/lab")) {
            try PolicyRenderer(input: Self.input(CopyOptions(sse: .awsKMS, sseKMSKeyID: "alias/lab"))).documents()
        }
        #expect(PolicyError.kmsKeyMissing.description.contains("--sse-kms-key-id"))
    }

    @Test("keeping(sids:) leaves only the named statements, as doctor prints the missing part")
    func keeping() throws {
        let bucket = PolicyRenderer(input: try Self.input()).bucketPolicy()
        let kept = bucket.keeping(sids: [PolicyRenderer.Sid.putObjectACL])
        #expect(try Self.parsed(kept).map { $0["Sid"] as? String } == [PolicyRenderer.Sid.putObjectACL])
    }

    @Test("JSON strings escape quotes, backslashes and control characters")
    func jsonEscaping() throws {
        let text = PolicyJSON.object([("k", .string("a\"b\\c\n\u{1}é"))]).rendered()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(object["k"] == "a\"b\\c\n\u{1}é")
    }
}
