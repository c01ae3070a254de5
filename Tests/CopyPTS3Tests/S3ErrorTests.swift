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
