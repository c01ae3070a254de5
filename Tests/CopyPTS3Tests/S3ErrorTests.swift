import CopyPTHTTP
import Testing

@testable import CopyPTS3

@Suite struct S3ErrorTests {
    @Test("a service error reads as one line naming the operation, status, code and request id")
    func serviceDescription() {
        let error = S3Error.service(
            operation: "UploadPartCopy part 7/12 for s3://dest/run42/a.h5", status: 403, code: "AccessDenied",
            message: "Access Denied", requestID: "9F2C")
        #expect(error.description == "UploadPartCopy part 7/12 for s3://dest/run42/a.h5 failed: 403 AccessDenied: Access Denied (request-id 9F2C); check the IAM policy, the bucket policy and the expected bucket owners")
        #expect(!error.description.contains("\n"))
        #expect(!error.isRetryable)
        #expect(error.code == "AccessDenied")
        #expect(error.status == 403)
    }

    @Test("an error inside a 200 says so and is retryable")
    func errorIn200() {
        let error = S3Error.service(operation: "CopyObject s3://a/k → s3://b/k", status: 200, code: "InternalError", message: "Try again.", requestID: nil)
        #expect(error.description == "CopyObject s3://a/k → s3://b/k failed: 200 (error inside a successful response) InternalError: Try again.")
        #expect(error.isRetryable)
    }

    static let putDenied = "User: arn:aws:iam::111111111111:user/copypt is not authorized to perform: s3:PutObject on resource: "
        + "\"arn:aws:s3:::dst/in/k\" because no resource-based policy allows the s3:PutObject action"
    static let kmsDenied = "User: arn:aws:iam::111111111111:user/copypt is not authorized to perform: kms:GenerateDataKey on resource: "
        + "arn:aws:kms:us-east-1:222222222222:key/0b5e7c1e-0000-4000-8000-000000004444 because no resource-based policy "
        + "allows the kms:GenerateDataKey action"

    @Test("AWS's long AccessDenied wording is cut with … before the request id, keeping the line within 300 characters",
          arguments: [putDenied, kmsDenied, kmsDenied + "\n" + kmsDenied])
    func longMessageCut(message: String) {
        let error = S3Error.service(
            operation: "CopyObject s3://r4-stg/run/a.dat → s3://r4-dst/out-07/a.dat", status: 403, code: "AccessDenied",
            message: message, requestID: "R4STANDIN0000001")
        let line = error.description
        #expect(line.count <= S3Error.serviceLineLimit)
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix("CopyObject s3://r4-stg/run/a.dat → s3://r4-dst/out-07/a.dat failed: 403 AccessDenied: User: arn:aws:iam::111111111111:user/copypt is not authorized to perform: "))
        #expect(line.contains("… (request-id R4STANDIN0000001); check the IAM policy, the bucket policy and the expected bucket owners"))
    }

    @Test("a message that fits is kept whole; a long operation still leaves the code and some of the message")
    func messageRoom() {
        let invalidKey = "Invalid keyId 'arn:aws:kms:us-east-1:222222222222:key/0b5e7c1e-0000-4000-8000-000000004444'"
        let short = S3Error.service(operation: "CopyObject s3://a/k → s3://b/k", status: 400, code: "KMS.NotFoundException", message: invalidKey, requestID: "R1")
        #expect(short.description == "CopyObject s3://a/k → s3://b/k failed: 400 KMS.NotFoundException: \(invalidKey) (request-id R1)")
        let key = String(repeating: "k", count: 400)
        let long = S3Error.service(operation: "CopyObject s3://a/\(key) → s3://b/\(key)", status: 403, code: "AccessDenied", message: Self.putDenied, requestID: "R2")
        #expect(long.description.contains("failed: 403 AccessDenied: " + Self.putDenied.prefix(S3Error.messageMinimum - 1) + "… (request-id R2)"))
    }

    @Test("a caller's advice replaces the general one, and S3's message is cut to leave it room")
    func callerAdvice() {
        let advice = " — grant your principal s3:PutObject on s3://dst/in/k, then `copypt retry`"
        let error = S3Error.service(
            operation: "CopyObject s3://src/run/k → s3://dst/in/k", status: 403, code: "AccessDenied", message: Self.putDenied, requestID: "R3")
        let line = error.description(advice: advice)
        #expect(line.count <= S3Error.serviceLineLimit)
        #expect(line.hasPrefix("CopyObject s3://src/run/k → s3://dst/in/k failed: 403 AccessDenied: User: "))
        #expect(line.hasSuffix("… (request-id R3)" + advice))
        #expect(!line.contains("check the IAM policy"))
        let other = S3Error.sourceChanged(source: "s3://src/run/k", expectedETag: "\"1\"", actualETag: "\"2\"")
        #expect(other.description(advice: advice) == other.description + advice)
    }

    @Test("every case has a one-line description", arguments: [
        S3Error.unparseableResponse(operation: "ListParts for s3://b/k", status: 502, body: "<html>\nBad gateway</html>"),
        .transport(operation: "HeadObject s3://b/k", .connectFailed(host: "127.0.0.1", detail: "refused")),
        .credentials(operation: "CopyObject s3://a/k → s3://b/k", detail: "no credentials in the environment", retryable: false),
        .invalidLocation("s3:/bucket"),
        .invalidRequest("too big"),
        .sourceChanged(source: "s3://a/k", expectedETag: "\"1\"", actualETag: "\"2\""),
        .verificationFailed(destination: "s3://b/k", detail: "destination has 1 bytes, source had 2"),
    ])
    func oneLine(_ error: S3Error) {
        #expect(!error.description.contains("\n"))
        #expect(!error.description.isEmpty)
    }

    @Test("throttling codes are throttling")
    func throttling() {
        #expect(S3Error.service(operation: "x", status: 503, code: "SlowDown", message: "", requestID: nil).isThrottling)
        #expect(S3Error.service(operation: "x", status: 429, code: "Whatever", message: "", requestID: nil).isThrottling)
        #expect(!S3Error.service(operation: "x", status: 500, code: "InternalError", message: "", requestID: nil).isThrottling)
    }
}

@Suite struct S3ErrorConfigurationTests {
    @Test("credential and endpoint problems are the user's settings; data and service errors are not", arguments: [
        (S3Error.credentials(operation: "CopyObject", detail: "no AWS credentials found", retryable: false), true),
        (S3Error.credentials(operation: "CopyObject", detail: "IMDS timed out", retryable: true), false),
        (S3Error.transport(operation: "ListObjectsV2", .invalidURL("not a url/b")), true),
        (S3Error.transport(operation: "ListObjectsV2", .connectFailed(host: "h", detail: "refused")), false),
        (S3Error.service(operation: "ListObjectsV2", status: 403, code: "InvalidAccessKeyId", message: "", requestID: nil), true),
        (S3Error.service(operation: "ListObjectsV2", status: 403, code: "SignatureDoesNotMatch", message: "", requestID: nil), true),
        (S3Error.service(operation: "CopyObject", status: 403, code: "AccessDenied", message: "", requestID: nil), false),
        (S3Error.service(operation: "CopyObject", status: 404, code: "NoSuchBucket", message: "", requestID: nil), false),
    ])
    func configurationProblem(error: S3Error, expected: Bool) {
        #expect(error.isConfigurationProblem == expected)
    }
}
