import CopyPTPolicy
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// Every policy the renderer can write is linted by parliament (PyPI; scripts/test installs it),
/// all variants in one python3 process.
@Suite struct PolicyParliamentTests {
    /// Every combination of the options that change a policy.
    static func variants() throws -> [PolicyDocument] {
        let principals = [
            "arn:aws:iam::111111111111:user/copypt", "arn:aws:sts::111111111111:assumed-role/CopyptRole/cron",
            "arn:aws-cn:iam::111111111111:role/ops/Copypt",
        ]
        var documents: [PolicyDocument] = []
        for principalARN in principals {
            let principal = try PolicyPrincipal(callerARN: principalARN)
            for acl in CopyOptions.ACL.allCases {
                for kms in [false, true] {
                    for tags in [false, true] {
                        for delete in [false, true] {
                            for stagingKey in [nil, "arn:aws:kms:us-east-1:111111111111:key/0000aaaa-12ab-34cd-56ef-1234567890ab"] {
                                for (stagingPrefix, prefix) in [("run42/", "incoming/run42/"), ("", ""), ("a b/", "x*y?z$/")] {
                                    let options = CopyOptions(
                                        acl: acl, sse: kms ? .awsKMS : nil,
                                        sseKMSKeyID: kms ? "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab" : nil,
                                        destOwner: "222222222222", deleteStaging: delete)
                                    let input = PolicyInput(
                                        principal: principal, staging: S3Prefix(bucket: "stg", prefix: stagingPrefix),
                                        destination: S3Prefix(bucket: "dst", prefix: prefix), options: options, copiesTags: tags,
                                        stagingKMSKey: try stagingKey.map { try KMSKeyARN(parsing: $0) })
                                    documents += try PolicyRenderer(input: input).documents()
                                }
                            }
                        }
                    }
                }
            }
        }
        return documents
    }

    static let lint = """
        import json, sys
        from parliament import analyze_policy_string
        bad = 0
        for i, text in enumerate(json.load(open(sys.argv[1]))):
            for f in analyze_policy_string(text).findings:
                bad += 1
                print(i, f.issue, f.detail, f.location, flush=True)
        print("checked", i + 1, "findings", bad)
        """

    @Test("parliament finds nothing in any policy variant (ACL, SSE-KMS, tags, delete, staging key, prefixes, principals)")
    func parliament() async throws {
        let documents = try Self.variants()
        #expect(documents.count > 400)
        let texts = documents.map { $0.json.rendered() }
        try await TemporaryDirectory.with("copypt-parliament") { directory in
            let file = directory.appendingPathComponent("policies.json")
            try JSONSerialization.data(withJSONObject: texts).write(to: file)
            let result = await (try ChildProcess("python3", ["-c", Self.lint, file.path])).finish()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasSuffix("checked \(texts.count) findings 0\n"), "\(result.stdout.prefix(2000))")
        }
    }
}
