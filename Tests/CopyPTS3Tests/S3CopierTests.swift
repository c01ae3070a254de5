import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

@testable import CopyPTS3

/// The copy engine against a scripted S3 (StubTransport): which requests it sends, in what
/// order, and what it reports.
@Suite struct S3CopierTests {
    typealias T = S3TestSupport
    static let MiB = PartPlan.mebibyte
    static let eTag = "\"9b2cf535f27731c974343645a3985328\""

    static func item(_ key: String = "run42/a.h5", size: Int64 = 1024, eTag: String = eTag) -> CopyItem {
        CopyItem(
            source: S3Location(bucket: "staging", key: key), destination: S3Location(bucket: "dest", key: "in/" + key),
            size: size, eTag: eTag)
    }

    /// Collects events.
    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [CopyEvent] = []
        var all: [CopyEvent] { lock.withLock { recorded } }
        func append(_ event: CopyEvent) { lock.withLock { recorded.append(event) } }
    }

    static func copier(_ stub: StubTransport, threshold: Int64 = 5 * MiB, concurrency: Int = 16) -> S3Copier {
        S3Copier(
            client: T.client(stub),
            configuration: S3CopierConfiguration(concurrency: concurrency, multipartThreshold: threshold),
            logger: Logger(label: "test"))
    }

    static func xml(_ text: String, status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    static func copyResult(_ eTag: String) -> HTTPResponse {
        xml("<CopyObjectResult><ETag>\(eTag)</ETag></CopyObjectResult>")
    }

    static func head(size: Int64, eTag: String = eTag, extra: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", String(size)), ("ETag", eTag)] + extra))
    }

    // MARK: - Single-part

    @Test("a small object is one CopyObject, verified by the ETag in its own response")
    func singleOneRequest() async throws {
        let stub = StubTransport(responses: [Self.copyResult(Self.eTag)])
        let events = Events()
        let summary = try await Self.copier(stub).copy([Self.item()], options: CopyOptions()) { events.append($0) }
        #expect(stub.requests.count == 1)
        #expect(summary.verified == 1)
        #expect(summary.bytes == 1024)
        #expect(summary.requests == 1)
        #expect(summary.isComplete)
        #expect(events.all == [.copied(Self.item(), eTag: Self.eTag), .verified(Self.item(), .eTagMatch)])
    }

    @Test("a source uploaded in parts gets a new ETag: the size is checked with HeadObject instead")
    func singleMultipartSource() async throws {
        let item = Self.item(eTag: "\"3858f62230ac3c915f300c664312c11f-2\"")
        let stub = StubTransport(responses: [Self.copyResult("\"0cc175b9c0f1b6a831c399e269772661\""), Self.head(size: 1024)])
        let events = Events()
        let summary = try await Self.copier(stub).copy([item], options: CopyOptions()) { events.append($0) }
        #expect(summary.verified == 1)
        #expect(stub.requests.map(\.method) == [.put, .head])
        #expect(stub.requests[1].url == "http://127.0.0.1:9000/dest/in/run42/a.h5")
        #expect(events.all.last == .verified(item, .sizeMatch))
    }

    @Test("an unexplained ETag difference with a changed source removes the copy and fails permanently")
    func singleSourceChanged() async throws {
        let stub = StubTransport(responses: [
            Self.copyResult("\"ffffffffffffffffffffffffffffffff\""),
            Self.head(size: 2048, eTag: "\"ffffffffffffffffffffffffffffffff\""),
            Self.xml("<DeleteResult/>"),
        ])
        let events = Events()
        let summary = try await Self.copier(stub).copy([Self.item()], options: CopyOptions()) { events.append($0) }
        #expect(stub.requests.map(\.method) == [.put, .head, .post])
        #expect(stub.requests[1].url == "http://127.0.0.1:9000/staging/run42/a.h5")
        #expect(String(decoding: stub.requests[2].body, as: UTF8.self).contains("<Key>in/run42/a.h5</Key>"))
        let failure = try #require(summary.failures.first)
        #expect(failure.error == .sourceChanged(source: "s3://staging/run42/a.h5", expectedETag: Self.eTag, actualETag: "\"ffffffffffffffffffffffffffffffff\""))
        #expect(summary.hasPermanentFailure)
        #expect(events.all.last == .failed(Self.item(), failure.error))
    }

    @Test("412 PreconditionFailed (source changed, S3 refused the copy) is a permanent failure, one request")
    func singlePreconditionFailed() async throws {
        let stub = StubTransport(responses: [try T.status(412, "error-precondition-failed.xml")])
        let summary = try await Self.copier(stub).copy([Self.item()], options: CopyOptions())
        #expect(stub.requests.count == 1)
        #expect(summary.failures.first?.error.code == "PreconditionFailed")
        #expect(summary.hasPermanentFailure)
    }

    @Test("transient failures stay transient in the summary")
    func singleTransient() async throws {
        let stub = StubTransport(handler: { _ in HTTPResponse(status: 503) })
        let summary = try await Self.copier(stub).copy([Self.item()], options: CopyOptions())
        #expect(stub.requests.count == 3)
        #expect(summary.failures.count == 1)
        #expect(!summary.hasPermanentFailure)
    }

    @Test("at most `concurrency` copies are in flight, and every item is copied once")
    func boundedConcurrency() async throws {
        let transport = GaugeTransport()
        let client = S3Client(
            transport: transport,
            configuration: AWSConfiguration(s3Endpoint: "http://127.0.0.1:9000", credentialProvider: StaticCredentialProvider(T.credentials)),
            logger: Logger(label: "test"))
        let copier = S3Copier(client: client, configuration: S3CopierConfiguration(concurrency: 4), logger: Logger(label: "test"))
        let items = (0..<40).map { Self.item("k\($0)") }
        let summary = try await copier.copy(items, options: CopyOptions())
        #expect(summary.verified == 40)
        #expect(await transport.maximum <= 4)
        #expect(await transport.maximum >= 2)
        #expect(await transport.total == 40)
    }

    // MARK: - Multipart

    /// A scripted S3 for one 12 MiB object copied in two 6 MiB parts.
    static func multipartHandler(
        listParts: String? = nil, partStatus: Int = 200, tagCount: Int = 0
    ) -> @Sendable (HTTPRequest) throws -> HTTPResponse {
        { request in
            let url = request.url
            switch request.method {
            case .head:
                return Self.head(size: 12 * MiB, extra: [("x-amz-meta-run", "42"), ("Content-Type", "application/x-hdf5"), ("x-amz-tagging-count", String(tagCount))])
            case .get where url.contains("?tagging"):
                return Self.xml("<Tagging><TagSet><Tag><Key>p</Key><Value>v w</Value></Tag></TagSet></Tagging>")
            case .get:
                if let listParts { return Self.xml(listParts) }
                return Self.xml("<Error><Code>NoSuchUpload</Code><Message>gone</Message></Error>", status: 404)
            case .post where url.hasSuffix("?uploads="):
                return Self.xml("<InitiateMultipartUploadResult><UploadId>u-new</UploadId></InitiateMultipartUploadResult>")
            case .post:
                return Self.xml("<CompleteMultipartUploadResult><ETag>\"e-2\"</ETag></CompleteMultipartUploadResult>")
            case .put:
                if partStatus != 200 { return Self.xml("<Error><Code>AccessDenied</Code><Message>no</Message></Error>", status: partStatus) }
                let number = url.contains("partNumber=1&") ? 1 : 2
                return Self.xml("<CopyPartResult><ETag>\"p\(number)\"</ETag></CopyPartResult>")
            case .delete:
                return HTTPResponse(status: 204)
            }
        }
    }

    @Test("a large object: HeadObject, Create, parts with ranges and If-Match, source check, Complete, size check")
    func multipart() async throws {
        let item = Self.item(size: 12 * Self.MiB)
        let stub = StubTransport(handler: Self.multipartHandler())
        let events = Events()
        let options = CopyOptions(acl: .bucketOwnerFullControl, destinationOwner: "111122223333", sourceOwner: "444455556666")
        let summary = try await Self.copier(stub).copy([item], options: options) { events.append($0) }
        #expect(summary.verified == 1)
        let shape = stub.requests.map { "\($0.method) \($0.url.replacingOccurrences(of: "http://127.0.0.1:9000", with: ""))" }
        #expect(shape.first == "HEAD /staging/run42/a.h5")
        #expect(shape[1] == "POST /dest/in/run42/a.h5?uploads=")
        #expect(Set(shape[2...3]) == ["PUT /dest/in/run42/a.h5?partNumber=1&uploadId=u-new", "PUT /dest/in/run42/a.h5?partNumber=2&uploadId=u-new"])
        #expect(Array(shape[4...]) == ["HEAD /staging/run42/a.h5", "POST /dest/in/run42/a.h5?uploadId=u-new", "HEAD /dest/in/run42/a.h5"])
        let create = stub.requests[1]
        #expect(create.headers["x-amz-meta-run"] == "42")
        #expect(create.headers["content-type"] == "application/x-hdf5")
        #expect(create.headers["x-amz-acl"] == "bucket-owner-full-control")
        #expect(create.headers["x-amz-expected-bucket-owner"] == "111122223333")
        #expect(stub.requests[0].headers["x-amz-expected-bucket-owner"] == "444455556666")
        let ranges = stub.requests.filter { $0.method == .put }.compactMap { $0.headers["x-amz-copy-source-range"] }
        #expect(Set(ranges) == ["bytes=0-6291455", "bytes=6291456-12582911"])
        for part in stub.requests where part.method == .put {
            #expect(part.headers["x-amz-copy-source-if-match"] == Self.eTag)
            #expect(part.headers["x-amz-source-expected-bucket-owner"] == "444455556666")
        }
        let complete = String(decoding: stub.requests[5].body, as: UTF8.self)
        #expect(complete.contains("<Part><ETag>&quot;p1&quot;</ETag><PartNumber>1</PartNumber></Part><Part><ETag>&quot;p2&quot;</ETag><PartNumber>2</PartNumber></Part>"))
        // The upload id reaches the caller before any part is copied.
        let plan = PartPlan(objectSize: 12 * Self.MiB, partSize: 6 * Self.MiB)
        #expect(events.all.first == .multipartStarted(item, uploadID: "u-new", plan: plan))
        #expect(events.all.suffix(2) == [.copied(item, eTag: "\"e-2\""), .verified(item, .sizeMatch)])
        #expect(events.all.filter { if case .partCopied = $0 { true } else { false } }.count == 2)
    }

    @Test("tags of a multipart source are read and set on the new upload")
    func multipartTags() async throws {
        let stub = StubTransport(handler: Self.multipartHandler(tagCount: 1))
        _ = try await Self.copier(stub).copy([Self.item(size: 12 * Self.MiB)], options: CopyOptions())
        #expect(stub.requests[1].url.hasSuffix("?tagging="))
        #expect(stub.requests[2].headers["x-amz-tagging"] == "p=v%20w")
    }

    @Test("resuming lists the parts in place and copies only the missing one, without a new upload")
    func resume() async throws {
        let item = Self.item(size: 12 * Self.MiB)
        let parts = "<ListPartsResult><IsTruncated>false</IsTruncated><Part><PartNumber>1</PartNumber><ETag>\"p1\"</ETag><Size>6291456</Size></Part></ListPartsResult>"
        let stub = StubTransport(handler: Self.multipartHandler(listParts: parts))
        let events = Events()
        let summary = try await Self.copier(stub).copy([item], options: CopyOptions(), resume: [item.destination: "u-old"]) { events.append($0) }
        #expect(summary.verified == 1)
        let shape = stub.requests.map { "\($0.method) \($0.url.replacingOccurrences(of: "http://127.0.0.1:9000", with: ""))" }
        #expect(shape == [
            "HEAD /staging/run42/a.h5", "GET /dest/in/run42/a.h5?uploadId=u-old",
            "PUT /dest/in/run42/a.h5?partNumber=2&uploadId=u-old", "HEAD /staging/run42/a.h5",
            "POST /dest/in/run42/a.h5?uploadId=u-old", "HEAD /dest/in/run42/a.h5",
        ])
        #expect(!events.all.contains { if case .multipartStarted = $0 { true } else { false } })
    }

    @Test("resuming an upload S3 no longer knows starts a new one")
    func resumeGone() async throws {
        let item = Self.item(size: 12 * Self.MiB)
        let stub = StubTransport(handler: Self.multipartHandler())
        let events = Events()
        let summary = try await Self.copier(stub).copy([item], options: CopyOptions(), resume: [item.destination: "u-old"]) { events.append($0) }
        #expect(summary.verified == 1)
        #expect(stub.requests.contains { $0.url.hasSuffix("?uploads=") })
        #expect(events.all.contains { if case .multipartStarted(_, "u-new", _) = $0 { true } else { false } })
    }

    @Test("a permanent part failure aborts the upload")
    func abortOnPermanent() async throws {
        let stub = StubTransport(handler: Self.multipartHandler(partStatus: 403))
        let summary = try await Self.copier(stub).copy([Self.item(size: 12 * Self.MiB)], options: CopyOptions())
        #expect(summary.failures.first?.error.code == "AccessDenied")
        #expect(stub.requests.last?.method == .delete)
        #expect(stub.requests.last?.url.hasSuffix("?uploadId=u-new") == true)
    }

    @Test("a transient part failure keeps the upload for resuming")
    func keepOnTransient() async throws {
        let stub = StubTransport(handler: Self.multipartHandler(partStatus: 503))
        let summary = try await Self.copier(stub).copy([Self.item(size: 12 * Self.MiB)], options: CopyOptions())
        #expect(summary.failures.count == 1)
        #expect(!summary.hasPermanentFailure)
        #expect(!stub.requests.contains { $0.method == .delete })
    }

    @Test("a changed source (HeadObject at the start) fails before any upload is created")
    func multipartSourceChanged() async throws {
        let stub = StubTransport(responses: [Self.head(size: 12 * Self.MiB, eTag: "\"other\"")])
        let summary = try await Self.copier(stub).copy([Self.item(size: 12 * Self.MiB)], options: CopyOptions())
        #expect(stub.requests.count == 1)
        #expect(summary.failures.first?.error == .sourceChanged(source: "s3://staging/run42/a.h5", expectedETag: Self.eTag, actualETag: "\"other\""))
    }

    @Test("when the caller cannot record the upload id, the upload is aborted and copy rethrows")
    func handlerFails() async throws {
        struct JournalFull: Error {}
        let stub = StubTransport(handler: Self.multipartHandler())
        await #expect(throws: JournalFull.self) {
            _ = try await Self.copier(stub).copy([Self.item(size: 12 * Self.MiB)], options: CopyOptions()) { event in
                if case .multipartStarted = event { throw JournalFull() }
            }
        }
        #expect(stub.requests.last?.method == .delete)
        #expect(!stub.requests.contains { $0.method == .put })
    }
}

/// A transport that answers CopyObject after a short pause and records how many requests overlap.
actor GaugeTransport: HTTPTransport {
    private(set) var maximum = 0
    private(set) var total = 0
    private var current = 0

    nonisolated func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await enter()
        try await Task.sleep(for: .milliseconds(5))
        await leave()
        return S3CopierTests.copyResult(S3CopierTests.eTag)
    }

    private func enter() {
        current += 1
        total += 1
        maximum = max(maximum, current)
    }

    private func leave() { current -= 1 }
}
