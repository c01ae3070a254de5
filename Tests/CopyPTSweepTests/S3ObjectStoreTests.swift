@testable import CopyPTSweep
import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// The S3 adapter over the real ``S3Client`` and ``S3Copier``, with HTTP answered by a stub.
@Suite struct S3ObjectStoreTests {
    static func store(_ transport: any HTTPTransport) -> S3ObjectStore {
        let client = S3Client(
            transport: transport,
            configuration: AWSConfiguration(
                region: "us-east-1", s3Endpoint: "http://s3.test",
                credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDSTUB", secretAccessKey: "stub-secret"))),
            retryPolicy: ExponentialRetryPolicy(base: .milliseconds(1), maxAttempts: 1),
            logger: Logger(label: "test"))
        return S3ObjectStore(client: client, configuration: SweepConfiguration(concurrency: 2), logger: Logger(label: "test"))
    }

    static func xml(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/xml"], body: Array(body.utf8))
    }

    static func error(_ status: Int, _ code: String) -> HTTPResponse {
        xml(status, "<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>stub says \(code)</Message><RequestId>R1</RequestId></Error>")
    }

    let item = PlannedCopy(
        sourceBucket: "staging", sourceKey: "run/a b.txt", destinationBucket: "dest", destinationKey: "in/a b.txt",
        size: 3, eTag: "\"9b2cf535f27731c974343645a3985328\"")

    @Test("a listing page becomes staging objects with decoded keys, sizes and ETags; one request")
    func listing() async throws {
        let transport = StubTransport(responses: [Self.xml(200, """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult><Name>staging</Name><Prefix>run%2F</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>
            <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>tok</NextContinuationToken>
            <Contents><Key>run%2Fa%20b.txt</Key><LastModified>2026-11-25T10:00:00.000Z</LastModified>
            <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>
            </ListBucketResult>
            """)])
        let page = try await Self.store(transport).listPage(bucket: "staging", prefix: "run/", continuationToken: nil, maxKeys: nil, expectedOwner: nil)
        #expect(page == StagingPage(objects: [StagingObject(key: "run/a b.txt", size: 3, eTag: "\"9b2cf535f27731c974343645a3985328\"")], nextContinuationToken: "tok"))
        #expect(transport.requests.count == 1)
        #expect(transport.requests.first?.url.contains("list-type=2") == true)
    }

    @Test("a small object is one CopyObject, verified from its result's ETag, journalled as done")
    func copyVerified() async throws {
        let transport = StubTransport(responses: [Self.xml(200, """
            <?xml version="1.0" encoding="UTF-8"?>
            <CopyObjectResult><LastModified>2026-11-25T10:00:00.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag></CopyObjectResult>
            """)])
        let events = EventLog()
        let failures = try await Self.store(transport).copy([item], options: PlannedCopyOptions(bucketOwnerFullControl: true), resume: [:]) {
            events.append($0)
        }
        #expect(failures.isEmpty)
        #expect(events.all == [.verified(destinationKey: "in/a b.txt", eTag: item.eTag, size: 3)])
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == .put)
        #expect(request.headers["x-amz-copy-source-if-match"] == item.eTag)
        #expect(request.headers["x-amz-acl"] == "bucket-owner-full-control")
    }

    @Test("S3 errors become permanent failures that say what to fix, or transient ones", arguments: [
        (404, "NoSuchBucket", SweepError.Kind.permanent, "create the bucket"),
        (403, "AccessDenied", .permanent, "grant your principal s3:GetObject and s3:ListBucket on s3://staging/run/a b.txt and s3:PutObject"),
        (412, "PreconditionFailed", .permanent, "changed after Globus delivered it"),
        (503, "SlowDown", .transient, "SlowDown"),
        (403, "InvalidAccessKeyId", .configuration, "InvalidAccessKeyId"),
    ])
    func copyErrors(status: Int, code: String, kind: SweepError.Kind, advice: String) async throws {
        let transport = StubTransport(responses: [Self.error(status, code)])
        let failures = try await Self.store(transport).copy([item], options: PlannedCopyOptions(), resume: [:]) { _ in }
        let failure = try #require(failures.first)
        #expect(failure.item == item)
        #expect(failure.error.kind == kind)
        #expect(failure.error.code == code)
        #expect(failure.error.description.contains(advice), "\(failure.error.description)")
        #expect(!failure.error.description.contains("stub-secret"))
    }

    @Test("open multipart uploads are listed page by page and aborted; one already gone is fine")
    func uploads() async throws {
        let transport = StubTransport(responses: [
            Self.xml(200, """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListMultipartUploadsResult><Bucket>dest</Bucket><IsTruncated>true</IsTruncated>
                <NextKeyMarker>in/b</NextKeyMarker><NextUploadIdMarker>u2</NextUploadIdMarker>
                <Upload><Key>in/a ü</Key><UploadId>u1</UploadId></Upload><Upload><Key>in/b</Key><UploadId>u2</UploadId></Upload>
                </ListMultipartUploadsResult>
                """),
            Self.xml(200, """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListMultipartUploadsResult><Bucket>dest</Bucket><IsTruncated>false</IsTruncated>
                <Upload><Key>in/c</Key><UploadId>u3</UploadId></Upload></ListMultipartUploadsResult>
                """),
            HTTPResponse(status: 204),
            Self.error(404, "NoSuchUpload"),
        ])
        let store = Self.store(transport)
        let open = try await store.openUploads(bucket: "dest", prefix: "in/", expectedOwner: nil)
        #expect(open == [OpenUpload(key: "in/a ü", uploadID: "u1"), OpenUpload(key: "in/b", uploadID: "u2"), OpenUpload(key: "in/c", uploadID: "u3")])
        #expect(transport.requests[1].url.contains("key-marker=in%2Fb"))
        #expect(transport.requests[1].url.contains("upload-id-marker=u2"))
        try await store.abortUpload(bucket: "dest", open[0], expectedOwner: nil)
        try await store.abortUpload(bucket: "dest", open[1], expectedOwner: nil)
        #expect(transport.requests[2].method == .delete)
        #expect(transport.requests[2].url.hasSuffix("?uploadId=u1"))
    }

    @Test("a refused connection while listing is a transient error")
    func listingRefused() async throws {
        do {
            _ = try await Self.store(StubTransportRefusing()).listPage(bucket: "s", prefix: "", continuationToken: nil, maxKeys: nil, expectedOwner: nil)
            Issue.record("listing succeeded without a server")
        } catch let error as SweepError {
            #expect(error.kind == .transient)
            #expect(error.code == "NetworkError")
        }
    }
}

/// Events collected from a `@Sendable` callback.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ObjectCopyEvent] = []
    func append(_ event: ObjectCopyEvent) { lock.withLock { events.append(event) } }
    var all: [ObjectCopyEvent] { lock.withLock { events } }
}

/// A transport whose every request fails to connect.
struct StubTransportRefusing: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw HTTPError.connectFailed(host: "s3.test", detail: "Connection refused")
    }
}
