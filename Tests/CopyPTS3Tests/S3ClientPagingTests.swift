import CopyPTHTTP
import CopyPTTestSupport
import Logging
import Testing

@testable import CopyPTS3

/// Paged listings end: a continuation token or marker handed back again, and values that
/// cannot be right, are errors for that operation, not loops, traps or retries.
@Suite struct S3ClientPagingTests {
    typealias T = S3TestSupport

    static func listing(token: String?, keys: [String] = ["run42/a"], size: String = "3") -> HTTPResponse {
        let contents = keys.map { "<Contents><Key>\($0)</Key><Size>\(size)</Size><ETag>\"e\"</ETag></Contents>" }.joined()
        let next = token.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" } ?? "<IsTruncated>false</IsTruncated>"
        return HTTPResponse(status: 200, body: Array("<ListBucketResult>\(next)\(contents)</ListBucketResult>".utf8))
    }

    static func isInvalidResponse(_ error: any Error) -> Bool {
        if case .invalidResponse = error as? S3Error { return true }
        return false
    }

    @Test("ListObjectsV2: a continuation token handed back again ends the listing with an error", arguments: [
        ["T", "T"], ["A", "B", "A"],
    ])
    func repeatedToken(tokens: [String]) async throws {
        let stub = StubTransport(responses: tokens.map { Self.listing(token: $0) } + Array(repeating: Self.listing(token: "Z"), count: 5))
        let error = await #expect(throws: S3Error.self) {
            try await T.client(stub).listAllObjects(bucket: "staging", prefix: "run42/") { _ in }
        }
        #expect(error.map(Self.isInvalidResponse) == true)
        #expect(error?.isRetryable == false)
        #expect(stub.requests.count == tokens.count)
        #expect(error?.description.contains("ListObjectsV2 s3://staging/run42/ failed") == true)
    }

    @Test("a recursive plan stops when a continuation token comes back, the first page's included")
    func planRepeatedToken() async throws {
        let stub = StubTransport(responses: Array(repeating: Self.listing(token: "T"), count: 5))
        let copier = S3Copier(client: T.client(stub), logger: Logger(label: "test"))
        let source = S3Location(bucket: "staging", key: "run42/")
        let destination = S3Location(bucket: "dest", key: "in/")
        let first = try await copier.planPage(source: source, destination: destination, maxKeys: 100)
        let token = try #require(first.nextContinuationToken)
        let error = await #expect(throws: S3Error.self) {
            _ = try await copier.plan(source: source, destination: destination, after: token)
        }
        #expect(error.map(Self.isInvalidResponse) == true)
        #expect(stub.requests.count == 2)
        await #expect(throws: S3Error.self) {
            _ = try await copier.plan(source: source, destination: destination, recursive: true)
        }
    }

    static func parts(_ numbers: [String], marker: String?) -> HTTPResponse {
        let parts = numbers.map { "<Part><PartNumber>\($0)</PartNumber><ETag>\"p\"</ETag><Size>5242880</Size></Part>" }.joined()
        let next = marker.map { "<IsTruncated>true</IsTruncated><NextPartNumberMarker>\($0)</NextPartNumberMarker>" } ?? "<IsTruncated>false</IsTruncated>"
        return HTTPResponse(status: 200, body: Array("<ListPartsResult>\(next)\(parts)</ListPartsResult>".utf8))
    }

    @Test("ListParts: a part-number marker that does not advance ends the listing with an error")
    func partsMarkerStuck() async throws {
        let stub = StubTransport(responses: [Self.parts(["1", "2"], marker: "2")] + Array(repeating: Self.parts(["2"], marker: "2"), count: 5))
        let error = await #expect(throws: S3Error.self) {
            _ = try await T.client(stub).listParts(S3Location(bucket: "dest", key: "in/a"), uploadID: "u1")
        }
        #expect(error.map(Self.isInvalidResponse) == true)
        #expect(stub.requests.count == 2)
    }

    @Test("ListParts: PartNumber 0 is an error for ListParts, not retried")
    func partNumberZero() async throws {
        let stub = StubTransport(responses: Array(repeating: Self.parts(["0"], marker: nil), count: 5))
        let error = await #expect(throws: S3Error.self) {
            _ = try await T.client(stub).listParts(S3Location(bucket: "dest", key: "in/a"), uploadID: "u1")
        }
        #expect(error.map(Self.isInvalidResponse) == true)
        #expect(error?.description.hasPrefix("ListParts for s3://dest/in/a failed: the answer cannot be right: PartNumber 0") == true)
        #expect(stub.requests.count == 1)
    }

    @Test("ListObjectsV2: a negative or huge Size is an error for the listing, not retried", arguments: ["-5", "9223372036854775807", "18446744073709551616"])
    func badSize(size: String) async throws {
        let stub = StubTransport(responses: Array(repeating: Self.listing(token: nil, size: size), count: 5))
        let error = await #expect(throws: S3Error.self) {
            _ = try await T.client(stub).listObjectsV2(bucket: "staging", prefix: "run42/")
        }
        #expect(error.map(Self.isInvalidResponse) == true)
        #expect(stub.requests.count == 1)
    }

    @Test("HeadObject: a negative or huge Content-Length is an error for HeadObject, not retried", arguments: ["-1", "53687091200001"])
    func badContentLength(length: String) async throws {
        let stub = StubTransport(responses: Array(repeating: HTTPResponse(status: 200, headers: ["Content-Length": length, "ETag": "\"e\""]), count: 3))
        let error = await #expect(throws: S3Error.self) {
            _ = try await T.client(stub).headObject(S3Location(bucket: "stg", key: "a"))
        }
        #expect(error.map(Self.isInvalidResponse) == true)
        #expect(stub.requests.count == 1)
    }

    static func uploads(keyMarker: String?, uploadIDMarker: String?) -> HTTPResponse {
        let next = keyMarker.map {
            "<IsTruncated>true</IsTruncated><NextKeyMarker>\($0)</NextKeyMarker><NextUploadIdMarker>\(uploadIDMarker ?? "")</NextUploadIdMarker>"
        } ?? "<IsTruncated>false</IsTruncated>"
        return HTTPResponse(status: 200, body: Array(
            "<ListMultipartUploadsResult>\(next)<Upload><Key>in/a</Key><UploadId>u1</UploadId></Upload></ListMultipartUploadsResult>".utf8))
    }

    @Test("ListMultipartUploads: a pair of markers handed back again ends the listing with an error")
    func uploadsRepeated() async throws {
        let stub = StubTransport(responses: [
            Self.uploads(keyMarker: "in/a", uploadIDMarker: "u1"), Self.uploads(keyMarker: "in/a", uploadIDMarker: "u2"),
        ] + Array(repeating: Self.uploads(keyMarker: "in/a", uploadIDMarker: "u1"), count: 5))
        let error = await #expect(throws: S3Error.self) {
            _ = try await T.client(stub).listMultipartUploads(bucket: "dest", prefix: "in/")
        }
        #expect(error.map(Self.isInvalidResponse) == true)
        #expect(stub.requests.count == 3)
    }
}
