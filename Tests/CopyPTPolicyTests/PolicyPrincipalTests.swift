import CopyPTPolicy
import Testing

@Suite struct PolicyPrincipalTests {
    static let mapped: [(caller: String, principal: String)] = [
        ("arn:aws:iam::111111111111:user/copypt", "arn:aws:iam::111111111111:user/copypt"),
        ("arn:aws:iam::111111111111:user/team/copypt", "arn:aws:iam::111111111111:user/team/copypt"),
        ("arn:aws:sts::111111111111:assumed-role/CopyptRole/cron-1733400000", "arn:aws:iam::111111111111:role/CopyptRole"),
        ("arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123/jane@example.org", "arn:aws:iam::111111111111:role/AWSReservedSSO_Admin_0123"),
        ("arn:aws-cn:sts::111111111111:assumed-role/R/s", "arn:aws-cn:iam::111111111111:role/R"),
        ("arn:aws-us-gov:sts::111111111111:assumed-role/R/i-0abc", "arn:aws-us-gov:iam::111111111111:role/R"),
        ("arn:aws:iam::111111111111:role/CopyptRole", "arn:aws:iam::111111111111:role/CopyptRole"),
        ("arn:aws:sts::111111111111:federated-user/jane", "arn:aws:sts::111111111111:federated-user/jane"),
        ("arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:root"),
    ]

    @Test("An assumed-role session ARN is named by its role ARN; users, roles, root and federated users stay as they are",
          arguments: mapped)
    func mapping(caller: String, principal: String) throws {
        let mapped = try PolicyPrincipal(callerARN: caller)
        #expect(mapped.arn == principal)
        #expect(mapped.account == "111111111111")
    }

    @Test("Text that is not a principal ARN is refused with a message naming --principal",
          arguments: ["", "copypt", "arn:aws:s3:::bucket", "arn:aws:iam::1111:user/x", "arn:aws:sts::111111111111:assumed-role/R",
                      "arn:aws:iam::111111111111:user/", "arn:aws:iam::111111111111:user/*", "arn:aws:iam:us-east-1:111111111111:user/x"])
    func refused(text: String) {
        #expect(throws: PolicyError.notAPrincipalARN(text)) { try PolicyPrincipal(callerARN: text) }
        #expect(PolicyError.notAPrincipalARN(text).description.contains("--principal"))
    }
}
