import CopyPTHTTP
import CopyPTTestSupport
import Testing

@testable import CopyPTS3

/// The limits each S3 request carries: a reply-body cap and a whole-request time limit.
@Suite struct S3OperationTests {
    typealias T = S3TestSupport

    @Test("a listing page may be 16 MiB and must come within 5 minutes; a HeadObject reply at most 4 MiB")
    func listingAndHeadLimits() async throws {
        let stub = StubTransport(responses: [
            try T.ok("list-objects-v2-url-page2.xml"), HTTPResponse(status: 200, headers: ["Content-Length": "1", "ETag": "\"abc\""]),
        ])
        let client = T.client(stub)
        _ = try await client.listObjectsV2(bucket: "staging", prefix: "run42/")
        _ = try await client.headObject(S3Location(bucket: "staging", key: "run42/a"))
        let list = try #require(stub.requests.first)
        #expect(list.maxResponseBytes == 16 << 20)
        #expect(list.timeout == .seconds(300))
        let head = try #require(stub.requests.last)
        #expect(head.maxResponseBytes == 4 << 20)
        #expect(head.timeout == .seconds(300))
    }

    @Test("CopyObject sets no time limit of its own (the transport's caps it) and caps its reply at 4 MiB")
    func copyLimits() async throws {
        let stub = StubTransport(responses: [try T.ok("copy-object-result.xml")])
        _ = try await T.client(stub).copyObject(S3ClientTests.item, options: CopyOptions())
        let request = try #require(stub.requests.first)
        #expect(request.timeout == nil)
        #expect(request.maxResponseBytes == 4 << 20)
    }

    @Test("an oversized reply is sent once, not retried, and counts as a configuration problem (the endpoint is wrong)")
    func oversizedReplyNotRetried() async throws {
        let stub = StubTransport()
        for _ in 0..<3 { stub.enqueue(failure: .responseTooLarge(host: "127.0.0.1:9000", limit: 4 << 20)) }
        let sleeps = T.Sleeps()
        await #expect {
            _ = try await T.client(stub, sleeps: sleeps).headObject(S3Location(bucket: "staging", key: "a"))
        } throws: { error in
            guard let error = error as? S3Error else { return false }
            return !error.isRetryable && error.isConfigurationProblem && error.description.contains("longer than 4194304 bytes")
        }
        #expect(stub.requests.count == 1)
        #expect(sleeps.all.isEmpty)
    }
}
