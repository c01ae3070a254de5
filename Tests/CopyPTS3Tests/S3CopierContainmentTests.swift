import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

@testable import CopyPTS3

/// A prefix copy writes only under its destination prefix: keys with dot segments are left
/// out of the plan, and every write request is checked against the prefix right before it goes.
@Suite struct S3CopierContainmentTests {
    typealias T = S3TestSupport
    static let MiB = PartPlan.mebibyte
    static let eTag = "\"9b2cf535f27731c974343645a3985328\""
    static let within = S3Location(bucket: "dest", key: "in/run42/")

    static func copier(_ stub: StubTransport) -> S3Copier {
        S3Copier(client: T.client(stub), configuration: S3CopierConfiguration(multipartThreshold: 5 * MiB), logger: Logger(label: "test"))
    }

    static func listing(_ keys: [String]) -> HTTPResponse {
        let contents = keys.map { "<Contents><Key>\(S3PathEncoding.encodeQueryComponent($0))</Key><Size>3</Size><ETag>\"e\"</ETag></Contents>" }.joined()
        return HTTPResponse(status: 200, body: Array("<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>\(contents)</ListBucketResult>".utf8))
    }

    @Test("a recursive plan leaves out keys with . or .. segments and returns them as skipped")
    func planSkips() async throws {
        let keys = ["run42/a.txt", "run42/../../../other/pwned.txt", "run42/x/./y", "run42//z", "run42/\u{301}x", "run42/x"]
        let stub = StubTransport(responses: [Self.listing(keys)])
        let page = try await Self.copier(stub).planPage(
            source: S3Location(bucket: "stg", key: "run42"), destination: S3Location(bucket: "dest", key: "in/run42"))
        #expect(page.items.map { Array($0.destination.key.utf8) } == ["in/run42/a.txt", "in/run42//z", "in/run42/\u{301}x", "in/run42/x"].map { Array($0.utf8) })
        #expect(page.skipped == [S3Location(bucket: "stg", key: "run42/../../../other/pwned.txt"), S3Location(bucket: "stg", key: "run42/x/./y")])
    }

    @Test("keys differing only by a combining mark after the prefix map to two destinations")
    func combiningMark() async throws {
        let stub = StubTransport(responses: [Self.listing(["run42/x", "run42/\u{301}x"])])
        let items = try await Self.copier(stub).plan(
            source: S3Location(bucket: "stg", key: "run42/"), destination: S3Location(bucket: "dest", key: "in/"), recursive: true)
        #expect(Set(items.map { Array($0.destination.key.utf8) }) == [Array("in/x".utf8), Array("in/\u{301}x".utf8)])
    }

    @Test("keys equal up to Unicode normalization are two copies, each to its own bytes")
    func normalizationTwins() async throws {
        let copyResult = HTTPResponse(status: 200, body: Array("<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>".utf8))
        let stub = StubTransport(responses: [Self.listing(["run42/e\u{301}", "run42/\u{E9}"]), copyResult, copyResult])
        let copier = Self.copier(stub)
        let source = S3Location(bucket: "stg", key: "run42/")
        let destination = S3Location(bucket: "dest", key: "in/")
        let items = try await copier.plan(source: source, destination: destination, recursive: true)
        let summary = try await copier.copy(items, options: CopyOptions(destinationPrefix: destination))
        #expect(summary.verified == 2)
        #expect(Set(stub.requests.filter { $0.method == .put }.map(\.url)) == ["http://127.0.0.1:9000/dest/in/e%CC%81", "http://127.0.0.1:9000/dest/in/%C3%A9"])
    }

    static func item(destinationKey: String, size: Int64 = 1024) -> CopyItem {
        CopyItem(source: S3Location(bucket: "stg", key: "run42/a"), destination: S3Location(bucket: "dest", key: destinationKey), size: size, eTag: eTag)
    }

    @Test("CopyObject is not sent for a destination outside the prefix: the object fails, nothing is written", arguments: [
        "other/pwned.txt", "in/run42/../../other/pwned.txt", "in/run420/a", "in/run42/./a",
    ])
    func singleOutside(key: String) async throws {
        let stub = StubTransport()
        let summary = try await Self.copier(stub).copy([Self.item(destinationKey: key)], options: CopyOptions(destinationPrefix: Self.within))
        #expect(stub.requests.isEmpty)
        let failure = try #require(summary.failures.first)
        #expect(failure.error.isRetryable == false)
        #expect(failure.error.description.contains("CopyObject for s3://dest/\(key) would write outside the destination s3://dest/in/run42/"))
    }

    @Test("another destination bucket is outside the prefix too")
    func otherBucket() async throws {
        let stub = StubTransport()
        var item = Self.item(destinationKey: "in/run42/a")
        item.destination.bucket = "other"
        let summary = try await Self.copier(stub).copy([item], options: CopyOptions(destinationPrefix: Self.within))
        #expect(stub.requests.isEmpty)
        #expect(summary.failures.count == 1)
    }

    @Test("a multipart copy outside the prefix reads the source but never creates an upload")
    func multipartOutside() async throws {
        let stub = StubTransport(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", String(12 * Self.MiB)), ("ETag", Self.eTag)]))
        })
        let summary = try await Self.copier(stub).copy(
            [Self.item(destinationKey: "in/run42/../x", size: 12 * Self.MiB)], options: CopyOptions(destinationPrefix: Self.within))
        #expect(summary.failures.count == 1)
        #expect(stub.requests.allSatisfy { $0.method == .head })
    }

    @Test("a destination under the prefix is copied as before")
    func inside() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array("<CopyObjectResult><ETag>\(Self.eTag)</ETag></CopyObjectResult>".utf8))])
        let summary = try await Self.copier(stub).copy([Self.item(destinationKey: "in/run42/a")], options: CopyOptions(destinationPrefix: Self.within))
        #expect(summary.verified == 1)
        #expect(stub.requests.map(\.method) == [.put])
    }

    @Test("resuming an upload whose ListParts reports part 0 fails that object instead of trapping")
    func resumePartZero() async throws {
        let item = Self.item(destinationKey: "in/run42/a", size: 12 * Self.MiB)
        let stub = StubTransport(handler: { request in
            if request.method == .get {
                return HTTPResponse(status: 200, body: Array(
                    "<ListPartsResult><IsTruncated>false</IsTruncated><Part><PartNumber>0</PartNumber><ETag>\"p\"</ETag><Size>6291456</Size></Part></ListPartsResult>".utf8))
            }
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", String(12 * Self.MiB)), ("ETag", Self.eTag)]))
        })
        let summary = try await Self.copier(stub).copy([item], options: CopyOptions(), resume: [item.destination: "u-old"])
        let failure = try #require(summary.failures.first)
        guard case .invalidResponse = failure.error else { Issue.record("unexpected \(failure.error)"); return }
        #expect(!stub.requests.contains { $0.method == .put || $0.method == .post })
    }
}
