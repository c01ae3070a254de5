import CopyPTBatch
import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging
import Testing

@Suite struct S3ControlClientTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret")

    static func client(_ transport: StubTransport, endpoint: String?) -> S3ControlClient {
        let configuration = AWSConfiguration(
            region: "us-west-2", credentialProvider: StaticCredentialProvider(credentials), s3ControlEndpoint: endpoint)
        return S3ControlClient(
            transport: transport, configuration: configuration, retryPolicy: NoRetryPolicy(), logger: Logger(label: "test"),
            now: { Date(timeIntervalSince1970: 1_800_000_000) })
    }

    static let spec = BatchJobSpec(
        accountID: "111122223333", roleARN: "arn:aws:iam::111122223333:role/copypt-batch", clientRequestToken: "copypt-20261205-abc123",
        manifestARN: "arn:aws:s3:::stg/.copypt/batch/r/manifest.csv", manifestETag: "0123abcd",
        targetBucketARN: "arn:aws:s3:::dst", targetKeyPrefix: "incoming", cannedACL: "bucket-owner-full-control",
        storageClass: "STANDARD_IA", kmsKeyID: nil, reportBucketARN: "arn:aws:s3:::stg", reportPrefix: ".copypt/batch/r/report",
        description: "copypt r <&>")

    @Test("CreateJob goes to a custom endpoint as given (no account prefix), signed for service s3, with x-amz-account-id and the job document")
    func createJobCustomEndpoint() async throws {
        let transport = StubTransport(responses: [HTTPResponse(status: 200, body: Array(
            "<?xml version=\"1.0\"?><CreateJobResult><JobId>job-0001</JobId></CreateJobResult>".utf8))])
        let id = try await Self.client(transport, endpoint: "http://127.0.0.1:9999/").createJob(Self.spec)
        #expect(id == "job-0001")
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "http://127.0.0.1:9999/v20180820/jobs")
        #expect(request.headers["x-amz-account-id"] == "111122223333")
        #expect(request.headers["authorization"]?.contains("/us-west-2/s3/aws4_request") == true)
        let body = String(decoding: request.body, as: UTF8.self)
        for part in [
            "<CreateJobRequest xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">", "<ConfirmationRequired>false</ConfirmationRequired>",
            "<TargetKeyPrefix>incoming</TargetKeyPrefix>", "<ReportScope>FailedTasksOnly</ReportScope>",
            "<Fields><member>Bucket</member><member>Key</member></Fields>", "<ETag>0123abcd</ETag>",
            "<ClientRequestToken>copypt-20261205-abc123</ClientRequestToken>", "<Description>copypt r &lt;&amp;&gt;</Description>",
        ] {
            #expect(body.contains(part), "\(part)")
        }
        #expect(!body.contains("SSEAwsKmsKeyId"))
    }

    @Test("without a custom endpoint the host is <account>.s3-control.<region>.amazonaws.com")
    func awsEndpoint() async throws {
        let transport = StubTransport(responses: [HTTPResponse(status: 200, body: Array(
            "<DescribeJobResult><Job><JobId>job-0001</JobId><Status>Active</Status><ProgressSummary><TotalNumberOfTasks>10</TotalNumberOfTasks><NumberOfTasksSucceeded>4</NumberOfTasksSucceeded><NumberOfTasksFailed>1</NumberOfTasksFailed></ProgressSummary></Job></DescribeJobResult>".utf8))])
        let status = try await Self.client(transport, endpoint: nil).describeJob(accountID: "111122223333", jobID: "job-0001")
        #expect(transport.requests.first?.url == "https://111122223333.s3-control.us-west-2.amazonaws.com/v20180820/jobs/job-0001")
        #expect(status == BatchJobStatus(jobID: "job-0001", status: "Active", tasksTotal: 10, tasksSucceeded: 4, tasksFailed: 1))
    }

    @Test("a failed job's FailureReasons become its reasons")
    func failureReasons() async throws {
        let transport = StubTransport(responses: [HTTPResponse(status: 200, body: Array(
            "<DescribeJobResult><Job><JobId>job-0001</JobId><Status>Failed</Status><FailureReasons><member><FailureCode>ManifestReadFailed</FailureCode><FailureReason>ETag mismatch</FailureReason></member></FailureReasons></Job></DescribeJobResult>".utf8))])
        let status = try await Self.client(transport, endpoint: "http://127.0.0.1:1").describeJob(accountID: "111122223333", jobID: "job-0001")
        #expect(status.isStopped)
        #expect(status.reasons == ["ManifestReadFailed: ETag mismatch"])
    }

    @Test("an ErrorResponse becomes an S3Error with its code and message; a count that is not a number is refused")
    func errors() async throws {
        let transport = StubTransport(responses: [
            HTTPResponse(status: 400, body: Array("<ErrorResponse><Error><Code>IdempotencyException</Code><Message>token reused</Message></Error><RequestId>R1</RequestId></ErrorResponse>".utf8)),
            HTTPResponse(status: 200, body: Array("<DescribeJobResult><Job><JobId>job-0001</JobId><Status>Active</Status><ProgressSummary><TotalNumberOfTasks>-3</TotalNumberOfTasks></ProgressSummary></Job></DescribeJobResult>".utf8)),
        ])
        let client = Self.client(transport, endpoint: "http://127.0.0.1:1")
        await #expect(throws: S3Error.service(operation: "CreateJob copypt-20261205-abc123", status: 400, code: "IdempotencyException", message: "token reused", requestID: "R1")) {
            try await client.createJob(Self.spec)
        }
        await #expect(throws: S3Error.self) { try await client.describeJob(accountID: "111122223333", jobID: "job-0001") }
        await #expect(throws: S3Error.self) { try await client.describeJob(accountID: "111122223333", jobID: "../x") }
    }
}
