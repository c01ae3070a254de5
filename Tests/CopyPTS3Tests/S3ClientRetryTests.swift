import CopyPTHTTP
import CopyPTTestSupport
import Testing

@testable import CopyPTS3

/// Error decoding, retries and bucket regions in ``S3Client``.
@Suite struct S3ClientRetryTests {
    typealias T = S3TestSupport
    static let item = S3ClientTests.item

    @Test("a 200 with an <Error> body is retried, then succeeds")
    func errorIn200Retried() async throws {
        let stub = StubTransport(responses: [try T.ok("copy-200-error.xml"), try T.ok("copy-object-result.xml")])
        let sleeps = T.Sleeps()
        let result = try await T.client(stub, sleeps: sleeps).copyObject(Self.item, options: CopyOptions())
        #expect(result.eTag == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(stub.requests.count == 2)
        #expect(sleeps.all == [.milliseconds(500)])
    }

    @Test("SlowDown, 503, and dropped connections are retried up to max attempts, then reported")
    func exhausted() async throws {
        let stub = StubTransport(responses: [try T.status(503, "error-slow-down.xml"), HTTPResponse(status: 500)])
        stub.enqueue(failure: .connectionLost(host: "127.0.0.1", detail: "reset by peer"))
        let sleeps = T.Sleeps()
        let client = T.client(stub, sleeps: sleeps)
        await #expect(throws: S3Error.transport(operation: "CopyObject \(Self.item.source) → \(Self.item.destination)", .connectionLost(host: "127.0.0.1", detail: "reset by peer"))) {
            _ = try await client.copyObject(Self.item, options: CopyOptions())
        }
        #expect(stub.requests.count == 3)
        #expect(sleeps.all == [.milliseconds(500), .seconds(1)])
        #expect(client.requestCount == 3)
    }

    @Test("AccessDenied and PreconditionFailed are never retried", arguments: [
        (403, "error-access-denied.xml", "AccessDenied"), (412, "error-precondition-failed.xml", "PreconditionFailed"),
    ])
    func permanent(status: Int, file: String, code: String) async throws {
        let stub = StubTransport(responses: [try T.status(status, file)])
        do {
            _ = try await T.client(stub).copyObject(Self.item, options: CopyOptions())
            Issue.record("expected a failure")
        } catch let error as S3Error {
            #expect(error.code == code)
            #expect(error.status == status)
            #expect(!error.isRetryable)
            #expect(error.description.hasPrefix("CopyObject s3://staging/"))
        }
        #expect(stub.requests.count == 1)
    }

    @Test("an unreadable 200 body is retried; an unreadable 4xx is not")
    func unreadable() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array("<CopyObjectRes".utf8)), try T.ok("copy-object-result.xml")])
        _ = try await T.client(stub).copyObject(Self.item, options: CopyOptions())
        #expect(stub.requests.count == 2)
        let html = StubTransport(responses: [HTTPResponse(status: 400, body: Array("<html>bad</html>".utf8))])
        await #expect(throws: S3Error.self) { _ = try await T.client(html).copyObject(Self.item, options: CopyOptions()) }
        #expect(html.requests.count == 1)
    }

    @Test("each attempt is signed again (fresh date and credentials)")
    func resigned() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 500), try T.ok("copy-object-result.xml")])
        _ = try await T.client(stub).copyObject(Self.item, options: CopyOptions())
        #expect(stub.requests.allSatisfy { $0.headers.values(for: "authorization").count == 1 })
        #expect(stub.requests.allSatisfy { $0.headers.values(for: "x-amz-date").count == 1 })
    }

    @Test("on AWS a bucket's region comes from one HeadBucket (x-amz-bucket-region, even on 403) and is cached")
    func bucketRegion() async throws {
        let stub = StubTransport(handler: { request in
            if request.method == .head {
                return HTTPResponse(status: 403, headers: ["x-amz-bucket-region": "eu-west-2"])
            }
            return HTTPResponse(status: 200, body: Array("<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>".utf8))
        })
        let client = T.client(stub, endpoint: nil)
        _ = try await client.copyObject(Self.item, options: CopyOptions())
        _ = try await client.copyObject(Self.item, options: CopyOptions())
        let heads = stub.requests.filter { $0.method == .head }
        #expect(heads.count == 1)
        #expect(heads[0].url == "https://dest.s3.us-east-1.amazonaws.com/")
        let copies = stub.requests.filter { $0.method == .put }
        #expect(copies.count == 2)
        #expect(copies[0].url == "https://dest.s3.eu-west-2.amazonaws.com/in/run42/a%20b%2Bc%25~%3D%C3%A9.h5")
        #expect(copies[0].headers["authorization"]?.contains("/eu-west-2/s3/aws4_request") == true)
    }

    @Test("with a custom endpoint no HeadBucket is sent and the configured region signs")
    func customEndpointRegion() async throws {
        let stub = StubTransport(responses: [try T.ok("copy-object-result.xml")])
        _ = try await T.client(stub).copyObject(Self.item, options: CopyOptions())
        #expect(stub.requests.count == 1)
        #expect(stub.requests[0].headers["authorization"]?.contains("/us-east-1/s3/aws4_request") == true)
    }

    @Test("HeadBucket of a missing bucket is NoSuchBucket; buckets with dots are path-style on AWS")
    func headBucket() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 404)])
        await #expect(throws: S3Error.self) { _ = try await T.client(stub, endpoint: nil).headBucket("my.dotted.bucket") }
        #expect(stub.requests[0].url == "https://s3.us-east-1.amazonaws.com/my.dotted.bucket")
        do {
            _ = try await T.client(StubTransport(responses: [HTTPResponse(status: 404)])).headBucket("nope")
        } catch let error as S3Error {
            #expect(error.code == "NoSuchBucket")
        }
    }

    @Test("a 301 with another region updates the cache and is re-sent there")
    func redirect() async throws {
        let stub = StubTransport(responses: [
            HTTPResponse(status: 200, headers: ["x-amz-bucket-region": "us-east-1"]),
            HTTPResponse(status: 301, headers: ["x-amz-bucket-region": "ap-south-1"], body: Array("<Error><Code>PermanentRedirect</Code><Message>m</Message></Error>".utf8)),
            try T.ok("copy-object-result.xml"),
        ])
        _ = try await T.client(stub, endpoint: nil).copyObject(Self.item, options: CopyOptions())
        #expect(stub.requests.count == 3)
        #expect(stub.requests[2].url.hasPrefix("https://dest.s3.ap-south-1.amazonaws.com/"))
    }

    @Test("a cancelled task stops before sending")
    func cancelled() async throws {
        let stub = StubTransport(responses: [try T.ok("copy-object-result.xml")])
        let task = Task {
            try await Task.sleep(for: .seconds(10))
            return try await T.client(stub).copyObject(Self.item, options: CopyOptions())
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(stub.requests.isEmpty)
    }
}
