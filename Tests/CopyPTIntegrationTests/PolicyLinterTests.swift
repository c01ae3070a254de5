import CopyPTTestSupport
import Testing

/// scripts/lint-policy, through which every policy copypt prints is held to parliament.
@Suite struct PolicyLinterTests {
    @Test("parliament passes a bucket policy and a key policy with Resource \"*\" under headings, and flags an unknown action and a bad ARN")
    func findings() async throws {
        let good = """
            Destination bucket policy (account 222222222222):
            {"Version": "2012-10-17", "Statement": [{"Sid": "CopyptWrites", "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::111111111111:user/copypt"}, "Action": ["s3:PutObject", "s3:PutObjectAcl"],
              "Resource": "arn:aws:s3:::dst/in/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}]}
            KMS key policy statement:
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/copypt"},
              "Action": ["kms:GenerateDataKey", "kms:Encrypt"], "Resource": "*"}]}
            """
        #expect(try await PolicyLinter.findings(in: good) == [])
        let bad = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObjects", "Resource": "arn:aws:s3:::dst/*"},
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:stg/*"}]}
            """
        let findings = try await PolicyLinter.findings(in: bad)
        #expect(findings.contains { $0.contains("UNKNOWN_ACTION") && $0.contains("s3:PutObjects") })
        #expect(findings.count >= 2, "\(findings)")
        await #expect(throws: PolicyLinter.LintError.self) { try await PolicyLinter.findings(in: "no policy here") }
    }
}
