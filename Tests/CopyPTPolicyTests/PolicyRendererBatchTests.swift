import CopyPTPolicy
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct PolicyRendererBatchTests {
    static let role = "arn:aws:iam::111111111111:role/copypt-batch"

    static func batchInput(engine: CopyOptions.Engine = .auto) throws -> PolicyInput {
        var options = CopyOptions()
        options.engine = engine
        options.batchRoleARN = role
        return try PolicyRendererTests.input(options)
    }

    @Test("with --batch-role-arn: the role's trust policy names batchoperations.s3.amazonaws.com, and its policy reads staging and the manifest, writes the report and the destination")
    func roleDocuments() throws {
        let documents = try PolicyRenderer(input: Self.batchInput()).documents()
        #expect(documents.map(\.kind) == [.destinationBucketPolicy, .identityPolicy, .batchRoleTrustPolicy, .batchRolePolicy])
        let trust = try PolicyRendererTests.parsed(documents[2])
        #expect((trust[0]["Principal"] as? [String: String])?["Service"] == "batchoperations.s3.amazonaws.com")
        #expect(trust[0]["Action"] as? String == "sts:AssumeRole")
        let permissions = try PolicyRendererTests.parsed(documents[3])
        let byResource = Dictionary(grouping: permissions) { $0["Resource"] as? String ?? "" }
        #expect(byResource["arn:aws:s3:::stg/run42/*"].map { $0.flatMap(PolicyRendererTests.actions) }?.contains("s3:GetObject") == true)
        #expect(byResource["arn:aws:s3:::stg/.copypt/batch/*"].map { Set($0.flatMap(PolicyRendererTests.actions)) } == ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"])
        #expect(byResource["arn:aws:s3:::dst/incoming/run42/*"].map { $0.flatMap(PolicyRendererTests.actions) }?.contains("s3:PutObject") == true)
    }

    @Test("the destination bucket policy names the role; copypt's identity policy may create and describe jobs and pass the role")
    func bucketAndIdentity() throws {
        let documents = try PolicyRenderer(input: Self.batchInput()).documents()
        let bucket = try PolicyRendererTests.parsed(documents[0])
        #expect(bucket.contains { ($0["Principal"] as? [String: String])?["AWS"] == Self.role && PolicyRendererTests.actions($0).contains("s3:PutObject") })
        let identity = try PolicyRendererTests.parsed(documents[1])
        let actions = Set(identity.flatMap(PolicyRendererTests.actions))
        #expect(actions.isSuperset(of: ["s3:CreateJob", "s3:DescribeJob", "iam:PassRole"]))
        #expect(identity.contains { $0["Resource"] as? String == Self.role })
    }

    @Test("--engine direct prints no Batch Operations statement even with a role")
    func directEngine() throws {
        let documents = try PolicyRenderer(input: Self.batchInput(engine: .direct)).documents()
        #expect(documents.map(\.kind) == [.destinationBucketPolicy, .identityPolicy])
        #expect(!documents.contains { $0.json.rendered().contains("copypt-batch") })
    }

    @Test("parliament finds nothing in the Batch Operations documents")
    func parliament() async throws {
        var options = CopyOptions(acl: .none, sse: .awsKMS, sseKMSKeyID: PolicyRendererTests.destinationKey)
        options.batchRoleARN = Self.role
        let documents = try PolicyRenderer(input: Self.batchInput()).documents()
            + (try PolicyRenderer(input: PolicyRendererTests.input(options)).documents())
        // A role's trust policy has no Resource (the role is the resource), which parliament
        // reads as malformed: it is checked by roleDocuments instead.
        let texts = documents.filter { $0.kind != .batchRoleTrustPolicy }.map { $0.json.rendered() }
        try await TemporaryDirectory.with("copypt-parliament-batch") { directory in
            let file = directory.appendingPathComponent("policies.json")
            try JSONSerialization.data(withJSONObject: texts).write(to: file)
            let result = await (try ChildProcess("python3", ["-c", PolicyParliamentTests.lint, file.path])).finish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasSuffix("checked \(texts.count) findings 0\n"), "\(result.stdout.prefix(2000))")
        }
    }
}
