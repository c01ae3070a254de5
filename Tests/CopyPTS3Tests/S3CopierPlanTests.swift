import CopyPTHTTP
import CopyPTTestSupport
import Logging
import Testing

@testable import CopyPTS3

/// ``S3Copier/plan(source:destination:recursive:sourceOwner:)``: how sources map to destinations.
@Suite struct S3CopierPlanTests {
    static func listing(_ keys: [String]) -> HTTPResponse {
        let contents = keys.map { "<Contents><Key>\(S3PathEncoding.encodeQueryComponent($0))</Key><Size>3</Size><ETag>\"e\"</ETag></Contents>" }.joined()
        return HTTPResponse(status: 200, body: Array("<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>\(contents)</ListBucketResult>".utf8))
    }

    static func copier(_ stub: StubTransport) -> S3Copier {
        S3Copier(client: S3TestSupport.client(stub), logger: Logger(label: "test"))
    }

    @Test("recursive: s3://b/p and s3://b/p/ both list p/ and map keys under the destination prefix", arguments: [
        ("s3://staging/run42", "s3://dest/in"), ("s3://staging/run42/", "s3://dest/in/"),
    ])
    func recursive(source: String, destination: String) async throws {
        let stub = StubTransport(responses: [Self.listing(["run42/a b.h5", "run42/x/y/z+1.dat"])])
        let items = try await Self.copier(stub).plan(
            source: try S3Location(parsing: source), destination: try S3Location(parsing: destination), recursive: true)
        #expect(stub.requests[0].url.hasSuffix("prefix=run42%2F"))
        #expect(items.map(\.destination.key) == ["in/a b.h5", "in/x/y/z+1.dat"])
        #expect(items.map(\.source.key) == ["run42/a b.h5", "run42/x/y/z+1.dat"])
        #expect(items.allSatisfy { $0.size == 3 && $0.eTag == "\"e\"" })
    }

    @Test("recursive from a bucket root to a bucket root keeps keys as they are")
    func wholeBucket() async throws {
        let stub = StubTransport(responses: [Self.listing(["a", "d/e"])])
        let items = try await Self.copier(stub).plan(
            source: try S3Location(parsing: "s3://staging"), destination: try S3Location(parsing: "s3://dest/"), recursive: true)
        #expect(!stub.requests[0].url.contains("prefix="))
        #expect(items.map(\.destination.key) == ["a", "d/e"])
    }

    @Test("one object: to a key, or into a folder keeping its name", arguments: [
        ("s3://dest/new.h5", "new.h5"), ("s3://dest/in/", "in/a.h5"), ("s3://dest", "a.h5"),
    ])
    func single(destination: String, key: String) async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, headers: ["Content-Length": "9", "ETag": "\"e9\""])])
        let items = try await Self.copier(stub).plan(
            source: try S3Location(parsing: "s3://staging/run42/a.h5"), destination: try S3Location(parsing: destination), recursive: false)
        #expect(stub.requests.map(\.method) == [.head])
        #expect(items == [CopyItem(source: S3Location(bucket: "staging", key: "run42/a.h5"), destination: S3Location(bucket: "dest", key: key), size: 9, eTag: "\"e9\"")])
    }
}
