import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Testing

/// scripts/s3control-standin through the Swift launcher, with requests signed by copypt's own
/// SigV4 signer (service `s3`, as S3 Control is signed): the launcher `batch`'s tests use.
@Suite struct S3ControlStandinTests {
    static let account = "111111111111"
    static let credentials = AWSCredentials(accessKeyID: "AKIABATCHSTANDIN0001", secretAccessKey: "batch-standin-secret")

    func send(_ standin: S3ControlStandin, _ method: HTTPMethod, _ path: String, body: String = "", sign: Bool = true) async throws -> HTTPResponse {
        var request = HTTPRequest(
            method: method, url: standin.url + path, headers: ["x-amz-account-id": Self.account], body: Array(body.utf8))
        if sign {
            request = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "s3")
                .signed(request, payloadHash: SigV4Signer.unsignedPayload, at: Date())
        }
        return try await standin.transport.send(request)
    }

    func put(_ standin: S3ControlStandin, _ path: String, _ body: String) async throws -> String {
        let response = try await standin.transport.send(HTTPRequest(method: .put, url: standin.moto.endpoint + path, body: Array(body.utf8)))
        #expect(response.status == 200, "PUT \(path): \(response.bodyText)")
        return (response.headers["etag"] ?? "").replacingOccurrences(of: "\"", with: "")
    }

    /// Reads an object straight from moto (authentication off, but an anonymous GET of a private
    /// object is still refused: any Authorization header will do).
    func get(_ standin: S3ControlStandin, _ path: String) async throws -> HTTPResponse {
        try await standin.transport.send(HTTPRequest(
            method: .get, url: standin.moto.endpoint + path,
            headers: ["Authorization": "AWS4-HMAC-SHA256 Credential=AKIATEST/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"]))
    }

    static func createJob(token: String, eTag: String, roleARN: String? = "arn:aws:iam::111111111111:role/batch") -> String {
        let role = roleARN.map { "<RoleArn>\($0)</RoleArn>" } ?? ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <CreateJobRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">\
            <ConfirmationRequired>false</ConfirmationRequired>\
            <Operation><S3PutObjectCopy><TargetResource>arn:aws:s3:::dst</TargetResource>\
            <TargetKeyPrefix>incoming</TargetKeyPrefix><MetadataDirective>COPY</MetadataDirective></S3PutObjectCopy></Operation>\
            <Report><Bucket>arn:aws:s3:::stg</Bucket><Format>Report_CSV_20180820</Format><Enabled>true</Enabled>\
            <Prefix>.copypt/reports</Prefix><ReportScope>FailedTasksOnly</ReportScope></Report>\
            <ClientRequestToken>\(token)</ClientRequestToken>\
            <Manifest><Spec><Format>S3BatchOperations_CSV_20180820</Format><Fields><member>Bucket</member><member>Key</member></Fields></Spec>\
            <Location><ObjectArn>arn:aws:s3:::stg/.copypt/manifest.csv</ObjectArn><ETag>\(eTag)</ETag></Location></Manifest>\
            <Priority>10</Priority>\(role)</CreateJobRequest>
            """
    }

    @Test("s3control-standin: a signed CreateJob copies the manifest's objects to TargetKeyPrefix/key in moto, a chosen task fails into the report, the same token gives the same job, invalid and unsigned requests are refused")
    func jobRunsAgainstMoto() async throws {
        let standin = try await S3ControlStandin.start(credentials: [Self.credentials.accessKeyID: Self.credentials.secretAccessKey])
        _ = try await put(standin, "/stg", "")
        _ = try await put(standin, "/dst", "")
        for key in ["run42/a.txt", "run42/b%20c.txt", "run42/denied.txt"] {
            _ = try await put(standin, "/stg/\(key)", key)
        }
        let eTag = try await put(standin, "/stg/.copypt/manifest.csv", "stg,run42/a.txt\nstg,run42/b%20c.txt\nstg,run42/denied.txt\n")
        try await standin.failTasks([.init(pattern: "denied")])

        let created = try await send(standin, .post, "/v20180820/jobs", body: Self.createJob(token: "tok-1", eTag: eTag))
        #expect(created.status == 200, "\(created.bodyText)")
        let again = try await send(standin, .post, "/v20180820/jobs", body: Self.createJob(token: "tok-1", eTag: eTag))
        #expect(again.bodyText == created.bodyText)

        let jobs = try await standin.waitForJobs()
        #expect(jobs.count == 1)
        let job = try #require(jobs.first)
        #expect(created.bodyText.contains("<JobId>\(job.id)</JobId>"))
        #expect(job.status == "Complete" && job.total == 3 && job.succeeded == 2 && job.failed == 1)
        #expect(job.report_keys.count == 2 && job.report_keys.last == ".copypt/reports/job-\(job.id)/manifest.json")

        let described = try await send(standin, .get, "/v20180820/jobs/\(job.id)")
        #expect(described.bodyText.contains("<Status>Complete</Status>"))
        #expect(described.bodyText.contains("<NumberOfTasksFailed>1</NumberOfTasksFailed>"))
        let landed = try await get(standin, "/dst/incoming/run42/b%20c.txt")
        #expect(landed.status == 200 && landed.bodyText == "run42/b%20c.txt")
        let report = try await get(standin, "/stg/" + job.report_keys[0])
        #expect(report.bodyText == "stg,run42/denied.txt,,failed,403,AccessDenied,Access Denied\n")

        let noRole = try await send(standin, .post, "/v20180820/jobs", body: Self.createJob(token: "tok-2", eTag: eTag, roleARN: nil))
        #expect(noRole.status == 400 && noRole.bodyText.contains("<Code>InvalidRequest</Code>") && noRole.bodyText.contains("RoleArn"))
        let unsigned = try await send(standin, .get, "/v20180820/jobs/\(job.id)", sign: false)
        #expect(unsigned.status == 403)
        #expect(try await standin.stats()["requests"]?["CreateJob(idempotent)"] == 1)
        await standin.shutdown()
    }
}
