@testable import CopyPTDoctor
import CopyPTS3
import Testing

@Suite struct WriteProbeOutcomeTests {
    static func error(_ status: Int, _ code: String, _ message: String = "") -> S3Error {
        .service(operation: "CopyObject", status: status, code: code, message: message, requestID: nil)
    }

    @Test("A refused probe is classed by its S3 error code and message",
          arguments: [
              (400, "AccessControlListNotSupported", "", WriteProbeOutcome.Refusal.aclNotSupported),
              (400, "KMS.NotFoundException", "Invalid keyId", .kmsKeyNotFound),
              (403, "AccessDenied", "User is not authorized to perform: kms:GenerateDataKey", .kmsDenied),
              (400, "KMS.DisabledException", "", .kmsDenied),
              (301, "PermanentRedirect", "", .region),
              (400, "AuthorizationHeaderMalformed", "the region 'us-east-1' is wrong; expecting 'eu-west-1'", .region),
              (403, "AccessDenied", "Access Denied", .accessDenied),
              (404, "NoSuchBucket", "", .other),
          ])
    func refusal(status: Int, code: String, message: String, expected: WriteProbeOutcome.Refusal) {
        #expect(WriteProbeOutcome.refusal(Self.error(status, code, message)) == expected)
    }
}
