import CopyPTBatch
import CopyPTRecords
import Testing

@Suite struct BatchEligibilityTests {
    static let role = "arn:aws:iam::111122223333:role/copypt-batch"

    @Test("a destination prefix equal to the staging prefix needs no TargetKeyPrefix; one under P/ takes P; another cannot be mapped",
          arguments: [
              ("s3://stg/run42/", "s3://dst/run42/", String??.some(nil)),
              ("s3://stg/run42/", "s3://dst/incoming/run42/", String??.some("incoming")),
              ("s3://stg/run42/", "s3://dst/a/b/run42/", String??.some("a/b")),
              ("s3://stg/run42/", "s3://dst/other/", String??.none),
              ("s3://stg/run42/", "s3://dst/xrun42/", String??.none),
              ("s3://stg/", "s3://dst/in/", String??.some("in")),
              ("s3://stg/a/run42/", "s3://dst/run42/", String??.none),
          ])
    func targetKeyPrefix(from: String, to: String, expected: String??) throws {
        let source = try #require(S3Prefix(url: from)), target = try #require(S3Prefix(url: to))
        #expect(BatchEligibility.targetKeyPrefix(from: source, to: target) == expected)
    }

    @Test("obstacles: no role, an unmappable prefix, REDUCED_REDUNDANCY, SSE-S3 asked for, SSE-KMS without a key")
    func obstacles() throws {
        let from = try #require(S3Prefix(url: "s3://stg/run42/")), to = try #require(S3Prefix(url: "s3://dst/run42/"))
        var options = CopyOptions()
        #expect(BatchEligibility.obstacle(options: options, from: from, to: to)?.contains("--batch-role-arn") == true)
        options.batchRoleARN = Self.role
        #expect(BatchEligibility.obstacle(options: options, from: from, to: to) == nil)
        let other = try #require(S3Prefix(url: "s3://dst/other/"))
        #expect(BatchEligibility.obstacle(options: options, from: from, to: other)?.contains("TargetKeyPrefix") == true)
        var rrs = options
        rrs.storageClass = .reducedRedundancy
        #expect(BatchEligibility.obstacle(options: rrs, from: from, to: to) != nil)
        var aes = options
        aes.sse = .aes256
        #expect(BatchEligibility.obstacle(options: aes, from: from, to: to) != nil)
        var kms = options
        kms.sse = .awsKMS
        #expect(BatchEligibility.obstacle(options: kms, from: from, to: to) != nil)
        kms.sseKMSKeyID = "arn:aws:kms:us-east-1:111122223333:key/1"
        #expect(BatchEligibility.obstacle(options: kms, from: from, to: to) == nil)
    }

    @Test("a role ARN gives its account and partition; anything else is no role")
    func roleARN() {
        #expect(BatchEligibility.accountID(ofRole: Self.role) == "111122223333")
        #expect(BatchEligibility.partition(ofRole: "arn:aws-cn:iam::111122223333:role/x") == "aws-cn")
        for bad in ["", "arn:aws:iam::11112222333:role/x", "arn:aws:iam::111122223333:user/x", "arn:aws:s3:::b", "arn:aws:iam::111122223333:role/"] {
            #expect(BatchEligibility.accountID(ofRole: bad) == nil, "\(bad)")
        }
    }
}
