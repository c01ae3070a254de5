import CopyPTDoctor
import CopyPTHTTP
import CopyPTPolicy
import CopyPTRecords
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// The doctor's checks through a stub S3 that answers by request, as AWS would.
@Suite struct DoctorTests {
    static let sts = """
        <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::111111111111:assumed-role/Copier/cron</Arn>\
        <UserId>AROAEXAMPLE:cron</UserId><Account>111111111111</Account></GetCallerIdentityResult></GetCallerIdentityResponse>
        """
    static let stagingKey = "arn:aws:kms:eu-west-1:111111111111:key/0000aaaa-12ab-34cd-56ef-1234567890ab"

    /// A stub S3: staging holds one tagged SSE-KMS object; every CopyObject is refused with `copyAnswer`.
    static func transport(copyAnswer: HTTPResponse) -> StubTransport {
        StubTransport { request in
            let url = request.url
            if url.hasPrefix("https://sts.") { return HTTPResponse(status: 200, body: Array(sts.utf8)) }
            switch (request.method, url) {
            case (.head, _) where url.hasSuffix("/stg"), (.head, _) where url.hasSuffix("/dst"):
                return HTTPResponse(status: 200, headers: ["x-amz-bucket-region": "eu-west-1"])
            case (.get, _) where url.contains("/stg?") && url.contains("list-type=2"):
                return HTTPResponse(status: 200, body: Array("""
                    <ListBucketResult><Name>stg</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>\
                    <Contents><Key>run42/a.h5</Key><Size>10</Size><ETag>"abc"</ETag></Contents></ListBucketResult>
                    """.utf8))
            case (.head, _) where url.hasSuffix("/stg/run42/a.h5"):
                return HTTPResponse(status: 200, headers: [
                    "content-length": "10", "etag": "\"abc\"", "x-amz-server-side-encryption": "aws:kms",
                    "x-amz-server-side-encryption-aws-kms-key-id": stagingKey, "x-amz-tagging-count": "2",
                ])
            case (.get, _) where url.contains("/stg/run42/a.h5?tagging"):
                return HTTPResponse(status: 200, body: Array("""
                    <Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></Tagging>
                    """.utf8))
            case (.put, _) where url.contains("/dst/in/.copypt-doctor-probe-"):
                return copyAnswer
            default:
                return HTTPResponse(status: 404, body: Array("<Error><Code>NoSuchKey</Code><Message>\(url)</Message></Error>".utf8))
            }
        }
    }

    static func doctor(_ transport: StubTransport, writeProbe: Bool = false) -> Doctor {
        let configuration = AWSConfiguration(
            region: "eu-west-1", s3Endpoint: "http://127.0.0.1:9", maxAttempts: 1,
            credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDSTUB", secretAccessKey: "stub")))
        let client = S3Client(transport: transport, configuration: configuration, logger: Logger(label: "test"))
        let input = DoctorInput(
            staging: S3Prefix(bucket: "stg", prefix: "run42/"), destination: S3Prefix(bucket: "dst", prefix: "in/"),
            options: CopyOptions(acl: .none), writeProbe: writeProbe)
        return Doctor(input: input, s3: .success(client), globus: nil, probeSuffix: "x1", now: { Date(timeIntervalSince1970: 1_764_892_800) })
    }

    @Test("A tagged SSE-KMS staging object: tags are read, the key is left to --write-probe with a reason, and a refused write prints the statements with tagging, the other account's first")
    func taggedKMSObject() async throws {
        let denied = HTTPResponse(status: 403, body: Array("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".utf8))
        let report = await Self.doctor(Self.transport(copyAnswer: denied)).run()
        let byName = Dictionary(report.checks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(report.principal?.arn == "arn:aws:iam::111111111111:role/Copier")
        #expect(byName["AWS identity"]?.detail.contains("policies name arn:aws:iam::111111111111:role/Copier") == true)
        #expect(byName["staging tags"]?.status == .passed)
        #expect(byName["staging KMS key"]?.status == .skipped)
        #expect(byName["staging KMS key"]?.detail.contains("kms:Decrypt on \(Self.stagingKey)") == true)
        #expect(byName["staging KMS key"]?.detail.contains("--write-probe") == true)
        let write = try #require(byName["destination write (no-write probe)"])
        #expect(write.status == .failed && report.exitStatus == 1)
        let missing = report.missingPolicies
        #expect(missing.map(\.kind) == [.destinationBucketPolicy, .identityPolicy])
        let bucket = missing[0].json.rendered()
        #expect(bucket.contains("s3:PutObjectTagging") && !bucket.contains("s3:PutObjectAcl"))
    }

    @Test("The no-write probe sends the impossible ETag and takes 412 as permission; nothing is deleted since nothing was written")
    func preconditionMeansAllowed() async throws {
        let transport = Self.transport(copyAnswer: HTTPResponse(status: 412, body: Array("<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>".utf8)))
        let report = await Self.doctor(transport).run()
        #expect(report.exitStatus == 0, "\(report.checks.map(\.line))")
        let copy = try #require(transport.requests.first { $0.method == .put })
        #expect(copy.headers["x-amz-copy-source-if-match"] == "\"00000000000000000000000000000000\"")
        #expect(copy.headers["x-amz-copy-source"] == "stg/run42/a.h5")
        #expect(!transport.requests.contains { $0.method == .delete })
    }

    @Test("--write-probe copies with the real ETag and deletes the probe object")
    func writeProbe() async throws {
        let transport = Self.transport(copyAnswer: HTTPResponse(status: 200, body: Array("<CopyObjectResult><ETag>\"abc\"</ETag></CopyObjectResult>".utf8)))
        let report = await Self.doctor(transport, writeProbe: true).run()
        let copy = try #require(transport.requests.first { $0.method == .put })
        #expect(copy.headers["x-amz-copy-source-if-match"] == "\"abc\"")
        #expect(transport.requests.contains { $0.method == .delete && $0.url.hasSuffix("/dst/in/.copypt-doctor-probe-x1") })
        #expect(report.checks.contains { $0.name == "staging KMS key" && $0.detail.contains("checked by the write probe") })
    }
}
